// kstwo survival function: the Simard & L'Ecuyer (2011) choice of method per (n, x), as scipy 1.10's
// `_kolmogn` (scipy/stats/_ksstats.py); the formulas are cited in kolmogorov.h.
#include "core/stats/kolmogorov.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>

namespace driftgate::stats {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kPi2 = kPi * kPi;
constexpr double kPi4 = kPi2 * kPi2;
constexpr double kPi6 = kPi4 * kPi2;
const double kSqrt2Pi = std::sqrt(2.0 * kPi);
const double kLog2Pi = std::log(2.0 * kPi);
const double kSqrt3 = std::sqrt(3.0);

double Clip01(double p) { return std::clamp(p, 0.0, 1.0); }

// log(n! / n^n) by Stirling's series with n·log(n) removed up front (no cancellation):
// log(n)/2 - n + log(2π)/2 + Σ_j B_2j / (2j (2j-1) n^(2j-1)).
double LogFactorialOverPower(std::int64_t n) {
  // B_2j / (2j) / (2j-1) for j = 8 … 1 (Horner order).
  static constexpr std::array<double, 8> kStirling = {-2.955065359477124183e-2,  6.4102564102564102564e-3,
                                                      -1.9175269175269175269e-3, 8.4175084175084175084e-4,
                                                      -5.952380952380952381e-4,  7.9365079365079365079e-4,
                                                      -2.7777777777777777778e-3, 8.3333333333333333333e-2};
  const double dn = static_cast<double>(n);
  const double rn = 1.0 / dn;
  const double y = rn / dn;
  double poly = 0.0;
  for (double c : kStirling) poly = poly * y + c;
  return std::log(dn) / 2.0 - dn + kLog2Pi / 2.0 + rn * poly;
}

}  // namespace

double KolmogorovCdfPelzGood(std::int64_t n, double x) {
  // Li-Chien/Korolyuk expansion K0 + K1/√n + K2/n + K3/n^1.5 in z = x√n, each term rewritten through
  // the Jacobi theta functional equation so that it converges fast for small z (Pelz & Good 1976).
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double dn = static_cast<double>(n);
  const double z = std::sqrt(dn) * x;
  const double z2 = z * z;
  const double z3 = z2 * z;
  const double z4 = z2 * z2;
  const double z6 = z4 * z2;
  const double qlog = -kPi2 / 8.0 / z2;
  if (qlog < -708.0) return 0.0;
  double q = std::exp(qlog);

  const double k1a = -z2;
  const double k1b = kPi2 / 4.0;
  const double k2a = 6.0 * z6 + 2.0 * z4;
  const double k2b = (2.0 * z4 - 5.0 * z2) * kPi2 / 4.0;
  const double k2c = kPi4 * (1.0 - 2.0 * z2) / 16.0;
  const double k3d = kPi6 * (5.0 - 30.0 * z2) / 64.0;
  const double k3c = kPi4 * (-60.0 * z2 + 212.0 * z4) / 16.0;
  const double k3b = kPi2 * (135.0 * z4 - 96.0 * z6) / 4.0;
  const double k3a = -30.0 * z6 - 90.0 * std::pow(z, 8);

  // Σ over odd m = 2k-1 of c(m)·q^(m²), by Horner in q^8k.
  std::array<double, 4> terms = {0.0, 0.0, 0.0, 0.0};
  const auto maxk = static_cast<int>(std::ceil(16.0 * z / kPi));
  for (int k = maxk; k >= 1; --k) {
    const double m = 2.0 * k - 1.0;
    const double m2 = m * m;
    const double m4 = m2 * m2;
    const double m6 = m4 * m2;
    const double qpower = std::pow(q, 8.0 * k);
    const std::array<double, 4> coeffs = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4,
                                          k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (std::size_t i = 0; i < 4; ++i) terms[i] = terms[i] * qpower + coeffs[i];
  }
  const std::array<double, 4> divisors = {z, 6.0 * z4, 72.0 * std::pow(z, 7), 6480.0 * std::pow(z, 10)};
  for (std::size_t i = 0; i < 4; ++i) terms[i] = terms[i] * q * kSqrt2Pi / divisors[i];

  // The sums over all integers k in K2 and K3.
  q = std::exp(-kPi2 / 2.0 / z2);
  const double sqrt3z = kSqrt3 * z;
  double k2extra = 0.0;
  double k3extra = 0.0;
  for (int k = maxk; k >= 1; --k) {
    const double k2 = static_cast<double>(k) * k;
    const double qk = std::pow(q, k2);
    const double kpi = kPi * k;
    k2extra += k2 * qk;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * k2 * qk;
  }
  terms[2] += k2extra * kPi2 * kSqrt2Pi / (-36.0 * z3);
  terms[3] += k3extra * kPi2 * kSqrt2Pi / (216.0 * z6);
  terms[1] /= std::sqrt(dn);
  terms[2] /= dn;
  terms[3] /= std::pow(dn, 1.5);
  return terms[0] + terms[1] + terms[2] + terms[3];
}

double KolmogorovSf(std::int64_t n, double x) {
  if (n < 1 || std::isnan(x)) return std::numeric_limits<double>::quiet_NaN();
  if (x >= 1.0) return 0.0;
  if (x <= 0.0) return 1.0;
  const double dn = static_cast<double>(n);
  const double t = dn * x;
  if (t <= 1.0) {
    // Ruben–Gambino: for 1/(2n) <= x <= 1/n, Pr(D_n <= x) = n!/n^n (2t - 1)^n.
    if (t <= 0.5) return 1.0;
    double cdf = 1.0;
    if (n <= 140) {
      for (std::int64_t i = 1; i <= n; ++i) cdf *= static_cast<double>(i) * (1.0 / dn) * (2.0 * t - 1.0);
    } else {
      cdf = std::exp(LogFactorialOverPower(n) + dn * std::log(2.0 * t - 1.0));
    }
    return Clip01(1.0 - cdf);
  }
  if (t >= dn - 1.0) return Clip01(2.0 * std::pow(1.0 - x, dn));  // Ruben–Gambino, 1 - 1/n <= x
  if (x >= 0.5) return Clip01(2.0 * SmirnovSf(n, x));
  const double nxx = t * x;
  if (n <= 140) {
    if (nxx <= 0.754693) return Clip01(1.0 - Clip01(KolmogorovCdfDurbin(n, x)));
    if (nxx <= 4.0) return Clip01(1.0 - Clip01(KolmogorovCdfPomeranz(n, x)));
    return Clip01(2.0 * SmirnovSf(n, x));
  }
  if (nxx >= 370.0) return 0.0;
  if (nxx >= 2.2) return Clip01(2.0 * SmirnovSf(n, x));
  double cdf = 0.0;
  if (n <= 100000 && dn * std::pow(x, 1.5) <= 1.4) {
    cdf = Clip01(KolmogorovCdfDurbin(n, x));
  } else {
    cdf = KolmogorovCdfPelzGood(n, x);
  }
  return Clip01(1.0 - cdf);
}

}  // namespace driftgate::stats

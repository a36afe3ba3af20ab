// One-sided KS survival function Pr(D_n^+ >= x) (scipy.special.smirnov, scipy/special/cephes/
// kolmogorov.c): Smirnov (1944) / Birnbaum & Tingey (1951)
//   Pr = x · Σ_{v=0}^{⌊n(1-x)⌋} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
// with the same special cases and early stop as scipy (van Mulbregt 2018, arXiv:1802.06966). scipy
// evaluates each term in double-double. Here term v is written as a binomial probability,
//   C(n,v) p^(v-1) (1-p)^(n-v) = dbinom(v; n, p) / p   with p = x + v/n,
// and dbinom comes from Loader's saddle-point form (C. Loader 2000, "Fast and accurate computation of
// binomial probabilities", as in R's dbinom_raw):
//   dbinom = sqrt(n / (2π v (n-v))) · exp(stirlerr(n) - stirlerr(v) - stirlerr(n-v) - bd0(v, np) - bd0(n-v,
//   nq))
// whose pieces stay small, so plain doubles give ~1e-14 relative per term (the naive log-space sum
// would lose ~n·log(n)·1e-16). x - np = -n·x exactly for every v, which bd0 takes as an argument.
#include <algorithm>
#include <array>
#include <cfloat>
#include <cmath>
#include <limits>
#include <numbers>

#include "core/stats/kolmogorov.h"

namespace driftgate::stats {
namespace {

// cephes MINLOG = log(2^-1075): exp() of anything below is 0.
constexpr double kMinLog = -7.451332191019412076235e2;
// Above this n scipy switches to the approximation exp(-(6nx+1)²/(18n)) (SMIRNOV_MAX_COMPUTE_N).
constexpr std::int64_t kMaxComputeN = 1000000;

// stirlerr(k) = log(k!) - log(sqrt(2πk)·(k/e)^k) (Loader 2000): a table below 16 (computed once in long
// double), the asymptotic series 1/(12k) - 1/(360k³) + ... above.
double StirlingError(double k) {
  static const auto kTable = [] {
    std::array<double, 16> table{};
    const long double log_sqrt_2pi = 0.5L * std::log(2.0L * std::numbers::pi_v<long double>);
    for (int i = 1; i < 16; ++i) {
      const long double li = i;
      table[static_cast<std::size_t>(i)] =
          static_cast<double>(std::lgamma(li + 1.0L) - (li + 0.5L) * std::log(li) + li - log_sqrt_2pi);
    }
    return table;
  }();
  constexpr double kS0 = 1.0 / 12.0;
  constexpr double kS1 = 1.0 / 360.0;
  constexpr double kS2 = 1.0 / 1260.0;
  constexpr double kS3 = 1.0 / 1680.0;
  constexpr double kS4 = 1.0 / 1188.0;
  if (k < 16.0) return kTable[static_cast<std::size_t>(k)];
  const double kk = k * k;
  if (k > 500.0) return (kS0 - kS1 / kk) / k;
  if (k > 80.0) return (kS0 - (kS1 - kS2 / kk) / kk) / k;
  if (k > 35.0) return (kS0 - (kS1 - (kS2 - kS3 / kk) / kk) / kk) / k;
  return (kS0 - (kS1 - (kS2 - (kS3 - kS4 / kk) / kk) / kk) / kk) / k;
}

// bd0(x, m) = x·log(x/m) + m - x, the binomial deviance term (Loader 2000), with delta = x - m passed
// exactly; near x = m the series in v = delta/(x+m) avoids the cancellation.
double Deviance(double x, double m, double delta) {
  if (std::fabs(delta) < 0.1 * (x + m)) {
    const double v = delta / (x + m);
    const double v2 = v * v;
    double s = delta * v;
    double ej = 2.0 * x * v;
    for (int j = 1; j < 1000; ++j) {
      ej *= v2;
      const double next = s + ej / (2 * j + 1);
      if (next == s) break;
      s = next;
    }
    return s;
  }
  return x * std::log(x / m) - delta;
}

}  // namespace

double SmirnovSf(std::int64_t n, double x) {
  if (!(n > 0 && x >= 0.0 && x <= 1.0)) return std::numeric_limits<double>::quiet_NaN();
  if (n == 1) return 1.0 - x;
  if (x == 0.0) return 1.0;
  if (x == 1.0) return 0.0;

  // floor(n·x) and its remainder alpha exactly: n·x = hi + lo with lo from a fused multiply-add.
  const double dn = static_cast<double>(n);
  const double nx_hi = dn * x;
  const double nx_lo = std::fma(dn, x, -nx_hi);
  double floor_nx = std::floor(nx_hi);
  double alpha = (nx_hi - floor_nx) + nx_lo;
  if (alpha < 0.0) {
    floor_nx -= 1.0;
    alpha += 1.0;
  }
  if (alpha >= 1.0) {  // a remainder that rounds to 1 counts as an exact multiple, as in scipy
    floor_nx += 1.0;
    alpha = 0.0;
  }
  const auto nx_floor = static_cast<std::int64_t>(floor_nx);
  const long double nx = static_cast<long double>(nx_hi) + static_cast<long double>(nx_lo);
  const long double ln = static_cast<long double>(n);

  if (nx_floor == 0 || (nx_floor == 1 && alpha == 0.0)) {  // x <= 1/n: cdf = x (1 + x)^(n-1)
    const long double cdf = static_cast<long double>(x) * std::pow(1.0L + x, static_cast<long double>(n - 1));
    return std::clamp(static_cast<double>(1.0L - cdf), 0.0, 1.0);
  }
  if (-2.0 * dn * x * x < kMinLog) return 0.0;
  if (nx_floor >= n - 1) {  // x >= 1 - 1/n: only the v = 0 term
    return std::clamp(static_cast<double>(std::pow(1.0L - x, ln)), 0.0, 1.0);
  }
  if (n > kMaxComputeN) {
    const double logp = -std::pow(6.0 * dn * x + 1.0, 2) / 18.0 / dn;
    const double sf = logp < -std::numbers::ln2 ? std::exp(logp) : 1.0 - (-std::expm1(logp));
    return std::clamp(sf, 0.0, 1.0);
  }

  // Terms v = 0 … n - ⌊nx⌋ - 1 (the term with 1 - x - v/n = 0 vanishes).
  const std::int64_t n_terms = n - nx_floor;
  const long double lx = x;
  long double sum = std::pow(1.0L - lx, ln) / lx;  // v = 0: (1 - x)^n / x
  const double stirling_n = StirlingError(dn);
  const double log_2pi = std::log(2.0 * std::numbers::pi);
  const double nx_d = static_cast<double>(nx);
  for (std::int64_t v = 1; v < n_terms; ++v) {
    const auto dv = static_cast<double>(v);
    const double rest = dn - dv;
    const double np = static_cast<double>(static_cast<long double>(dv) + nx);      // n·p = v + n·x
    const double nq = static_cast<double>((static_cast<long double>(rest)) - nx);  // n·q = n - v - n·x
    const double log_core = stirling_n - StirlingError(dv) - StirlingError(rest) - Deviance(dv, np, -nx_d) -
                            Deviance(rest, nq, nx_d);
    const double log_scale = log_2pi + std::log(dv) + std::log1p(-dv / dn);
    const long double term = static_cast<long double>(std::exp(log_core - 0.5 * log_scale) / (np / dn));
    sum += term;
    if (term != 0.0L) {
      // The remaining terms cannot change the sum in double precision.
      if (4.0L * static_cast<long double>(n_terms - v) * term < DBL_EPSILON * sum && v != n_terms - 1) break;
    } else if (v > n / 2) {
      break;
    }
  }
  return std::clamp(static_cast<double>(lx * sum), 0.0, 1.0);
}

}  // namespace driftgate::stats

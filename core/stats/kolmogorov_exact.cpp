// Exact finite-n CDF of the two-sided one-sample KS statistic, Pr(D_n <= d):
//  - Durbin's matrix formula as computed by Marsaglia, Tsang & Wang (2003) "Evaluating Kolmogorov's
//    distribution", JSS 8(18): d = (k - h)/n, H the (2k-1)² matrix below, Pr = n!/n^n · (H^n)_{kk};
//  - Pomeranz (1974) recursion (Algorithm 487, CACM 17(12)) as arranged by Simard & L'Ecuyer (2011).
// Same arrangement as scipy 1.10 `_kolmogn_DMTW` / `_kolmogn_Pomeranz`, including the 2^±128 rescaling
// with a separate binary exponent, so results agree to rounding.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <tuple>
#include <utility>
#include <vector>

#include "core/stats/kolmogorov.h"

namespace driftgate::stats {
namespace {

constexpr int kScaleExponent = 128;
const double kScaleUp = std::ldexp(1.0, kScaleExponent);
const double kScaleDown = std::ldexp(1.0, -kScaleExponent);

using Matrix = std::vector<double>;  // row-major, size × size

Matrix Multiply(const Matrix& a, const Matrix& b, std::size_t size) {
  Matrix c(size * size, 0.0);
  for (std::size_t i = 0; i < size; ++i) {
    for (std::size_t k = 0; k < size; ++k) {
      const double aik = a[i * size + k];
      if (aik == 0.0) continue;
      for (std::size_t j = 0; j < size; ++j) c[i * size + j] += aik * b[k * size + j];
    }
  }
  return c;
}

// Endpoints [j1, j2] of the non-zero entries of Pomeranz row i (Simard & L'Ecuyer 2011, section 2.2).
std::pair<std::int64_t, std::int64_t> PomeranzBounds(std::int64_t i, std::int64_t n, std::int64_t ll,
                                                     std::int64_t ceilf, std::int64_t roundf) {
  std::int64_t j1 = 0;
  std::int64_t j2 = 0;
  if (i == 0) {
    j1 = -ll - ceilf - 1;
    j2 = ll + ceilf - 1;
  } else {
    const std::int64_t half = (i + 1) / 2;
    if ((i + 1) % 2 == 0) {  // i odd
      if (half == n + 1) {
        j1 = n - ll - ceilf - 1;
        j2 = n + ll + ceilf - 1;
      } else {
        j1 = half - 1 - ll - roundf - 1;
        j2 = half + ll - 1 + ceilf - 1;
      }
    } else {
      j1 = half - 1 - ll - 1;
      j2 = half + ll + roundf - 1;
    }
  }
  return {std::max<std::int64_t>(j1 + 2, 0), std::min(j2, n)};
}

}  // namespace

double KolmogorovCdfDurbin(std::int64_t n, double d) {
  if (d >= 1.0) return 1.0;
  const double nd = static_cast<double>(n) * d;
  if (nd <= 0.5) return 0.0;
  const auto k = static_cast<std::int64_t>(std::ceil(nd));
  const double h = static_cast<double>(k) - nd;
  const auto m = static_cast<std::size_t>(2 * k - 1);

  // v[j] = (1 - h^(j+1)) / (j+1)!  (first column), w[j] = 1/j!  (the Toeplitz band), corner term
  // (1 - 2h^m + max(0, 2h - 1)^m) / m!.
  std::vector<double> v(m);
  std::vector<double> w(m);
  double factorial_inverse = 1.0;
  for (std::size_t j = 1; j <= m; ++j) {
    v[j - 1] = 1.0 - std::pow(h, static_cast<double>(j));
    w[j - 1] = factorial_inverse;
    factorial_inverse /= static_cast<double>(j);
    v[j - 1] *= factorial_inverse;
  }
  const double corner = std::pow(std::max(2.0 * h - 1.0, 0.0), static_cast<double>(m)) -
                        2.0 * std::pow(h, static_cast<double>(m));
  v[m - 1] = (1.0 + corner) * factorial_inverse;

  Matrix hm(m * m, 0.0);
  for (std::size_t col = 1; col < m; ++col) {
    for (std::size_t row = col - 1; row < m; ++row) hm[row * m + col] = w[row - (col - 1)];
  }
  for (std::size_t row = 0; row < m; ++row) hm[row * m] = v[row];
  for (std::size_t col = 0; col < m; ++col) hm[(m - 1) * m + col] = v[m - 1 - col];

  // H^n by squaring; the square is rescaled by 2^-128 whenever its (k,k) entry grows past 2^128.
  Matrix power(m * m, 0.0);
  for (std::size_t i = 0; i < m; ++i) power[i * m + i] = 1.0;
  const std::size_t kk = static_cast<std::size_t>(k - 1) * m + static_cast<std::size_t>(k - 1);
  std::int64_t exponent = 0;
  std::int64_t h_exponent = 0;
  for (std::int64_t remaining = n; remaining > 0; remaining /= 2) {
    if (remaining % 2 != 0) {
      power = Multiply(power, hm, m);
      exponent += h_exponent;
    }
    if (remaining / 2 == 0) break;  // the last square would be unused
    hm = Multiply(hm, hm, m);
    h_exponent *= 2;
    if (std::fabs(hm[kk]) > kScaleUp) {
      for (double& e : hm) e /= kScaleUp;
      h_exponent += kScaleExponent;
    }
  }

  double p = power[kk];
  const double dn = static_cast<double>(n);
  for (std::int64_t i = 1; i <= n; ++i) {  // times n!/n^n
    p = static_cast<double>(i) * p / dn;
    if (std::fabs(p) < kScaleDown) {
      p *= kScaleUp;
      exponent -= kScaleExponent;
    }
  }
  if (exponent != 0) p = std::ldexp(p, static_cast<int>(exponent));
  return std::clamp(p, 0.0, 1.0);
}

double KolmogorovCdfPomeranz(std::int64_t n, double x) {
  if (!(x > 0.0) || n < 1) return 0.0;
  if (x >= 1.0) return 1.0;
  const double dn = static_cast<double>(n);
  const double t = dn * x;
  const auto ll = static_cast<std::int64_t>(std::floor(t));
  const double f = t - static_cast<double>(ll);
  const double g = std::min(f, 1.0 - f);
  const std::int64_t ceilf = f > 0 ? 1 : 0;
  const std::int64_t roundf = f > 0.5 ? 1 : 0;
  const auto npowers = static_cast<std::size_t>(2 * (ll + 1));  // >= 2

  // Poisson-like weights (g/n)^j/j!, (2g/n)^j/j!, ((1-2g)/n)^j/j!.
  std::vector<double> gpower(npowers, 1.0);
  std::vector<double> twogpower(npowers, 1.0);
  std::vector<double> onem2gpower(npowers, 1.0);
  const double g_n = g / dn;
  const double twog_n = 2.0 * g / dn;
  const double onem2g_n = (1.0 - 2.0 * g) / dn;
  for (std::size_t j = 1; j < npowers; ++j) {
    const double dj = static_cast<double>(j);
    gpower[j] = gpower[j - 1] * g_n / dj;
    twogpower[j] = twogpower[j - 1] * twog_n / dj;
    onem2gpower[j] = onem2gpower[j - 1] * onem2g_n / dj;
  }

  // Two rows, each a window of npowers entries starting at column `start`.
  std::vector<double> previous(npowers, 0.0);
  std::vector<double> current(npowers, 0.0);
  if (current.empty()) return 0.0;  // unreachable (npowers >= 2); tells the optimiser so
  current.front() = 1.0;
  std::int64_t current_start = 0;
  std::int64_t exponent = 0;
  auto [j1, j2] = PomeranzBounds(0, n, ll, ceilf, roundf);
  for (std::int64_t i = 1; i < 2 * n + 2; ++i) {
    const std::int64_t k1 = j1;
    std::swap(previous, current);
    const std::int64_t previous_start = current_start;
    std::fill(current.begin(), current.end(), 0.0);
    std::tie(j1, j2) = PomeranzBounds(i, n, ll, ceilf, roundf);
    const std::vector<double>& weights =
        (i == 1 || i == 2 * n + 1) ? gpower : ((i % 2 != 0) ? twogpower : onem2gpower);
    const std::int64_t ln2 = j2 - k1 + 1;
    if (ln2 <= 0) continue;
    // Row i = (row i-1 over [k1, j2]) convolved with the weights, kept over [j1, j2].
    const std::int64_t offset = k1 - previous_start;
    const std::int64_t la = std::min<std::int64_t>(ln2, static_cast<std::int64_t>(npowers) - offset);
    const std::int64_t lb = std::min<std::int64_t>(ln2, static_cast<std::int64_t>(npowers));
    const std::int64_t conv_start = j1 - k1;
    const std::int64_t conv_len = j2 - j1 + 1;
    double largest = 0.0;
    for (std::int64_t c = 0; c < std::min<std::int64_t>(conv_len, static_cast<std::int64_t>(npowers)); ++c) {
      const std::int64_t target = conv_start + c;
      double sum = 0.0;
      for (std::int64_t s = std::max<std::int64_t>(0, target - lb + 1); s <= std::min(target, la - 1); ++s) {
        sum += previous[static_cast<std::size_t>(offset + s)] * weights[static_cast<std::size_t>(target - s)];
      }
      current[static_cast<std::size_t>(c)] = sum;
      largest = std::max(largest, sum);
    }
    if (largest > 0.0 && largest < kScaleDown) {
      for (double& e : current) e *= kScaleUp;
      exponent -= kScaleExponent;
    }
    current_start = previous_start + j1 - k1;
  }

  const std::int64_t last = n - current_start;
  if (last < 0 || last >= static_cast<std::int64_t>(npowers)) return 0.0;  // the band closed: no path
  double answer = current[static_cast<std::size_t>(last)];
  for (std::int64_t j = 1; j <= n; ++j) {  // times n!
    if (std::fabs(answer) > kScaleUp) {
      answer *= kScaleDown;
      exponent += kScaleExponent;
    }
    answer *= static_cast<double>(j);
  }
  if (exponent != 0) answer = std::ldexp(answer, static_cast<int>(exponent));
  return std::clamp(answer, 0.0, 1.0);
}

}  // namespace driftgate::stats

#include "core/stats/ks.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "core/stats/kolmogorov.h"
#include "core/stats/radix_sort.h"

namespace driftgate::stats {
namespace {

// Floor and ceiling of a / b for b > 0 in integers (scipy divides in floating point; with a, b below
// 2^40 both agree, and integers make the bounds exact).
std::int64_t FloorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a < 0) ? q - 1 : q;
}
std::int64_t CeilDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && a > 0) ? q + 1 : q;
}

// The signed extremes of F_a - F_b over the pooled points, computed as scipy does (i/m - j/n in
// doubles), so the asymptotic branch sees bit-identical D.
double MaxAbsEcdfDifference(std::span<const double> a, std::span<const double> b) {
  const std::size_t m = a.size();
  const std::size_t n = b.size();
  const double dm = static_cast<double>(m);
  const double dn = static_cast<double>(n);
  std::size_t i = 0;
  std::size_t j = 0;
  double max_diff = 0.0;
  double min_diff = 0.0;
  while (i < m && j < n) {
    const double x = std::min(a[i], b[j]);
    while (i < m && a[i] <= x) ++i;
    while (j < n && b[j] <= x) ++j;
    const double diff = static_cast<double>(i) / dm - static_cast<double>(j) / dn;
    max_diff = std::max(max_diff, diff);
    min_diff = std::min(min_diff, diff);
  }
  // Once one sample is exhausted its CDF is 1 and the other's only rises towards 1: |diff| shrinks, so
  // the remaining points cannot raise the maximum.
  return std::max(max_diff, -min_diff);
}

}  // namespace

double KsExactSfEqualSizes(std::int64_t n, std::int64_t h) {
  // Pr = 2 Σ_{k>=1} (-1)^(k-1) C(2n, n-kh) / C(2n, n), each ratio a product of h factors, nested as
  // 2·A1·(1 - A2·(1 - A3·(...))) to avoid the cancellation of the alternating sum.
  if (h <= 0) return 1.0;
  double p = 0.0;
  for (std::int64_t k = n / h; k >= 0; --k) {
    double ratio = 1.0;
    for (std::int64_t j = 0; j < h; ++j) {
      ratio = static_cast<double>(n - k * h - j) * ratio / static_cast<double>(n + k * h + j + 1);
    }
    p = ratio * (1.0 - p);
  }
  return std::clamp(2.0 * p, 0.0, 1.0);
}

double KsExactSfInside(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h) {
  // Column-by-column recursion over the lattice (x = i, y = j) for the probability that a random path
  // leaves the band |n·x - m·y| / g < h, i.e. 1 - A(m, n)/C(m+n, n), carried as "1 - p" directly.
  // Only a sliding window of one column is kept.
  if (m < n) std::swap(m, n);
  const std::int64_t mg = m / g;
  const std::int64_t ng = n / g;
  std::int64_t minj = 0;
  std::int64_t maxj = std::min(CeilDiv(h, mg), n + 1);
  std::int64_t curlen = maxj - minj;
  // scipy sizes this min(2·maxj + 2, n + 1); a full column (plus one) is cheap for n <= 10000 and
  // keeps every index in range.
  std::vector<double> column(static_cast<std::size_t>(n + 2), 1.0);
  std::fill(column.begin() + minj, column.begin() + maxj, 0.0);
  for (std::int64_t i = 1; i <= m; ++i) {
    const std::int64_t lastminj = minj;
    const std::int64_t lastlen = curlen;
    minj = std::min(std::max(FloorDiv(ng * i - h, mg) + 1, std::int64_t{0}), n);
    maxj = std::min(CeilDiv(ng * i + h, mg), n + 1);
    if (maxj <= minj) return 1.0;
    const double di = static_cast<double>(i);
    double val = minj == 0 ? 0.0 : 1.0;
    for (std::int64_t jj = 0; jj < maxj - minj; ++jj) {
      const double dj = static_cast<double>(jj + minj);
      val = (column[static_cast<std::size_t>(jj + minj - lastminj)] * di + val * dj) / (di + dj);
      column[static_cast<std::size_t>(jj)] = val;
    }
    curlen = maxj - minj;
    if (lastlen > curlen) {
      // Cells that left the window are outside the band: their "1 - p" is 1.
      std::fill(column.begin() + curlen, column.begin() + lastlen, 1.0);
    }
  }
  return column[static_cast<std::size_t>(maxj - minj - 1)];
}

KsResult KsTwoSampleSorted(std::span<const double> a_sorted, std::span<const double> b_sorted) {
  const auto m = static_cast<std::int64_t>(a_sorted.size());
  const auto n = static_cast<std::int64_t>(b_sorted.size());
  KsResult result;
  result.statistic = MaxAbsEcdfDifference(a_sorted, b_sorted);
  if (std::max(m, n) <= kKsMaxExactSize) {
    const std::int64_t g = std::gcd(m, n);
    const std::int64_t lcm = (m / g) * n;
    const auto h = static_cast<std::int64_t>(std::nearbyint(result.statistic * static_cast<double>(lcm)));
    result.statistic = static_cast<double>(h) / static_cast<double>(lcm);
    result.exact = true;
    if (h == 0) {
      result.p_value = 1.0;
    } else {
      const double p = m == n ? KsExactSfEqualSizes(m, h) : KsExactSfInside(m, n, g, h);
      result.p_value = std::clamp(p, 0.0, 1.0);
    }
    return result;
  }
  const double dm = static_cast<double>(m);
  const double dn = static_cast<double>(n);
  const double effective_n = std::nearbyint(dm * dn / (dm + dn));  // ties to even, as np.round
  result.p_value =
      std::clamp(KolmogorovSf(static_cast<std::int64_t>(effective_n), result.statistic), 0.0, 1.0);
  return result;
}

KsResult KsTwoSample(std::span<const double> a, std::span<const double> b) {
  std::vector<double> a_storage, b_storage;
  return KsTwoSampleSorted(Sorted(a, a_storage), Sorted(b, b_storage));
}

}  // namespace driftgate::stats

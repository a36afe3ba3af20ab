// Two-sample Kolmogorov–Smirnov test, two-sided, as scipy.stats.ks_2samp(a, b) with its defaults
// (method='auto', alternative='two-sided'), read from scipy 1.10 `scipy/stats/_stats_py.py`:
//
//   D = max_x |F_a(x) - F_b(x)| over the pooled data points (empirical CDFs, right-continuous, so ties
//   are handled by counting every equal value before comparing).
//   max(m, n) <= 10000: exact null distribution of D_{m,n} (lattice-path counting):
//     m == n : Pr(D >= h/n) by the alternating binomial sum evaluated Horner-like
//              (scipy `_compute_prob_outside_square`);
//     m != n : 1 - Pr(all lattice paths stay strictly inside |x/m - y/n| < h/lcm) by Hodges' "inside"
//              recursion, rewritten to carry 1 - p (Viehmann 2021, arXiv:2102.08037; scipy
//              `_compute_outer_prob_inside_method`). D is snapped to h/lcm(m, n), h = round(D·lcm).
//   otherwise: the one-sample distribution `kstwo` (kolmogorov.h) at n = round(m·n/(m+n)) (ties to even,
//              as np.round).
// References: Hodges, J.L. (1958) "The significance probability of the Smirnov two-sample test",
// Arkiv för Matematik 3(43), 469–486; Simard & L'Ecuyer (2011), JSS 39(11).
#pragma once

#include <cstdint>
#include <span>

namespace driftgate::stats {

// scipy's MAX_AUTO_N: exact p-values when both sizes are at most this.
inline constexpr std::int64_t kKsMaxExactSize = 10000;

struct KsResult {
  double statistic = 0.0;  // D
  double p_value = 1.0;
  bool exact = false;  // true when the exact two-sample distribution was used
};

// Both inputs must be non-empty, finite and sorted ascending (the caller sorts; O(m + n) here).
KsResult KsTwoSampleSorted(std::span<const double> a_sorted, std::span<const double> b_sorted);

// Copies and sorts (radix_sort.h, linear time), then KsTwoSampleSorted.
KsResult KsTwoSample(std::span<const double> a, std::span<const double> b);

// Pr(D_{n,n} >= h/n), 0 <= h <= n (scipy `_compute_prob_outside_square`), clamped to [0, 1]; KSWIN's
// p-value too.
double KsExactSfEqualSizes(std::int64_t n, std::int64_t h);

// Pr(D_{m,n} >= h/lcm(m,n)) for m != n allowed too; g = gcd(m, n), 0 <= h <= lcm
// (scipy `_compute_outer_prob_inside_method`).
double KsExactSfInside(std::int64_t m, std::int64_t n, std::int64_t g, std::int64_t h);

}  // namespace driftgate::stats

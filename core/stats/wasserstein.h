// First Wasserstein (earth mover's) distance between two empirical distributions on the real line,
// as scipy.stats.wasserstein_distance(u, v) (scipy 1.10 `_cdf_distance` with p = 1):
//   W1 = ∫ |F_u(x) - F_v(x)| dx = Σ over consecutive pooled values x_k < x_{k+1} of
//        |F_u(x_k) - F_v(x_k)|·(x_{k+1} - x_k)          (Ramdas, García Trillos & Cuturi 2017).
// The normed variant (Evidently's `wasserstein` stattest) divides by the reference's population
// standard deviation (numpy.std, ddof = 0), floored at 0.001 so constant references stay finite.
#pragma once

#include <span>

namespace driftgate::stats {

inline constexpr double kWassersteinMinStd = 0.001;

// Inputs non-empty, finite and sorted ascending; O(m + n).
double WassersteinSorted(std::span<const double> u_sorted, std::span<const double> v_sorted);
// Copies and sorts (radix_sort.h).
double Wasserstein(std::span<const double> u, std::span<const double> v);

// numpy.std(values) (ddof = 0), two-pass with compensated sums.
double PopulationStd(std::span<const double> values);

}  // namespace driftgate::stats

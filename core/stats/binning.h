// Turning two samples into aligned count vectors, shared by psi, jensen_shannon and chi2.
//
// Numbers: ten bins from the reference's deciles, computed as numpy.quantile(reference,
// [0.1, 0.2, ..., 0.9]) with its default 'linear' method (Hyndman & Fan 1996 type 7: virtual index
// (N-1)·q, lerp between neighbours, numpy 1.24 `_lerp` rounding). Bins are right-closed with open outer
// bins: (-inf, e1], (e1, e2], ..., (e9, +inf), i.e. bin(x) = #{edges < x}. Duplicate edges (ties in the
// reference) leave empty bins, which are kept: psi and jensen_shannon give them zero weight.
// Labels: one bin per category of the union of both samples, in byte order of the labels.
#pragma once

#include <array>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace driftgate::stats {

inline constexpr std::array<double, 9> kDecileLevels = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

// Counts per bin for the reference and the current sample; both vectors have the same size.
struct BinCounts {
  std::vector<double> reference;
  std::vector<double> current;
  double reference_total = 0.0;
  double current_total = 0.0;
};

// numpy.quantile(values, levels) with method='linear'; values non-empty and finite. O(N) expected
// (selection, no full sort).
std::vector<double> Quantiles(std::span<const double> values, std::span<const double> levels);

// bin(x) = number of edges strictly below x (edges ascending): right-closed bins.
std::size_t BinIndex(std::span<const double> edges, double x);

BinCounts DecileBinCounts(std::span<const double> reference, std::span<const double> current);
BinCounts CategoryCounts(std::span<const std::string> reference, std::span<const std::string> current);
// The same from each sample's distinct labels with their counts, each ascending by label.
BinCounts CategoryCounts(std::span<const std::pair<std::string, std::size_t>> reference,
                         std::span<const std::pair<std::string, std::size_t>> current);

}  // namespace driftgate::stats

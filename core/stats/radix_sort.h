// Sorting doubles in linear time for the sort-based tests (ks, wasserstein): LSD radix sort, 11-bit
// digits, on the IEEE-754 bit patterns mapped to unsigned keys whose order is the numeric order
// (flip all bits of negatives, the sign bit of positives; M. Herf 2001, "Radix tricks"). Passes whose
// digit is the same for every value are skipped. About 5× faster than std::sort at 10^6 values.
// Input must be NaN-free; -0.0 sorts before +0.0, which compare equal anyway.
#pragma once

#include <span>
#include <vector>

namespace driftgate::stats {

std::vector<double> SortedCopy(std::span<const double> values);

// `values` itself when already in ascending order (a cached reference sample is kept sorted), else a
// sorted copy held in `storage`.
std::span<const double> Sorted(std::span<const double> values, std::vector<double>& storage);

}  // namespace driftgate::stats

#include "core/stats/binning.h"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <unordered_map>

namespace driftgate::stats {
namespace {

// numpy 1.24 `_lerp`: a + (b - a)·t, or b - (b - a)·(1 - t) when t >= 0.5 (exact at both ends).
double Lerp(double a, double b, double t) {
  const double diff = b - a;
  return t >= 0.5 ? b - diff * (1.0 - t) : a + diff * t;
}

}  // namespace

std::vector<double> Quantiles(std::span<const double> values, std::span<const double> levels) {
  std::vector<double> work(values.begin(), values.end());
  const std::size_t n = work.size();
  std::vector<double> result;
  result.reserve(levels.size());
  // Levels are processed in ascending order so each selection only scans what lies above the last one.
  std::vector<std::size_t> order(levels.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return levels[a] < levels[b]; });
  result.assign(levels.size(), 0.0);
  std::size_t selected_from = 0;
  for (std::size_t idx : order) {
    const double virtual_index = static_cast<double>(n - 1) * levels[idx];
    std::size_t lo = n - 1;
    std::size_t hi = n - 1;
    double gamma = 0.0;
    if (virtual_index < static_cast<double>(n - 1)) {
      const double floor_index = std::floor(virtual_index);
      lo = static_cast<std::size_t>(floor_index);
      hi = lo + 1;
      gamma = virtual_index - floor_index;
    }
    std::nth_element(work.begin() + static_cast<std::ptrdiff_t>(selected_from),
                     work.begin() + static_cast<std::ptrdiff_t>(lo), work.end());
    const double a = work[lo];
    // The next order statistic is the smallest of what lies above lo.
    const double b =
        hi == lo ? a : *std::min_element(work.begin() + static_cast<std::ptrdiff_t>(hi), work.end());
    result[idx] = Lerp(a, b, gamma);
    selected_from = lo;
  }
  return result;
}

std::size_t BinIndex(std::span<const double> edges, double x) {
  std::size_t index = 0;
  for (double edge : edges) index += edge < x ? 1 : 0;  // branch-free; edges are few
  return index;
}

BinCounts DecileBinCounts(std::span<const double> reference, std::span<const double> current) {
  const std::vector<double> edges = Quantiles(reference, kDecileLevels);
  BinCounts counts;
  counts.reference.assign(edges.size() + 1, 0.0);
  counts.current.assign(edges.size() + 1, 0.0);
  std::vector<std::size_t> tally(edges.size() + 1, 0);
  for (double x : reference) ++tally[BinIndex(edges, x)];
  for (std::size_t i = 0; i < tally.size(); ++i) counts.reference[i] = static_cast<double>(tally[i]);
  std::fill(tally.begin(), tally.end(), 0);
  for (double x : current) ++tally[BinIndex(edges, x)];
  for (std::size_t i = 0; i < tally.size(); ++i) counts.current[i] = static_cast<double>(tally[i]);
  counts.reference_total = static_cast<double>(reference.size());
  counts.current_total = static_cast<double>(current.size());
  return counts;
}

BinCounts CategoryCounts(std::span<const std::string> reference, std::span<const std::string> current) {
  // Count by hash first (labels are often many), then lay the categories out in sorted order.
  std::unordered_map<std::string_view, std::pair<std::size_t, std::size_t>> tally;
  for (const std::string& label : reference) ++tally[label].first;
  for (const std::string& label : current) ++tally[label].second;
  std::vector<std::string_view> labels;
  labels.reserve(tally.size());
  for (const auto& [label, unused] : tally) labels.push_back(label);
  std::sort(labels.begin(), labels.end());
  BinCounts counts;
  for (std::string_view label : labels) {
    const auto& [ref, cur] = tally.at(label);
    counts.reference.push_back(static_cast<double>(ref));
    counts.current.push_back(static_cast<double>(cur));
  }
  counts.reference_total = static_cast<double>(reference.size());
  counts.current_total = static_cast<double>(current.size());
  return counts;
}

BinCounts CategoryCounts(std::span<const std::pair<std::string, std::size_t>> reference,
                         std::span<const std::pair<std::string, std::size_t>> current) {
  BinCounts counts;
  std::size_t r = 0, c = 0;
  while (r < reference.size() || c < current.size()) {  // a merge of the two ascending label lists
    const bool take_ref =
        r < reference.size() && (c == current.size() || reference[r].first <= current[c].first);
    const bool take_cur =
        c < current.size() && (r == reference.size() || current[c].first <= reference[r].first);
    counts.reference.push_back(take_ref ? static_cast<double>(reference[r].second) : 0.0);
    counts.current.push_back(take_cur ? static_cast<double>(current[c].second) : 0.0);
    if (take_ref) counts.reference_total += static_cast<double>(reference[r++].second);
    if (take_cur) counts.current_total += static_cast<double>(current[c++].second);
  }
  return counts;
}

}  // namespace driftgate::stats

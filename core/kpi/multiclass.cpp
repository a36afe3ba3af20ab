// Macro- and weighted-averaged F1 of multiclass tasks (sklearn f1_score average="macro" | "weighted"), with
// jackknife intervals computed from per-class tallies. See estimators.h.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/kpi/estimators.h"
#include "core/kpi/intervals.h"

namespace driftgate::kpi {
namespace {

// Class strings mapped to dense indices once per call, so the loops below touch integers only.
struct Tallies {
  std::vector<std::uint32_t> actual;     // per pair
  std::vector<std::uint32_t> predicted;  // per pair
  std::vector<std::size_t> tp;           // per class
  std::vector<std::size_t> predicted_count;
  std::vector<std::size_t> support;  // actual count
};

Tallies Tally(std::span<const Pair> pairs) {
  Tallies t;
  t.actual.reserve(pairs.size());
  t.predicted.reserve(pairs.size());
  std::unordered_map<std::string_view, std::uint32_t> index;
  index.reserve(16);
  const auto index_of = [&](std::string_view name) {
    const auto [it, inserted] = index.try_emplace(name, static_cast<std::uint32_t>(index.size()));
    if (inserted) {
      t.tp.push_back(0);
      t.predicted_count.push_back(0);
      t.support.push_back(0);
    }
    return it->second;
  };
  for (const Pair& pair : pairs) {
    const std::uint32_t a = index_of(pair.actual);
    const std::uint32_t p = index_of(pair.predicted);
    t.actual.push_back(a);
    t.predicted.push_back(p);
    ++t.support[a];
    ++t.predicted_count[p];
    if (a == p) ++t.tp[a];
  }
  return t;
}

// One class's F1 = 2TP / (2TP + FP + FN) = 2TP / (predicted + support); a class with neither has left the
// label union.
struct ClassTerm {
  double f1 = 0.0;
  double support = 0.0;
  bool present = false;
};

ClassTerm Term(std::size_t tp, std::size_t predicted, std::size_t support) {
  const std::size_t denominator = predicted + support;
  if (denominator == 0) return {};
  return {2.0 * static_cast<double>(tp) / static_cast<double>(denominator), static_cast<double>(support),
          true};
}

enum class Average { kMacro, kWeighted };

double Weight(Average average, const ClassTerm& term) {
  return average == Average::kMacro ? 1.0 : term.support;
}

std::optional<Estimate> AveragedF1(std::span<const Pair> pairs, double confidence, Average average) {
  if (pairs.empty()) return std::nullopt;
  const Tallies t = Tally(pairs);
  const std::size_t classes = t.tp.size();
  const std::size_t n = pairs.size();

  double sum = 0.0;  // sum of weight * F1 over the label union
  for (std::size_t c = 0; c < classes; ++c) {
    const ClassTerm term = Term(t.tp[c], t.predicted_count[c], t.support[c]);
    sum += Weight(average, term) * term.f1;
  }
  const double total_weight =
      average == Average::kMacro ? static_cast<double>(classes) : static_cast<double>(n);
  const double value = sum / total_weight;
  Estimate estimate{.value = value, .lower = 0.0, .upper = 1.0, .n = n};
  // Without the only pair, the replicate is undefined: keep the whole range [0, 1].
  if (n < 2) return estimate;

  // Leaving out pair (a, p) changes the tallies of classes a and p only: O(1) per replicate.
  MeanAccumulator replicates;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint32_t a = t.actual[i];
    const std::uint32_t p = t.predicted[i];
    double replicate_sum = sum;
    double replicate_weight = average == Average::kMacro ? total_weight : total_weight - 1.0;
    const auto swap_term = [&](const ClassTerm& before, const ClassTerm& after) {
      replicate_sum += Weight(average, after) * after.f1 - Weight(average, before) * before.f1;
      if (average == Average::kMacro && !after.present) replicate_weight -= 1.0;
    };
    if (a == p) {
      swap_term(Term(t.tp[a], t.predicted_count[a], t.support[a]),
                Term(t.tp[a] - 1, t.predicted_count[a] - 1, t.support[a] - 1));
    } else {
      swap_term(Term(t.tp[a], t.predicted_count[a], t.support[a]),
                Term(t.tp[a], t.predicted_count[a], t.support[a] - 1));
      swap_term(Term(t.tp[p], t.predicted_count[p], t.support[p]),
                Term(t.tp[p], t.predicted_count[p] - 1, t.support[p]));
    }
    replicates.Add(replicate_sum / replicate_weight);
  }
  const Interval ci = NormalInterval(value, JackknifeStandardError(replicates), confidence);
  estimate.lower = std::clamp(ci.lower, 0.0, 1.0);
  estimate.upper = std::clamp(ci.upper, 0.0, 1.0);
  return estimate;
}

}  // namespace

std::optional<Estimate> EstimateMacroF1(std::span<const Pair> pairs, double confidence) {
  return AveragedF1(pairs, confidence, Average::kMacro);
}

std::optional<Estimate> EstimateWeightedF1(std::span<const Pair> pairs, double confidence) {
  return AveragedF1(pairs, confidence, Average::kWeighted);
}

}  // namespace driftgate::kpi

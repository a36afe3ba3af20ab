// Accuracy and the positive-class metrics of binary tasks (precision, recall, f1). See estimators.h.
#include <algorithm>
#include <cstddef>
#include <optional>

#include "core/kpi/estimators.h"
#include "core/kpi/intervals.h"

namespace driftgate::kpi {
namespace {

struct Confusion {
  std::size_t tp = 0;
  std::size_t fp = 0;
  std::size_t fn = 0;
  std::size_t tn = 0;
};

Confusion CountBinary(std::span<const Pair> pairs) {
  Confusion c;
  for (const Pair& pair : pairs) {
    const bool predicted_positive = pair.predicted == kPositiveClass;
    const bool actual_positive = pair.actual == kPositiveClass;
    if (predicted_positive) {
      ++(actual_positive ? c.tp : c.fp);
    } else {
      ++(actual_positive ? c.fn : c.tn);
    }
  }
  return c;
}

Estimate WilsonEstimate(std::size_t successes, std::size_t trials, std::size_t n, double confidence) {
  const Interval ci = WilsonInterval(successes, trials, confidence);
  return Estimate{.value = static_cast<double>(successes) / static_cast<double>(trials),
                  .lower = ci.lower,
                  .upper = ci.upper,
                  .n = n};
}

std::optional<double> F1(std::size_t tp, std::size_t fp, std::size_t fn) {
  const std::size_t denominator = 2 * tp + fp + fn;
  if (denominator == 0) return std::nullopt;
  return 2.0 * static_cast<double>(tp) / static_cast<double>(denominator);
}

}  // namespace

std::optional<Estimate> EstimateAccuracy(std::span<const Pair> pairs, double confidence) {
  if (pairs.empty()) return std::nullopt;
  const auto correct = static_cast<std::size_t>(
      std::count_if(pairs.begin(), pairs.end(), [](const Pair& p) { return p.predicted == p.actual; }));
  return WilsonEstimate(correct, pairs.size(), pairs.size(), confidence);
}

std::optional<Estimate> EstimatePrecision(std::span<const Pair> pairs, double confidence) {
  const Confusion c = CountBinary(pairs);
  if (c.tp + c.fp == 0) return std::nullopt;
  return WilsonEstimate(c.tp, c.tp + c.fp, pairs.size(), confidence);
}

std::optional<Estimate> EstimateRecall(std::span<const Pair> pairs, double confidence) {
  const Confusion c = CountBinary(pairs);
  if (c.tp + c.fn == 0) return std::nullopt;
  return WilsonEstimate(c.tp, c.tp + c.fn, pairs.size(), confidence);
}

std::optional<Estimate> EstimateF1(std::span<const Pair> pairs, double confidence) {
  const Confusion c = CountBinary(pairs);
  const std::optional<double> value = F1(c.tp, c.fp, c.fn);
  if (!value) return std::nullopt;

  // Jackknife: leaving out one pair of a cell gives the same replicate for every pair of that cell, so four
  // weighted replicates stand for all n.
  MeanAccumulator replicates;
  bool all_defined = true;
  const auto add = [&](std::size_t count, std::optional<double> replicate) {
    if (count == 0) return;
    if (!replicate) {
      all_defined = false;
      return;
    }
    replicates.Add(*replicate, static_cast<double>(count));
  };
  if (c.tp > 0) add(c.tp, F1(c.tp - 1, c.fp, c.fn));
  if (c.fp > 0) add(c.fp, F1(c.tp, c.fp - 1, c.fn));
  if (c.fn > 0) add(c.fn, F1(c.tp, c.fp, c.fn - 1));
  add(c.tn, value);

  Estimate estimate{.value = *value, .lower = 0.0, .upper = 1.0, .n = pairs.size()};
  // With TP + FP + FN = 1 the replicate without that pair is undefined: keep the whole range [0, 1].
  if (all_defined) {
    const Interval ci = NormalInterval(*value, JackknifeStandardError(replicates), confidence);
    estimate.lower = std::clamp(ci.lower, 0.0, 1.0);
    estimate.upper = std::clamp(ci.upper, 0.0, 1.0);
  }
  return estimate;
}

}  // namespace driftgate::kpi

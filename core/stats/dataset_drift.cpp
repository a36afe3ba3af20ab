#include "core/stats/dataset_drift.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace driftgate::stats {
namespace {

double Ratio(double numerator, double denominator) {
  if (denominator > 0.0) return numerator / denominator;
  return numerator > 0.0 ? std::numeric_limits<double>::infinity() : 0.0;
}

}  // namespace

double DriftScore(const TestResult& result) {
  return result.p_value ? Ratio(result.threshold, *result.p_value)
                        : Ratio(result.statistic, result.threshold);
}

Result<DatasetDrift> CheckDataset(const std::map<std::string, Sample>& reference,
                                  const std::map<std::string, Sample>& current,
                                  const DatasetDriftOptions& options) {
  if (!(options.drift_share > 0.0 && options.drift_share <= 1.0)) {
    return Error::Invalid("drift_share", "drift_share must be in (0, 1]");
  }
  if (reference.empty()) return Error::Invalid("features", "no features to compare");
  for (const auto& [name, unused] : current) {
    if (!reference.contains(name)) {
      return Error::Invalid("features." + name, "feature '" + name + "' has no reference sample");
    }
  }
  for (const auto& [name, unused] : options.tests) {
    if (!reference.contains(name))
      return Error::Invalid("tests." + name, "test given for unknown feature '" + name + "'");
  }
  for (const auto& [name, unused] : options.thresholds) {
    if (!reference.contains(name)) {
      return Error::Invalid("thresholds." + name, "threshold given for unknown feature '" + name + "'");
    }
  }

  DatasetDrift dataset;
  dataset.drift_share = options.drift_share;
  for (const auto& [name, ref] : reference) {
    const auto cur = current.find(name);
    if (cur == current.end()) {
      return Error::Invalid("features." + name, "feature '" + name + "' has no current sample");
    }
    const auto test_override = options.tests.find(name);
    const Test test = test_override != options.tests.end() ? test_override->second : DefaultTestFor(ref);
    const auto threshold_override = options.thresholds.find(name);
    const std::optional<double> threshold = threshold_override != options.thresholds.end()
                                                ? std::optional<double>(threshold_override->second)
                                                : std::nullopt;
    Result<TestResult> result = Run(test, ref, cur->second, threshold);
    if (!result.ok()) {
      return Error::Invalid("features." + name, "feature '" + name + "': " + result.error().message);
    }
    const double score = DriftScore(*result);
    dataset.features.push_back(FeatureDrift{name, std::move(result).value(), score});
  }
  std::sort(dataset.features.begin(), dataset.features.end(),
            [](const FeatureDrift& a, const FeatureDrift& b) {
              if (a.result.drift != b.result.drift) return a.result.drift;
              if (a.score != b.score) return a.score > b.score;
              return a.feature < b.feature;
            });
  dataset.drifted =
      static_cast<std::size_t>(std::count_if(dataset.features.begin(), dataset.features.end(),
                                             [](const FeatureDrift& f) { return f.result.drift; }));
  dataset.share = static_cast<double>(dataset.drifted) / static_cast<double>(dataset.features.size());
  dataset.drift = dataset.share >= options.drift_share;
  return dataset;
}

}  // namespace driftgate::stats

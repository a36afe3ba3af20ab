// Dataset drift: one two-sample test per feature and a verdict on the share of drifted features
// (Evidently's DataDriftPreset semantics, openapi.yaml ModelConfig `drift`: dataset drift when at least
// `drift_share` of the features drift; default 0.5).
//
// Ranking, most drifted first. Results of different tests are made comparable by a score that is > 1
// exactly when a feature is past its threshold and grows with the evidence:
//   p-value tests:  score = threshold / p_value   (so, for one threshold, ascending p-value)
//   distances:      score = statistic / threshold (descending statistic/threshold ratio)
// Features are ordered drifted first, then by descending score, then by name. A zero denominator gives
// +inf when the numerator is positive.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/stats/two_sample.h"

namespace driftgate::stats {

struct DatasetDriftOptions {
  std::map<std::string, Test> tests;         // per-feature test; others get DefaultTestFor(reference)
  std::map<std::string, double> thresholds;  // per-feature threshold; others get DefaultThreshold(test)
  double drift_share = 0.5;                  // in (0, 1]
};

struct FeatureDrift {
  std::string feature;
  TestResult result;
  double score = 0.0;  // see the header comment
};

struct DatasetDrift {
  std::vector<FeatureDrift> features;  // most drifted first
  std::size_t drifted = 0;
  double share = 0.0;        // drifted / features.size()
  double drift_share = 0.5;  // the share that was asked for
  bool drift = false;        // share >= drift_share
};

// Both maps must name the same features (at least one). InvalidArgument names the feature whose samples
// or options are wrong (field "features.<name>").
Result<DatasetDrift> CheckDataset(const std::map<std::string, Sample>& reference,
                                  const std::map<std::string, Sample>& current,
                                  const DatasetDriftOptions& options = {});

// The ranking score of one result (header comment).
double DriftScore(const TestResult& result);

}  // namespace driftgate::stats

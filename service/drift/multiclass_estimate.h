// Multiclass CBPE of a drift check's window (core/kpi/cbpe_multiclass.h): the one-vs-rest calibration is
// fitted on the labelled reference predictions that carry a `score` object, over the classes named in
// those objects (sorted); a row missing a class's score counts as that class's lowest calibrated value. A
// window prediction of a class outside them is left out.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/domain/model.h"
#include "core/kpi/metrics.h"
#include "db/quality_repo.h"

namespace driftgate::service {

using ClassScores = std::vector<std::pair<std::string, double>>;

struct MulticlassEstimate {
  std::vector<std::pair<kpi::Metric, kpi::Estimate>> kpis{};  // the configured, estimable KPIs
  std::size_t n = 0;                                          // window predictions used
  // {class: {"precision": {value, lower, upper, n}, "recall": {...}}}; empty without an estimate.
  std::string per_class_json{};
};

// Empty when fewer than kMinCalibrationPairs labelled reference rows carry scores, or a class cannot be
// calibrated (it never occurs, or always, among their labels).
MulticlassEstimate EstimateMulticlassKpis(const domain::ModelConfig& config,
                                          const std::vector<db::LabelledReferenceRow>& reference,
                                          const std::vector<std::pair<std::string, ClassScores>>& window);

}  // namespace driftgate::service

#include "service/drift/multiclass_estimate.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "core/kpi/cbpe_multiclass.h"
#include "service/drift/drift_judgement.h"

namespace driftgate::service {
namespace {

std::size_t IndexOf(const std::vector<std::string>& classes, const std::string& cls) {
  const auto it = std::lower_bound(classes.begin(), classes.end(), cls);
  return it != classes.end() && *it == cls ? static_cast<std::size_t>(it - classes.begin()) : classes.size();
}

// The row's scores in `classes` order; NaN for a class it does not name.
std::vector<double> Row(const std::vector<std::string>& classes, const ClassScores& scores) {
  std::vector<double> out(classes.size(), std::nan(""));
  for (const auto& [cls, p] : scores) {
    const std::size_t k = IndexOf(classes, cls);
    if (k < classes.size()) out[k] = p;
  }
  return out;
}

}  // namespace

MulticlassEstimate EstimateMulticlassKpis(const domain::ModelConfig& config,
                                          const std::vector<db::LabelledReferenceRow>& reference,
                                          const std::vector<std::pair<std::string, ClassScores>>& window) {
  MulticlassEstimate out;
  std::set<std::string> named;
  std::size_t scored = 0;
  for (const auto& r : reference) {
    if (r.class_scores.empty()) continue;
    ++scored;
    for (const auto& [cls, p] : r.class_scores) named.insert(cls);
  }
  if (scored < kMinCalibrationPairs || window.empty()) return out;
  const std::vector<std::string> classes(named.begin(), named.end());
  std::vector<double> scores;
  std::vector<std::size_t> labels;
  scores.reserve(scored * classes.size());
  for (const auto& r : reference) {
    if (r.class_scores.empty()) continue;
    const auto row = Row(classes, r.class_scores);
    scores.insert(scores.end(), row.begin(), row.end());
    labels.push_back(IndexOf(classes, r.label_class));
  }
  const auto calibration = kpi::MulticlassCalibration::Fit(classes, scores, labels);
  if (!calibration) return out;
  std::vector<kpi::MulticlassInput> inputs;
  inputs.reserve(window.size());
  for (const auto& [predicted, row] : window) {
    inputs.push_back({.predicted = IndexOf(classes, predicted), .scores = Row(classes, row)});
    if (inputs.back().predicted < classes.size()) ++out.n;
  }
  const auto e = kpi::EstimateMulticlass(*calibration, inputs, config.evaluation.confidence);
  for (const auto& spec : config.kpis) {
    const std::optional<kpi::Estimate>* chosen = nullptr;
    if (spec.metric == kpi::Metric::kAccuracy) chosen = &e.accuracy;
    if (spec.metric == kpi::Metric::kMacroF1) chosen = &e.macro_f1;
    if (spec.metric == kpi::Metric::kWeightedF1) chosen = &e.weighted_f1;
    if (chosen && *chosen) out.kpis.emplace_back(spec.metric, **chosen);
  }
  const auto value = [](const kpi::Estimate& v) {
    return nlohmann::json{{"value", v.value}, {"lower", v.lower}, {"upper", v.upper}, {"n", v.n}};
  };
  nlohmann::json per_class = nlohmann::json::object();
  for (std::size_t k = 0; k < classes.size(); ++k) {
    nlohmann::json c = nlohmann::json::object();
    if (e.precision[k]) c["precision"] = value(*e.precision[k]);
    if (e.recall[k]) c["recall"] = value(*e.recall[k]);
    per_class[classes[k]] = std::move(c);
  }
  out.per_class_json = per_class.dump();
  return out;
}

}  // namespace driftgate::service

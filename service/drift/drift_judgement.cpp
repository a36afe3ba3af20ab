#include "service/drift/drift_judgement.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/kpi/cbpe.h"
#include "core/stats/wasserstein.h"

namespace driftgate::service {
namespace {

using LabelCountList = std::vector<std::pair<std::string, std::size_t>>;

std::string NumberLabel(double v) {
  char buf[32];
  if (v == static_cast<double>(static_cast<long long>(v)) && std::abs(v) < 1e15) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// The prediction column holds a class (a string) or a regression's value (a number), as the task says.
bool UsesNumbers(const std::string& name, kpi::Task task) {
  return name != "prediction" || task == kpi::Task::kRegression;
}
bool UsesLabels(const std::string& name, kpi::Task task) {
  return name != "prediction" || task != kpi::Task::kRegression;
}

// Types a column by the reference: a column with any string value there is categorical (its numbers are
// labels then, e.g. "3"); a numeric one keeps its numbers, sorted (the tests do not depend on order, and a
// sorted sample needs no sorting at each check). A categorical column's strings stay counted.
stats::Sample Typed(const WindowColumns::Column& c, std::vector<std::pair<std::string, std::size_t>>&& counts,
                    bool use_numbers, bool categorical) {
  stats::Sample s;
  s.categorical = categorical;
  if (categorical) {
    s.label_counts = std::move(counts);
    if (use_numbers) {
      s.labels.reserve(c.numbers.size());
      for (double v : c.numbers) s.labels.push_back(NumberLabel(v));
    }
  } else if (use_numbers) {
    s.numbers = c.numbers;
  }
  return s;
}

}  // namespace

ReferenceData BuildReference(const std::vector<WindowRow>& rows, kpi::Task task,
                             const domain::MultivariateSpec& multivariate) {
  WindowColumns columns;
  for (const auto& r : rows) columns.Add(r);
  columns.Settle();
  ReferenceData data;
  for (const auto& [name, c] : columns.columns()) {
    const bool categorical = UsesLabels(name, task) && c.label_count > 0;
    stats::Sample s = Typed(c, categorical ? WindowColumns::LabelCounts(c) : LabelCountList{},
                            UsesNumbers(name, task), categorical);
    // Kept and tested at every check: its spread is computed once (wasserstein_normed divides by it).
    if (!categorical && !s.numbers.empty()) s.population_std = stats::PopulationStd(s.numbers);
    if (s.size() >= kMinValuesPerColumn) data.columns.emplace(name, std::move(s));
  }
  std::vector<const evaluate::FeatureRow*> feature_rows;
  feature_rows.reserve(rows.size());
  for (const auto& r : rows) {
    feature_rows.push_back(&r.features);
    if (r.score || !r.class_scores.empty()) ++data.scored;
  }
  data.quality = evaluate::Profile(feature_rows);
  data.multivariate_spec = multivariate;
  if (multivariate.enabled) {
    auto fitted = stats::ReconstructionDrift::Fit(
        feature_rows, {.variance = multivariate.variance, .chunks = multivariate.chunks});
    if (fitted) data.multivariate = std::make_shared<const stats::ReconstructionDrift>(std::move(*fitted));
  }
  return data;
}

WindowSummary SummarizeWindow(const std::deque<WindowRow>& rows, const WindowColumns& columns,
                              const ReferenceData& reference, kpi::Task task,
                              const domain::DataQualitySpec& quality) {
  WindowSummary w;
  w.size = rows.size();
  for (const auto& r : rows) {
    w.at_us = std::max(w.at_us, r.ts_us);
    if (r.score && r.pred_class) w.scores.emplace_back(*r.pred_class == kpi::kPositiveClass, *r.score);
    if (!r.class_scores.empty() && r.pred_class) w.class_scores.emplace_back(*r.pred_class, r.class_scores);
  }
  if (reference.multivariate) w.multivariate = columns.reconstruction().Judge(reference.multivariate, rows);
  const auto& cols = columns.columns();
  // Data quality over the features of the reference profile (the prediction and score columns are not
  // among them), from each column's numbers and strings.
  std::map<std::string, LabelCountList> labels;
  std::map<std::string, evaluate::WindowColumn> by_feature;
  for (const auto& [name, profile] : reference.quality.features) {
    const auto it = cols.find(name);
    if (it == cols.end()) continue;
    const auto& c = it->second;
    auto& l = labels[name];
    if (UsesLabels(name, task)) l = WindowColumns::LabelCounts(c);
    by_feature.emplace(
        name, evaluate::WindowColumn{.numbers = UsesNumbers(name, task) ? std::span<const double>(c.numbers)
                                                                        : std::span<const double>(),
                                     .label_counts = l});
  }
  w.quality = evaluate::AssessColumns(reference.quality, rows.size(), by_feature, quality);
  // The tests' samples, typed like the reference's columns.
  for (const auto& [name, ref] : reference.columns) {
    const auto it = cols.find(name);
    if (it == cols.end()) continue;
    LabelCountList l;
    if (ref.categorical && UsesLabels(name, task)) {
      const auto kept = labels.find(name);
      l = kept != labels.end() ? std::move(kept->second) : WindowColumns::LabelCounts(it->second);
    }
    stats::Sample s = Typed(it->second, std::move(l), UsesNumbers(name, task), ref.categorical);
    if (s.size() >= kMinValuesPerColumn) w.samples.emplace(name, std::move(s));
  }
  return w;
}

WindowSummary SummarizeWindow(const std::deque<WindowRow>& rows, const ReferenceData& reference,
                              kpi::Task task, const domain::DataQualitySpec& quality) {
  WindowColumns columns;
  for (const auto& r : rows) columns.Add(r);
  columns.Settle();
  return SummarizeWindow(rows, columns, reference, task, quality);
}

Result<stats::DatasetDrift> JudgeDataDrift(const ReferenceData& reference, WindowSummary& window,
                                           const domain::DriftSpec& spec) {
  if (window.samples.empty()) return stats::DatasetDrift{};
  // Both sides name the same columns: the reference's own map when the window has every one of them (the
  // usual case: no copy), else the ones it has.
  std::map<std::string, stats::Sample> subset;
  const bool all = window.samples.size() == reference.columns.size();
  if (!all) {
    for (const auto& [name, unused] : window.samples) subset.emplace(name, reference.columns.at(name));
  }
  stats::DatasetDriftOptions options;
  options.drift_share = spec.share;
  for (const auto& [col, test] : spec.tests) {
    if (auto t = stats::ParseTest(test)) options.tests[col] = *t;
  }
  options.thresholds = spec.thresholds;
  return stats::CheckDataset(all ? reference.columns : subset, window.samples, options);
}

bool Estimable(kpi::Metric m, kpi::Task task) {
  if (task == kpi::Task::kMulticlass) {
    return m == kpi::Metric::kAccuracy || m == kpi::Metric::kMacroF1 || m == kpi::Metric::kWeightedF1;
  }
  if (task != kpi::Task::kBinary) return false;
  return m == kpi::Metric::kAccuracy || m == kpi::Metric::kPrecision || m == kpi::Metric::kRecall ||
         m == kpi::Metric::kF1 || m == kpi::Metric::kRocAuc;
}

std::vector<std::pair<kpi::Metric, kpi::Estimate>> EstimateKpis(
    const domain::ModelConfig& config, const std::vector<db::LabelledReferenceRow>& reference,
    const std::vector<std::pair<bool, double>>& window) {
  std::vector<std::pair<kpi::Metric, kpi::Estimate>> out;
  if (reference.size() < kMinCalibrationPairs || window.empty()) return out;
  std::vector<double> scores;
  std::vector<int> labels;
  for (const auto& r : reference) {
    scores.push_back(r.score);
    labels.push_back(r.label_class == kpi::kPositiveClass ? 1 : 0);
  }
  const auto calibration = kpi::IsotonicCalibration::Fit(scores, labels);
  if (!calibration) return out;
  std::vector<kpi::EstimatedInput> inputs;
  inputs.reserve(window.size());
  for (const auto& [positive, score] : window) {
    inputs.push_back(
        {.predicted_positive = positive, .probability = calibration->Predict(score), .score = score});
  }
  for (const auto& spec : config.kpis) {
    if (!Estimable(spec.metric)) continue;
    if (auto e = kpi::EstimateMetric(spec.metric, inputs, config.evaluation.confidence, &*calibration)) {
      out.emplace_back(spec.metric, *e);
    }
  }
  return out;
}

}  // namespace driftgate::service

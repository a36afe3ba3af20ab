#include "service/drift_judgement.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "core/kpi/cbpe.h"

namespace driftgate::service {
namespace {

std::string NumberLabel(double v) {
  char buf[32];
  if (v == static_cast<double>(static_cast<long long>(v)) && std::abs(v) < 1e15) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// `rows`: WindowRows (service/drift_window.h), features already decoded.
template <class Rows>
std::map<std::string, RawColumn> Collect(const Rows& rows, kpi::Task task) {
  std::map<std::string, RawColumn> cols;
  // Rows usually list the same features in the same order: the column of the feature at position i is
  // remembered, and the map is searched only when a row differs.
  std::vector<std::pair<const std::string*, RawColumn*>> by_position;
  RawColumn& prediction = cols["prediction"];
  RawColumn* score = nullptr;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.features.size(); ++i) {
      const auto& [name, value] = row.features[i];
      if (i >= by_position.size()) by_position.emplace_back(nullptr, nullptr);
      auto& slot = by_position[i];
      if (slot.first == nullptr || *slot.first != name) {
        auto it = cols.try_emplace(name).first;
        slot = {&it->first, &it->second};
      }
      RawColumn& c = *slot.second;
      if (const auto* d = std::get_if<double>(&value)) {
        c.numbers.push_back(*d);
      } else if (const auto* label = std::get_if<std::string>(&value)) {
        c.labels.push_back(*label);
        c.any_label = true;
      }
    }
    if (task == kpi::Task::kRegression) {
      if (row.pred_value) prediction.numbers.push_back(*row.pred_value);
    } else if (row.pred_class) {
      prediction.labels.push_back(*row.pred_class);
      prediction.any_label = true;
    }
    if (row.score) {
      if (score == nullptr) score = &cols["score"];
      score->numbers.push_back(*row.score);
    }
  }
  if (prediction.numbers.empty() && prediction.labels.empty()) cols.erase("prediction");
  return cols;
}

// Types a column by the reference: a column with any string value there is categorical (its numbers are
// labels then, e.g. "3"). A numeric reference column keeps its numbers sorted (the tests do not depend on
// order, and a sorted sample needs no sorting at each check).
stats::Sample Typed(RawColumn&& c, bool categorical, bool sort = false) {
  stats::Sample s;
  s.categorical = categorical;
  if (categorical) {
    s.labels = std::move(c.labels);
    s.labels.reserve(s.labels.size() + c.numbers.size());
    for (double v : c.numbers) s.labels.push_back(NumberLabel(v));
  } else {
    s.numbers = std::move(c.numbers);
    if (sort) std::sort(s.numbers.begin(), s.numbers.end());
  }
  return s;
}

}  // namespace

ReferenceData BuildReference(const std::vector<WindowRow>& rows, kpi::Task task,
                             const domain::MultivariateSpec& multivariate) {
  ReferenceData data;
  for (auto& [name, c] : Collect(rows, task)) data.columns[name] = Typed(std::move(c), c.any_label, true);
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

WindowSummary SummarizeWindow(const std::deque<WindowRow>& rows, const ReferenceData& reference,
                              kpi::Task task, const domain::DataQualitySpec& quality) {
  WindowSummary w;
  w.size = rows.size();
  w.columns = Collect(rows, task);
  std::vector<const stats::FeatureRow*> feature_rows;
  feature_rows.reserve(rows.size());
  for (const auto& r : rows) {
    w.at_us = std::max(w.at_us, r.ts_us);
    if (r.score && r.pred_class) w.scores.emplace_back(*r.pred_class == kpi::kPositiveClass, *r.score);
    if (!r.class_scores.empty() && r.pred_class) w.class_scores.emplace_back(*r.pred_class, r.class_scores);
    feature_rows.push_back(&r.features);
  }
  if (reference.multivariate) w.multivariate = reference.multivariate->Judge(feature_rows);
  // Judged from the collected columns: the features of the reference profile only (the prediction and
  // score columns are not among them).
  std::map<std::string, evaluate::WindowColumn> columns;
  for (const auto& [name, c] : w.columns) {
    if (reference.quality.features.count(name))
      columns.emplace(name, evaluate::WindowColumn{c.numbers, c.labels});
  }
  w.quality = evaluate::AssessColumns(reference.quality, rows.size(), columns, quality);
  return w;
}

Result<stats::DatasetDrift> JudgeDataDrift(const ReferenceData& reference, WindowSummary& window,
                                           const domain::DriftSpec& spec) {
  std::map<std::string, stats::Sample> ref, cur;
  for (const auto& [name, sample] : reference.columns) {
    auto it = window.columns.find(name);
    if (it == window.columns.end() || sample.size() < kMinValuesPerColumn) continue;
    stats::Sample typed = Typed(std::move(it->second), sample.categorical);
    if (typed.size() < kMinValuesPerColumn) continue;
    ref[name] = sample;
    cur[name] = std::move(typed);
  }
  if (ref.empty()) return stats::DatasetDrift{};
  stats::DatasetDriftOptions options;
  options.drift_share = spec.share;
  for (const auto& [col, test] : spec.tests) {
    if (auto t = stats::ParseTest(test)) options.tests[col] = *t;
  }
  options.thresholds = spec.thresholds;
  return stats::CheckDataset(ref, cur, options);
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

#include "service/drift_monitor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/domain/time.h"
#include "core/evaluate/estimated.h"
#include "core/kpi/cbpe.h"
#include "core/stats/dataset_drift.h"
#include "db/drift_repo.h"
#include "db/evaluation_repo.h"
#include "db/models_repo.h"
#include "db/quality_repo.h"
#include "db/records_repo.h"
#include "service/audit.h"
#include "service/ingest_service.h"
#include "service/evaluation.h"
#include "service/models_service.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

constexpr std::size_t kMinValuesPerColumn = 10;  // fewer values in either sample: the column is skipped

std::string NumberLabel(double v) {
  char buf[32];
  if (v == static_cast<double>(static_cast<long long>(v)) && std::abs(v) < 1e15) {
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
    return std::string(buf, end);
  }
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

// Values of one column before typing: its numbers, and its string values (labels). Numbers become labels
// only if the column turns out categorical (Typed): most columns never need the text of their numbers.
struct RawColumn {
  std::vector<double> numbers;
  std::vector<std::string> labels;
  bool any_label = false;
};

// `rows`: WindowRows (service/drift_window.h), features already parsed.
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

// Types columns by the reference: a column with any string value there is categorical (its numbers are
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

json ResultJson(const stats::FeatureDrift& f) {
  json o{{"feature", f.feature},
         {"test", stats::TestName(f.result.test)},
         {"statistic", f.result.statistic},
         {"threshold", f.result.threshold},
         {"drifted", f.result.drift}};
  o["p_value"] = f.result.p_value ? json(*f.result.p_value) : json(nullptr);
  return o;
}

bool Estimable(kpi::Metric m) {
  return m == kpi::Metric::kAccuracy || m == kpi::Metric::kPrecision || m == kpi::Metric::kRecall ||
         m == kpi::Metric::kF1 || m == kpi::Metric::kRocAuc;
}

// CBPE (core/kpi/cbpe.h) of the configured binary KPIs over `window` (predicted positive, score):
// calibrated on the labelled reference. Empty when not applicable or too few labelled reference pairs.
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

json QualityJson(const evaluate::QualityVerdict& v) {
  json features = json::array();
  for (const auto& f : v.features) {
    features.push_back({{"feature", f.feature},
                        {"missing_rate", f.missing_rate},
                        {"type_error_rate", f.type_error_rate},
                        {"out_of_range_rate", f.out_of_range_rate},
                        {"unseen_rate", f.unseen_rate},
                        {"broken", f.broken},
                        {"reasons", f.reasons}});
  }
  return {
      {"incident", v.incident}, {"broken_features", v.broken_features}, {"features", std::move(features)}};
}

}  // namespace

bool DriftCheckDue(std::int64_t received, std::int64_t last_check_received, std::int64_t reference_count,
                   bool auto_reference, std::size_t reference_size, std::size_t every) {
  if (reference_count <= 0) return false;
  if (auto_reference && reference_count < static_cast<std::int64_t>(reference_size)) return false;
  const std::int64_t since =
      auto_reference ? std::max<std::int64_t>(last_check_received, reference_count) : last_check_received;
  return received - since >= static_cast<std::int64_t>(every);
}

DriftMonitor::DriftMonitor(db::Pool& pool, DriftMonitorOptions options) : pool_(pool), options_(options) {}

DriftMonitor::~DriftMonitor() { Stop(); }

void DriftMonitor::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void DriftMonitor::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DriftMonitor::Enqueue(std::int64_t model_id) {
  {
    std::lock_guard lock(mu_);
    if (!queued_.insert(model_id).second) return;
    queue_.push_back(model_id);
  }
  cv_.notify_one();
}

std::uint64_t DriftMonitor::checks() const {
  std::lock_guard lock(mu_);
  return checks_;
}

void DriftMonitor::Loop() {
  while (true) {
    std::int64_t id;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      id = queue_.front();
      queue_.pop_front();
      queued_.erase(id);
    }
    try {
      auto r = Check(id);
      if (!r.ok()) spdlog::warn("data drift check failed: model_id={} {}", id, r.error().message);
    } catch (const std::exception& e) {
      spdlog::error("data drift check error: model_id={} {}", id, e.what());
    }
  }
}

std::shared_ptr<const DriftMonitor::ReferenceData> DriftMonitor::Reference(
    std::int64_t model_id, int version, const std::function<ReferenceData()>& load) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(model_id);
    if (it != cache_.end() && it->second.first == version) {
      lru_.remove(model_id);
      lru_.push_front(model_id);
      return it->second.second;
    }
  }
  auto cols = std::make_shared<const ReferenceData>(load());
  std::lock_guard lock(mu_);
  lru_.remove(model_id);
  lru_.push_front(model_id);
  cache_[model_id] = {version, cols};
  while (lru_.size() > options_.reference_cache) {
    cache_.erase(lru_.back());
    labelled_.erase(lru_.back());
    lru_.pop_back();
  }
  return cols;
}

DriftMonitor::LabelledRows DriftMonitor::LabelledReference(pqxx::transaction_base& tx, std::int64_t model_id,
                                                           int version, std::size_t scored) {
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    auto it = labelled_.find(model_id);
    if (it != labelled_.end() && it->second.version == version &&
        (it->second.complete || now - it->second.loaded < kLabelledReload)) {
      return it->second.rows;
    }
  }
  auto rows =
      std::make_shared<const std::vector<db::LabelledReferenceRow>>(db::LoadLabelledReference(tx, model_id));
  std::lock_guard lock(mu_);
  labelled_[model_id] =
      Labelled{.version = version, .complete = rows->size() >= scored, .loaded = now, .rows = rows};
  return rows;
}

Result<bool> DriftMonitor::Check(std::int64_t model_id, bool force) {
  bool drifted = false;
  bool warned = false;
  std::vector<std::string> decisions;  // actions of the decisions written
  std::string model_name;
  std::optional<evaluate::QualityVerdict> quality_seen;
  auto checked = db::Transact<bool>(pool_, [&](pqxx::work& tx) -> Result<bool> {
    drifted = warned = false;
    decisions.clear();
    quality_seen.reset();
    if (!db::TryLockDriftCheck(tx, model_id)) return false;
    auto stored = db::FindModelById(tx, model_id);
    if (!stored) return false;
    auto model = FromStored(*stored);
    if (!model.ok()) return model.error();
    const auto& spec = model->config.drift;
    auto state = db::LoadDriftState(tx, model_id);
    if (!state) return false;
    const bool auto_ref = state->source == "auto";
    if (!force && !DriftCheckDue(state->received, state->last_check_received, state->reference_count,
                                 auto_ref, spec.reference_size, spec.every)) {
      return false;
    }
    if (state->reference_count == 0) return false;
    const kpi::Task task = model->config.task;
    model_name = model->config.name;
    // An estimated breach may retrain (policy.allow_estimated): then this check decides under the model's
    // evaluation lock, taken first (before any row lock) like every other holder of it.
    if (model->config.policy.allow_estimated) db::LockModel(tx, model_id);

    // The reference, typed: a column with any label is categorical.
    std::map<std::string, bool> categorical;
    std::map<std::string, RawColumn> ref_raw;
    auto ref = Reference(model_id, state->reference_version, [&] {
      std::vector<WindowRow> parsed;
      for (const auto& row : db::LoadReferenceRows(tx, model_id)) parsed.push_back(ParseWindowRow(row));
      ref_raw = Collect(parsed, task);
      ReferenceData data;
      for (auto& [name, c] : ref_raw) data.columns[name] = Typed(std::move(c), c.any_label, true);
      std::vector<const evaluate::FeatureRow*> feature_rows;
      for (const auto& r : parsed) {
        feature_rows.push_back(&r.features);
        if (r.score) ++data.scored;
      }
      data.quality = evaluate::Profile(feature_rows);
      return data;
    });
    std::int64_t at_us = 0;
    std::size_t current_size = 0;
    std::map<std::string, RawColumn> cur_raw;
    std::vector<std::pair<bool, double>> window_scores;  // (predicted positive, score) for CBPE
    evaluate::QualityVerdict quality;
    windows_.With(tx, model_id, state->baseline_seq, spec.window, [&](const std::deque<WindowRow>& rows) {
      for (const auto& r : rows) at_us = std::max(at_us, r.ts_us);
      current_size = rows.size();
      cur_raw = Collect(rows, task);
      std::vector<const evaluate::FeatureRow*> feature_rows;
      for (const auto& r : rows) {
        feature_rows.push_back(&r.features);
        if (r.score && r.pred_class)
          window_scores.emplace_back(*r.pred_class == kpi::kPositiveClass, *r.score);
      }
      quality = evaluate::AssessQuality(ref->quality, feature_rows, model->config.data_quality);
    });

    Columns reference, current;
    for (const auto& [name, sample] : ref->columns) {
      auto it = cur_raw.find(name);
      if (it == cur_raw.end() || sample.size() < kMinValuesPerColumn) continue;
      stats::Sample cur = Typed(std::move(it->second), sample.categorical);
      if (cur.size() < kMinValuesPerColumn) continue;
      reference[name] = sample;
      current[name] = std::move(cur);
    }
    if (reference.empty()) return false;

    stats::DatasetDriftOptions options;
    options.drift_share = spec.share;
    for (const auto& [col, test] : spec.tests) {
      if (auto t = stats::ParseTest(test)) options.tests[col] = *t;
    }
    options.thresholds = spec.thresholds;
    auto result = stats::CheckDataset(reference, current, options);
    if (!result.ok()) return result.error();

    json features = json::array();
    std::string top;
    for (const auto& f : result->features) {
      features.push_back(ResultJson(f));
      if (f.result.drift && std::count(top.begin(), top.end(), ',') < 2) {
        top +=
            (top.empty() ? "" : ", ") + f.feature + " (" + std::string(stats::TestName(f.result.test)) + ")";
      }
    }
    json detail{{"dataset",
                 {{"drift", result->drift},
                  {"share", result->share},
                  {"drifted", result->drifted},
                  {"columns", result->features.size()},
                  {"drift_share", result->drift_share}}},
                {"reference", {{"source", state->source}, {"size", state->reference_count}}},
                {"current_size", current_size},
                {"features", std::move(features)}};
    detail["data_quality"] = QualityJson(quality);
    db::InsertDriftEvent(tx, model_id, at_us, "data", detail.dump());
    quality_seen = quality;
    // The data-quality verdict: stored for the live evaluation's veto; its start is an ops-facing warn.
    const bool incident_before = db::LoadDataQuality(tx, model_id).incident;
    // Stored at the end, next to RecordDriftCheck: an update of the model's drift row holds its row lock
    // until commit, and every prediction batch of the model takes that lock.
    if (quality.incident && !incident_before) {
      std::string why;
      for (const auto& f : quality.features) {
        if (!f.broken) continue;
        why += (why.empty() ? "" : "; ") + f.feature + ": ";
        for (std::size_t i = 0; i < f.reasons.size(); ++i) why += (i ? ", " : "") + f.reasons[i];
      }
      db::InsertDecision(tx, model_id,
                         db::NewDecision{.at_us = at_us,
                                         .action = "warn",
                                         .reason = "data-quality incident: " + why +
                                                   "; a confirmed KPI breach is suppressed while it lasts",
                                         .reason_code = "warn:data_quality",
                                         .kpis_json = "{}",
                                         .detectors_json = json::array({detail["data_quality"]}).dump()});
      decisions.push_back("warn");
    }
    // The label-free estimate (CBPE) of the same window.
    const bool estimable = task == kpi::Task::kBinary &&
                           std::any_of(model->config.kpis.begin(), model->config.kpis.end(),
                                       [](const domain::KpiSpec& k) { return Estimable(k.metric); });
    if (estimable && !window_scores.empty()) {
      const auto estimates =
          EstimateKpis(model->config, *LabelledReference(tx, model_id, state->reference_version, ref->scored),
                       window_scores);
      if (!estimates.empty()) {
        evaluate::PolicyFacts facts = db::LoadPolicyFacts(tx, model_id, at_us);
        facts.data_quality_incident = quality.incident;  // this check's verdict, not yet stored
        facts.broken_features = quality.broken_features;
        const auto judged = evaluate::JudgeEstimated(model->config, estimates, facts, at_us);
        const std::string kpis_text = KpisJson(judged.kpis);
        db::InsertEstimatedMetric(tx, model_id, at_us, model->generation,
                                  static_cast<int>(window_scores.size()), kpis_text);
        if (judged.reason_code != db::LoadEstimatedCode(tx, model_id)) {
          db::SaveEstimatedCode(tx, model_id, judged.reason_code);
          if (judged.action != evaluate::Action::kNone) {
            db::NewDecision d{.at_us = at_us,
                              .action = std::string(evaluate::ActionName(judged.action)),
                              .reason = judged.reason,
                              .reason_code = judged.reason_code,
                              .kpis_json = kpis_text,
                              .detectors_json = "[]"};
            if (judged.action == evaluate::Action::kRetrain) {
              // The same request as the label path: the model's webhook format, headers and deferral.
              InsertRetrainDecision(tx, *model, d, json::parse(kpis_text));
            } else {
              db::InsertDecision(tx, model_id, d);
            }
            decisions.push_back(d.action);
          }
        }
      }
    }
    drifted = result->drift;
    if (result->drift && !state->last_dataset_drift) {
      warned = true;
      const std::string reason = "data drift: " + std::to_string(result->drifted) + " of " +
                                 std::to_string(result->features.size()) + " columns drifted, most: " + top +
                                 "; no retrain without a confirmed KPI breach";
      db::InsertDecision(tx, model_id,
                         db::NewDecision{.at_us = at_us,
                                         .action = "warn",
                                         .reason = reason,
                                         .reason_code = "warn:data_drift",
                                         .kpis_json = "{}",
                                         .detectors_json = json::array({detail["dataset"]}).dump()});
    }
    db::SaveDataQuality(tx, model_id,
                        {.incident = quality.incident, .broken_features = quality.broken_features});
    db::RecordDriftCheck(tx, model_id, state->received, result->drift);
    {
      std::lock_guard lock(mu_);
      ++checks_;
    }
    return true;
  });
  if (checked.ok() && *checked && options_.telemetry) {
    options_.telemetry->RecordDriftCheck(drifted);
    if (warned) options_.telemetry->RecordDecision("warn");
    for (const auto& action : decisions) options_.telemetry->RecordDecision(action);
    if (quality_seen) {
      auto& registry = options_.telemetry->registry();
      const std::string key = LabelKey({{"model", model_name}});
      registry
          .Gauge(
              "driftgate_data_quality_incident",
              "1 while the model's latest data-drift check found a data-quality incident (retrains vetoed).")
          .Set(key, quality_seen->incident ? 1.0 : 0.0);
      registry
          .Gauge("driftgate_data_quality_broken_features",
                 "Features broken in the model's latest data-drift check.")
          .Set(key, static_cast<double>(quality_seen->broken_features.size()));
    }
  }
  return checked;
}

Result<std::int64_t> DriftMonitor::UploadReference(const std::string& model_name,
                                                   std::vector<domain::PredictionRecord> records,
                                                   const std::string& actor) {
  if (records.empty()) return Error::Invalid("records", "records: a reference needs at least one record");
  std::int64_t model_id = 0;
  auto r = db::Transact<std::int64_t>(pool_, [&](pqxx::work& tx) -> Result<std::int64_t> {
    auto model = LoadModel(tx, model_name);
    if (!model.ok()) return model.error();
    model_id = model->id;
    for (std::size_t i = 0; i < records.size(); ++i) {
      const std::string field = "records[" + std::to_string(i) + "].prediction";
      if (auto st = NormalizeTarget(model->config, records[i].prediction, field); !st.ok()) return st.error();
    }
    const std::int64_t size = db::ReplaceReference(tx, model->id, records);
    RecordAudit(tx, actor, "reference.upload", model_name, {{"size", size}});
    return size;
  });
  if (r.ok()) spdlog::info("reference uploaded: model={} size={}", model_name, *r);
  return r;
}

}  // namespace driftgate::service

#include "service/drift/drift_monitor.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "codec/decision_codec.h"
#include "core/domain/time.h"
#include "core/evaluate/estimated.h"
#include "core/kpi/cbpe.h"
#include "db/drift_repo.h"
#include "db/evaluation_repo.h"
#include "db/models_repo.h"
#include "db/pool.h"
#include "db/quality_repo.h"
#include "db/records_repo.h"
#include "service/access/audit.h"
#include "service/drift/multiclass_estimate.h"
#include "service/drift/segment_drift.h"
#include "service/evaluation/evaluation.h"
#include "service/ingest/ingest_service.h"
#include "service/models/models_service.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

json ResultJson(const stats::FeatureDrift& f) {
  json o{{"feature", f.feature},
         {"test", stats::TestName(f.result.test)},
         {"statistic", f.result.statistic},
         {"threshold", f.result.threshold},
         {"drifted", f.result.drift}};
  o["p_value"] = f.result.p_value ? json(*f.result.p_value) : json(nullptr);
  return o;
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

DriftMonitor::DriftMonitor(db::Pool& pool, DriftMonitorOptions options)
    : pool_(pool), options_(options), dle_(options.telemetry) {}

DriftMonitor::~DriftMonitor() { Stop(); }

void DriftMonitor::Start() {
  worker_.Start([this] { return Pass(); });
}

void DriftMonitor::Stop() { worker_.Stop(); }

void DriftMonitor::Enqueue(std::int64_t model_id) {
  {
    std::lock_guard lock(mu_);
    if (!queued_.insert(model_id).second) return;
    queue_.push_back(model_id);
  }
  worker_.Wake();
}

std::uint64_t DriftMonitor::checks() const {
  std::lock_guard lock(mu_);
  return checks_;
}

std::chrono::milliseconds DriftMonitor::Pass() {
  // Enqueue wakes the worker; with nothing queued it sleeps until then.
  constexpr std::chrono::milliseconds kIdle = std::chrono::hours(1);
  std::int64_t id;
  {
    std::lock_guard lock(mu_);
    if (queue_.empty()) return kIdle;
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
  std::lock_guard lock(mu_);
  return queue_.empty() ? kIdle : std::chrono::milliseconds(0);
}

std::shared_ptr<const ReferenceData> DriftMonitor::Reference(std::int64_t model_id, int version,
                                                             const domain::MultivariateSpec& multivariate,
                                                             const std::function<ReferenceData()>& load) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(model_id);
    const auto same = [&](const domain::MultivariateSpec& s) {
      return s.enabled == multivariate.enabled && s.variance == multivariate.variance &&
             s.chunks == multivariate.chunks;
    };
    if (it != cache_.end() && it->second.first == version && same(it->second.second->multivariate_spec)) {
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

// The model, its drift state and its typed reference when a check is due; nullopt otherwise.
std::optional<DriftMonitor::CheckContext> DriftMonitor::PrepareCheck(pqxx::transaction_base& tx,
                                                                     std::int64_t model_id, bool force,
                                                                     std::optional<Error>& error) {
  if (!db::TryLockDriftCheck(tx, model_id)) return std::nullopt;
  auto stored = db::FindModelById(tx, model_id);
  if (!stored) return std::nullopt;
  auto model = FromStored(*stored);
  if (!model.ok()) {
    error = model.error();
    return std::nullopt;
  }
  auto state = db::LoadDriftState(tx, model_id);
  if (!state) return std::nullopt;
  const auto& spec = model->config.drift;
  if (!force && !DriftCheckDue(state->received, state->last_check_received, state->reference_count,
                               state->source == "auto", spec.reference_size, spec.every)) {
    return std::nullopt;
  }
  if (state->reference_count == 0) return std::nullopt;
  // An estimated breach may retrain (policy.allow_estimated): then this check decides under the model's
  // evaluation lock, taken first (before any row lock) like every other holder of it.
  if (model->config.policy.allow_estimated) db::LockModel(tx, model_id);
  const kpi::Task task = model->config.task;
  const domain::MultivariateSpec& multivariate = model->config.drift.multivariate;
  auto ref = Reference(model_id, state->reference_version, multivariate, [&] {
    std::vector<WindowRow> parsed;
    for (const auto& row : db::LoadReferenceRows(tx, model_id)) parsed.push_back(ParseWindowRow(row));
    ReferenceData data = BuildReference(parsed, task, multivariate);
    for (auto& r : parsed) {
      if (r.segment) data.segment_rows[*r.segment].push_back(std::move(r));
    }
    return data;
  });
  return CheckContext{.model_id = model_id, .model = std::move(*model), .state = *state, .reference = ref};
}

// Data drift: the check's drift event (every column's test, the dataset verdict, the window's data
// quality); the returned detail feeds the decisions.
DriftMonitor::DriftDetail DriftMonitor::RecordDataDrift(pqxx::transaction_base& tx, const CheckContext& c,
                                                        const stats::DatasetDrift& result,
                                                        const WindowSummary& window) {
  json features = json::array();
  for (const auto& f : result.features) features.push_back(ResultJson(f));
  json detail{{"dataset",
               {{"drift", result.drift},
                {"share", result.share},
                {"drifted", result.drifted},
                {"columns", result.features.size()},
                {"drift_share", result.drift_share}}},
              {"reference", {{"source", c.state.source}, {"size", c.state.reference_count}}},
              {"current_size", window.size},
              {"features", std::move(features)}};
  detail["data_quality"] = QualityJson(window.quality);
  db::InsertDriftEvent(tx, c.model_id, window.at_us, "data", detail.dump());
  return DriftDetail{.dataset_json = detail["dataset"].dump(),
                     .data_quality_json = detail["data_quality"].dump()};
}

// Data drift's decision: a `warn` naming the top columns when the dataset starts drifting.
bool DriftMonitor::WarnDataDrift(pqxx::transaction_base& tx, const CheckContext& c,
                                 const stats::DatasetDrift& result, const DriftDetail& detail,
                                 std::int64_t at_us) {
  if (!result.drift || c.state.last_dataset_drift) return false;
  std::string top;
  for (const auto& f : result.features) {
    if (f.result.drift && std::count(top.begin(), top.end(), ',') < 2) {
      top += (top.empty() ? "" : ", ") + f.feature + " (" + std::string(stats::TestName(f.result.test)) + ")";
    }
  }
  const std::string reason = "data drift: " + std::to_string(result.drifted) + " of " +
                             std::to_string(result.features.size()) + " columns drifted, most: " + top +
                             "; no retrain without a confirmed KPI breach";
  db::InsertDecision(tx, c.model_id,
                     db::NewDecision{.at_us = at_us,
                                     .action = "warn",
                                     .reason = reason,
                                     .reason_code = "warn:data_drift",
                                     .kpis_json = "{}",
                                     .detectors_json = "[" + detail.dataset_json + "]"});
  return true;
}

// Data quality: a `warn` when an incident starts. The verdict itself is stored last (SaveQuality), next to
// RecordDriftCheck: an update of the drift row holds its lock until commit, and every prediction batch of
// the model takes that lock.
void DriftMonitor::JudgeDataQuality(pqxx::transaction_base& tx, const CheckContext& c,
                                    const evaluate::QualityVerdict& quality, const DriftDetail& detail,
                                    std::int64_t at_us, CheckOutcome& outcome) {
  outcome.quality = quality;
  if (!quality.incident || db::LoadDataQuality(tx, c.model_id).incident) return;
  std::string why;
  for (const auto& f : quality.features) {
    if (!f.broken) continue;
    why += (why.empty() ? "" : "; ") + f.feature + ": ";
    for (std::size_t i = 0; i < f.reasons.size(); ++i) why += (i ? ", " : "") + f.reasons[i];
  }
  db::InsertDecision(tx, c.model_id,
                     db::NewDecision{.at_us = at_us,
                                     .action = "warn",
                                     .reason = "data-quality incident: " + why +
                                               "; a confirmed KPI breach is suppressed while it lasts",
                                     .reason_code = "warn:data_quality",
                                     .kpis_json = "{}",
                                     .detectors_json = "[" + detail.data_quality_json + "]"});
  outcome.decisions.push_back("warn");
}

// The label-free estimate (CBPE) of the window: stored as a point of estimated_metrics, and judged; a
// decision when the judgement's reason code changes.
DriftMonitor::Estimates DriftMonitor::CbpeEstimates(pqxx::transaction_base& tx, const CheckContext& c,
                                                    const WindowSummary& window, std::size_t& used,
                                                    std::string& per_class) {
  const auto& config = c.model.config;
  const bool multiclass = config.task == kpi::Task::kMulticlass;
  const bool estimable = std::any_of(config.kpis.begin(), config.kpis.end(), [&](const domain::KpiSpec& k) {
    return Estimable(k.metric, config.task);
  });
  if (!estimable || (multiclass ? window.class_scores.empty() : window.scores.empty())) return {};
  const auto labelled = LabelledReference(tx, c.model_id, c.state.reference_version, c.reference->scored);
  if (multiclass) {
    auto e = EstimateMulticlassKpis(config, *labelled, window.class_scores);
    used = e.n;
    per_class = std::move(e.per_class_json);
    return std::move(e.kpis);
  }
  used = window.scores.size();
  return EstimateKpis(config, *labelled, window.scores);
}

void DriftMonitor::JudgeEstimate(pqxx::transaction_base& tx, const CheckContext& c,
                                 const WindowSummary& window, const Estimates& regression,
                                 CheckOutcome& outcome) {
  const auto& config = c.model.config;
  std::size_t used = 0;
  std::string per_class;  // multiclass CBPE: per-class precision and recall
  const Estimates estimates = regression.empty() ? CbpeEstimates(tx, c, window, used, per_class) : regression;
  if (estimates.empty()) return;
  const std::size_t n = regression.empty() ? used : regression.front().second.n;
  evaluate::PolicyFacts facts = db::LoadPolicyFacts(tx, c.model_id, window.at_us);
  facts.data_quality_incident = window.quality.incident;  // this check's verdict, not yet stored
  facts.broken_features = window.quality.broken_features;
  const auto judged = evaluate::JudgeEstimated(config, estimates, facts, window.at_us);
  const std::string kpis_text = codec::KpisJson(judged.kpis);
  db::InsertEstimatedMetric(tx, c.model_id, window.at_us, c.model.generation, static_cast<int>(n), kpis_text,
                            per_class);
  if (judged.reason_code == db::LoadEstimatedCode(tx, c.model_id)) return;
  db::SaveEstimatedCode(tx, c.model_id, judged.reason_code);
  if (judged.action == evaluate::Action::kNone) return;
  db::NewDecision d{.at_us = window.at_us,
                    .action = std::string(evaluate::ActionName(judged.action)),
                    .reason = judged.reason,
                    .reason_code = judged.reason_code,
                    .kpis_json = kpis_text,
                    .detectors_json = "[]"};
  if (judged.action == evaluate::Action::kRetrain) {
    // The same request as the label path: the model's webhook format, headers and deferral.
    InsertRetrainDecision(tx, c.model, d);
  } else {
    db::InsertDecision(tx, c.model_id, d);
  }
  outcome.decisions.push_back(d.action);
}

// One check in `tx`: each judgement in turn, in the order their decisions were always written.
Result<bool> DriftMonitor::CheckIn(pqxx::transaction_base& tx, std::int64_t model_id, bool force,
                                   CheckOutcome& outcome) {
  std::optional<Error> error;
  auto c = PrepareCheck(tx, model_id, force, error);
  if (!c) {
    if (error) return *error;
    return false;
  }
  outcome.model_name = c->model.config.name;
  // A regression estimate's fit comes first: the window's rows are encoded for it while they are at hand.
  std::shared_ptr<const DleEstimator::Fitted> dle_fit;
  if (DleEstimator::Wanted(c->model.config)) {
    dle_fit =
        dle_.Prepare(tx, model_id, c->model.config, c->state.reference_version, c->state.reference_count);
  }
  Estimates regression;
  WindowSummary window;
  Result<SegmentsDrift> segments = SegmentsDrift{};
  windows_.WithColumns(tx, model_id, c->state.baseline_seq, c->model.config.drift.window,
                       [&](const std::deque<WindowRow>& rows, const WindowColumns& columns) {
                         window = SummarizeWindow(rows, columns, *c->reference, c->model.config.task,
                                                  c->model.config.data_quality);
                         if (dle_fit) regression = DleEstimator::Estimate(*dle_fit, rows, c->model.config);
                         segments = JudgeSegmentDrift(c->model.config, *c->reference, rows);
                       });
  if (!segments.ok()) return segments.error();
  auto result = JudgeDataDrift(*c->reference, window, c->model.config.drift);
  if (!result.ok()) return result.error();
  if (result->features.empty()) return false;
  const DriftDetail detail = RecordDataDrift(tx, *c, *result, window);
  RecordSegmentDrift(tx, model_id, window.at_us, c->state.source, *segments);
  JudgeDataQuality(tx, *c, window.quality, detail, window.at_us, outcome);
  JudgeEstimate(tx, *c, window, regression, outcome);
  outcome.drifted = result->drift;
  outcome.warned = WarnDataDrift(tx, *c, *result, detail, window.at_us);
  JudgeMultivariate(tx, *c, window, outcome);
  db::SaveDataQuality(
      tx, model_id, {.incident = window.quality.incident, .broken_features = window.quality.broken_features});
  db::RecordDriftCheck(tx, model_id, c->state.received, result->drift);
  std::lock_guard lock(mu_);
  ++checks_;
  return true;
}

// Gauges and counters of a stored check.
void DriftMonitor::PublishCheck(const CheckOutcome& outcome) {
  if (!options_.telemetry) return;
  options_.telemetry->RecordDriftCheck(outcome.drifted);
  if (outcome.warned) options_.telemetry->RecordDecision("warn");
  for (const auto& action : outcome.decisions) options_.telemetry->RecordDecision(action);
  if (!outcome.quality) return;
  auto& registry = options_.telemetry->registry();
  const std::string key = LabelKey({{"model", outcome.model_name}});
  registry
      .Gauge("driftgate_data_quality_incident",
             "1 while the model's latest data-drift check found a data-quality incident (retrains vetoed).")
      .Set(key, outcome.quality->incident ? 1.0 : 0.0);
  registry
      .Gauge("driftgate_data_quality_broken_features",
             "Features broken in the model's latest data-drift check.")
      .Set(key, static_cast<double>(outcome.quality->broken_features.size()));
}

Result<bool> DriftMonitor::Check(std::int64_t model_id, bool force) {
  CheckOutcome outcome;
  auto checked = db::Transact<bool>(pool_, [&](pqxx::work& tx) -> Result<bool> {
    outcome = {};
    return CheckIn(tx, model_id, force, outcome);
  });
  if (checked.ok() && *checked) PublishCheck(outcome);
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

#include "service/drift_monitor.h"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <charconv>

#include "core/domain/time.h"
#include "core/stats/dataset_drift.h"
#include "db/drift_repo.h"
#include "db/evaluation_repo.h"
#include "db/models_repo.h"
#include "service/audit.h"
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

// Values of one column before typing: numbers and labels as they came.
struct RawColumn {
  std::vector<double> numbers;
  std::vector<std::string> labels;
  bool any_label = false;
};

// `rows`: WindowRows (service/drift_window.h), features already parsed.
template <class Rows>
std::map<std::string, RawColumn> Collect(const Rows& rows, kpi::Task task) {
  std::map<std::string, RawColumn> cols;
  for (const auto& row : rows) {
    for (const auto& [name, value] : row.features) {
      auto& c = cols[name];
      if (const auto* d = std::get_if<double>(&value)) {
        c.numbers.push_back(*d);
        c.labels.push_back(NumberLabel(*d));
      } else if (const auto* label = std::get_if<std::string>(&value)) {
        c.labels.push_back(*label);
        c.any_label = true;
      }
    }
    if (task == kpi::Task::kRegression) {
      if (row.pred_value) cols["prediction"].numbers.push_back(*row.pred_value);
    } else if (row.pred_class) {
      auto& c = cols["prediction"];
      c.labels.push_back(*row.pred_class);
      c.any_label = true;
    }
    if (row.score) {
      cols["score"].numbers.push_back(*row.score);
      cols["score"].labels.push_back(NumberLabel(*row.score));
    }
  }
  return cols;
}

// Types columns by the reference: a column with any string value there is categorical.
stats::Sample Typed(const RawColumn& c, bool categorical) {
  stats::Sample s;
  s.categorical = categorical;
  if (categorical) {
    s.labels = c.labels;
  } else {
    s.numbers = c.numbers;
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

}  // namespace

bool DriftCheckDue(std::int64_t received, std::int64_t last_check_received, std::int64_t reference_count,
                   bool auto_reference, std::size_t reference_size, std::size_t every) {
  if (reference_count <= 0) return false;
  if (auto_reference && reference_count < static_cast<std::int64_t>(reference_size)) return false;
  const std::int64_t since = auto_reference ? std::max<std::int64_t>(last_check_received, reference_count)
                                            : last_check_received;
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

std::shared_ptr<const DriftMonitor::Columns> DriftMonitor::Reference(std::int64_t model_id, int version,
                                                                     const std::function<Columns()>& load) {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(model_id);
    if (it != cache_.end() && it->second.first == version) {
      lru_.remove(model_id);
      lru_.push_front(model_id);
      return it->second.second;
    }
  }
  auto cols = std::make_shared<const Columns>(load());
  std::lock_guard lock(mu_);
  lru_.remove(model_id);
  lru_.push_front(model_id);
  cache_[model_id] = {version, cols};
  while (lru_.size() > options_.reference_cache) {
    cache_.erase(lru_.back());
    lru_.pop_back();
  }
  return cols;
}

Result<bool> DriftMonitor::Check(std::int64_t model_id, bool force) {
  bool drifted = false;
  bool warned = false;
  auto checked = db::Transact<bool>(pool_, [&](pqxx::work& tx) -> Result<bool> {
    drifted = warned = false;
    if (!db::TryLockDriftCheck(tx, model_id)) return false;
    auto stored = db::FindModelById(tx, model_id);
    if (!stored) return false;
    auto model = FromStored(*stored);
    if (!model.ok()) return model.error();
    const auto& spec = model->config.drift;
    auto state = db::LoadDriftState(tx, model_id);
    if (!state) return false;
    const bool auto_ref = state->source == "auto";
    if (!force && !DriftCheckDue(state->received, state->last_check_received, state->reference_count, auto_ref,
                                 spec.reference_size, spec.every)) {
      return false;
    }
    if (state->reference_count == 0) return false;
    const kpi::Task task = model->config.task;

    // The reference, typed: a column with any label is categorical.
    std::map<std::string, bool> categorical;
    std::map<std::string, RawColumn> ref_raw;
    auto ref = Reference(model_id, state->reference_version, [&] {
      std::vector<WindowRow> parsed;
      for (const auto& row : db::LoadReferenceRows(tx, model_id)) parsed.push_back(ParseWindowRow(row));
      ref_raw = Collect(parsed, task);
      Columns cols;
      for (const auto& [name, c] : ref_raw) cols[name] = Typed(c, c.any_label);
      return cols;
    });
    std::int64_t at_us = 0;
    std::size_t current_size = 0;
    std::map<std::string, RawColumn> cur_raw;
    windows_.With(tx, model_id, state->baseline_seq, spec.window, [&](const std::deque<WindowRow>& rows) {
      for (const auto& r : rows) at_us = std::max(at_us, r.ts_us);
      current_size = rows.size();
      cur_raw = Collect(rows, task);
    });

    Columns reference, current;
    for (const auto& [name, sample] : *ref) {
      auto it = cur_raw.find(name);
      if (it == cur_raw.end() || sample.size() < kMinValuesPerColumn) continue;
      stats::Sample cur = Typed(it->second, sample.categorical);
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
        top += (top.empty() ? "" : ", ") + f.feature + " (" + std::string(stats::TestName(f.result.test)) + ")";
      }
    }
    const json detail{{"dataset",
                       {{"drift", result->drift},
                        {"share", result->share},
                        {"drifted", result->drifted},
                        {"columns", result->features.size()},
                        {"drift_share", result->drift_share}}},
                      {"reference", {{"source", state->source}, {"size", state->reference_count}}},
                      {"current_size", current_size},
                      {"features", std::move(features)}};
    db::InsertDriftEvent(tx, model_id, at_us, "data", detail.dump());
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
      auto& t = records[i].prediction;
      if (model->config.task == kpi::Task::kRegression) {
        if (!t.is_number) {
          return Error::Invalid("records[" + std::to_string(i) + "].prediction",
                                "records[" + std::to_string(i) + "].prediction: must be a number for a regression model");
        }
        t.cls.clear();
      }
    }
    const std::int64_t size = db::ReplaceReference(tx, model->id, records);
    RecordAudit(tx, actor, "reference.upload", model_name, {{"size", size}});
    return size;
  });
  if (r.ok()) spdlog::info("reference uploaded: model={} size={}", model_name, *r);
  return r;
}

}  // namespace driftgate::service

#include "service/ingest/ingest_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <pqxx/pqxx>

#include "db/citus.h"
#include "db/drift_repo.h"
#include "db/models_repo.h"
#include "db/partitions_repo.h"
#include "db/pool.h"
#include "db/records_repo.h"
#include "service/drift/drift_monitor.h"
#include "service/evaluation/evaluation.h"
#include "service/ingest/test_hooks.h"
#include "service/models/models_service.h"

namespace driftgate::service {
namespace {

// db::Transact, except that a batch finding no partition for today ("no partition of relation ... found
// for row": the retention job has not prepared it yet) creates the partitions and runs once more.
template <class T>
Result<T> TransactCreatingPartitions(db::Pool& pool, const std::function<Result<T>(pqxx::work&)>& fn) {
  try {
    return db::Transact<T>(pool, fn);
  } catch (const pqxx::sql_error& e) {
    if (!db::IsCheckViolation(e)) throw;
    auto made = db::Transact<int>(
        pool, [](pqxx::work& tx) -> Result<int> { return db::EnsurePartitions(tx, -1, 7); });
    if (!made.ok()) return made.error();
    return db::Transact<T>(pool, fn);
  }
}

}  // namespace

Status NormalizeTarget(const domain::ModelConfig& config, domain::Target& t, const std::string& field) {
  const auto& classes = config.classes;
  if (config.task == kpi::Task::kRegression) {
    if (!t.is_number) return Error::Invalid(field, field + ": must be a number for a regression model");
    t.cls.clear();
    return Ok{};
  }
  if (t.cls.empty()) return Error::Invalid(field, field + ": must be a non-empty class");
  const auto found = std::find(classes.begin(), classes.end(), t.cls);
  if (config.task == kpi::Task::kBinary) {
    if (classes.empty()) {
      if (t.cls == "0" || t.cls == "1") return Ok{};
      return Error::Invalid(field, field +
                                       ": a binary model's classes are 0 and 1 (or the two it declares in "
                                       "`classes`), not \"" +
                                       t.cls + "\"");
    }
    if (found == classes.end()) {
      return Error::Invalid(field, field + ": must be one of the model's classes \"" + classes[0] +
                                       "\" or \"" + classes[1] + "\", not \"" + t.cls + "\"");
    }
    t.cls = found == classes.begin() ? "0" : "1";
    t.is_number = false;
    return Ok{};
  }
  if (!classes.empty() && found == classes.end()) {
    return Error::Invalid(field, field + ": \"" + t.cls + "\" is not one of the model's declared classes");
  }
  return Ok{};
}

namespace {

// Each record's prediction normalized to the model's classes, and its scores of the kind the task takes
// (a number for binary, class probabilities for multiclass, over declared classes only).
std::optional<Error> CheckPredictionsForModel(const domain::ModelConfig& config,
                                              std::vector<domain::PredictionRecord>& records) {
  const kpi::Task task = config.task;
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto& rec = records[i];
    const std::string at = "records[" + std::to_string(i) + "]";
    if (auto st = NormalizeTarget(config, rec.prediction, at + ".prediction"); !st.ok()) return st.error();
    if (task != kpi::Task::kBinary && rec.score) {
      return Error::Invalid(at + ".score", at + ".score: a number score is only for binary models");
    }
    if (task != kpi::Task::kMulticlass && !rec.class_scores.empty()) {
      return Error::Invalid(at + ".score", at + ".score: class probabilities are only for multiclass models");
    }
    const auto& classes = config.classes;
    for (const auto& [cls, p] : rec.class_scores) {
      if (!classes.empty() && std::find(classes.begin(), classes.end(), cls) == classes.end()) {
        const std::string key = MemberPath(at + ".score", cls);
        return Error::Invalid(key, key + ": \"" + cls + "\" is not one of the model's declared classes");
      }
    }
  }
  return std::nullopt;
}

}  // namespace

Result<domain::IngestResult> IngestService::IngestPredictions(const std::string& model_name,
                                                              std::vector<domain::PredictionRecord> records) {
  std::int64_t model_id = 0;
  bool drift_due = false;
  std::shared_ptr<const InputProfile> built;  // a profile this batch built, kept once it commits
  auto r = TransactCreatingPartitions<db::PredictionInsert>(
      pool_, [&](pqxx::work& tx) -> Result<db::PredictionInsert> {
        built.reset();
        auto model = LoadModel(tx, model_name);
        if (!model.ok()) return model.error();
        model_id = model->id;
        if (auto e = CheckPredictionsForModel(model->config, records)) return *e;
        db::LockModelShared(tx, model_id);
        // The drift row's lock serializes this model's batches from their id check to commit: blocks then
        // commit in seq order (service/drift/drift_window.h relies on it), and while the model's 'auto'
        // reference is still being captured it takes exactly the first reference.size predictions. A complete
        // reference stays complete while this transaction holds the model's shared lock (only a retrain's
        // success resets it, under the exclusive lock; an upload replaces 'auto' for good), so then the
        // drift row is only locked, not read for a capacity.
        const auto& drift = model->config.drift;
        const auto peek = db::PeekDriftRow(tx, model_id);
        const bool reference_complete =
            peek && (peek->source != "auto" ||
                     peek->reference_count >= static_cast<std::int64_t>(drift.reference_size));
        bool auto_ref = peek && peek->source == "auto";
        // Each record's input quality against the reference, judged while the batch is in memory and stored
        // with it in its block (core/evaluate/input_quality.h); not judged until the reference is complete.
        std::shared_ptr<const InputProfile> profile;
        if (reference_complete && model->config.data_quality.enabled) {
          profile = input_profiles_.Find(model_id, peek->reference_version);
          if (!profile) built = profile = BuildInputProfile(tx, model_id, peek->reference_version);
        }
        JudgeRecords(profile.get(), model->config.data_quality, records);
        db::PredictionInsert ins;
        if (reference_complete) {
          ins = db::InsertPredictions(tx, model_id, records, 0, [&] { db::LockDriftRow(tx, model_id); });
        } else {
          const auto [source, reference_count] = db::LockDriftRow(tx, model_id);
          auto_ref = source == "auto";
          const std::size_t capacity =
              auto_ref && reference_count < static_cast<std::int64_t>(drift.reference_size)
                  ? drift.reference_size - static_cast<std::size_t>(reference_count)
                  : 0;
          ins = db::InsertPredictions(tx, model_id, records, capacity);
        }
        const auto progress = db::CountDriftProgress(tx, model_id, static_cast<std::int64_t>(ins.accepted),
                                                     static_cast<std::int64_t>(ins.added_to_reference));
        drift_due = DriftCheckDue(progress.received, progress.last_check_received, progress.reference_count,
                                  auto_ref, drift.reference_size, drift.every);
        return ins;
      });
  if (!r.ok()) return r.error();
  if (built) input_profiles_.Keep(model_id, std::move(built));
  if (hooks_.telemetry) {
    hooks_.telemetry->RecordIngest("predictions", {.accepted = r->accepted, .duplicates = r->duplicates});
  }
  if (drift_due && hooks_.on_drift_check_due) hooks_.on_drift_check_due(model_id);
  if (r->completed_pairs > 0) {
    // Labels that were waiting are evaluable now; a failure here leaves them queued for the next batch.
    if (auto st = EvaluateQueued(model_id); !st.ok()) {
      spdlog::warn("evaluation of late-joined pairs deferred: model={} {}", model_name, st.error().message);
    }
  }
  return domain::IngestResult{.accepted = r->accepted, .duplicates = r->duplicates};
}

Result<domain::IngestResult> IngestService::IngestLabels(const std::string& model_name,
                                                         std::vector<domain::LabelRecord> records) {
  bool retrain = false;
  EvaluationResult evaluated;
  auto r = TransactCreatingPartitions<domain::IngestResult>(
      pool_, [&](pqxx::work& tx) -> Result<domain::IngestResult> {
        retrain = false;
        evaluated = {};
        auto model = LoadModel(tx, model_name);
        if (!model.ok()) return model.error();
        for (std::size_t i = 0; i < records.size(); ++i) {
          if (auto st = NormalizeTarget(model->config, records[i].label,
                                        "records[" + std::to_string(i) + "].label");
              !st.ok()) {
            return st.error();
          }
        }
        // Stored and claimed before the model's evaluation lock, paired and evaluated under it
        // (db/records_repo.h says why each pair is made exactly once): concurrent label batches of a model
        // write side by side and queue only for the evaluation.
        db::LabelInsert ins = db::StoreLabels(tx, model->id, records);
        db::LockModel(tx, model->id);
        db::MatchLabels(tx, model->id, ins);
        std::vector<evaluate::LabeledEvent> events = db::TakeQueuedPairs(tx, model->id);
        events.insert(events.end(), std::make_move_iterator(ins.events.begin()),
                      std::make_move_iterator(ins.events.end()));
        auto eval = EvaluateLocked(tx, *model, events, &state_cache_, hooks_.notify);
        if (!eval.ok()) return eval.error();
        retrain = eval->retrain_requested;
        evaluated = std::move(eval).value();
        PauseInsideLabelTransaction();
        return domain::IngestResult{
            .accepted = ins.accepted, .duplicates = ins.duplicates, .unmatched = ins.unmatched};
      });
  if (r.ok() && hooks_.telemetry) {
    hooks_.telemetry->RecordIngest("labels", *r);
    hooks_.telemetry->RecordEvaluation(model_name, evaluated);
  }
  if (r.ok() && retrain && hooks_.on_retrain) hooks_.on_retrain();
  return r;
}

Status IngestService::EvaluateQueued(std::int64_t model_id) {
  bool retrain = false;
  EvaluationResult evaluated;
  std::string model_name;
  auto r = db::Transact<Ok>(pool_, [&](pqxx::work& tx) -> Status {
    retrain = false;
    evaluated = {};
    auto stored = db::FindModelById(tx, model_id);
    if (!stored) return Ok{};  // deleted meanwhile
    auto model = FromStored(*stored);
    if (!model.ok()) return model.error();
    db::LockModel(tx, model_id);
    const auto events = db::TakeQueuedPairs(tx, model_id);
    auto eval = EvaluateLocked(tx, *model, events, &state_cache_, hooks_.notify);
    if (!eval.ok()) return eval.error();
    retrain = eval->retrain_requested;
    evaluated = std::move(eval).value();
    model_name = model->config.name;
    return Ok{};
  });
  if (r.ok() && hooks_.telemetry && !model_name.empty())
    hooks_.telemetry->RecordEvaluation(model_name, evaluated);
  if (r.ok() && retrain && hooks_.on_retrain) hooks_.on_retrain();
  return r;
}

}  // namespace driftgate::service

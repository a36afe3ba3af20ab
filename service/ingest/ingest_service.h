// Prediction and label ingest (openapi.yaml, tag ingest): whole batches in one transaction, idempotent by
// record id. Labels are evaluated before the 200: the label transaction holds the model's exclusive lock and
// runs the evaluation, so its decision and any retrain request commit with the labels.
#pragma once

#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/domain/records.h"
#include "core/error.h"
#include "db/handles.h"
#include "service/alerts/alerts.h"
#include "service/evaluation/state_cache.h"
#include "service/ingest/input_profiles.h"
#include "service/observability/telemetry.h"

namespace driftgate::service {

// Brings a wire target in line with the model: regression needs numbers; binary classes are 0 and 1, or
// the model's two declared classes (stored as 0 and 1: KPIs name class "1" positive); a multiclass model
// that declares its classes takes only those. `field` names the record, e.g. records[3].prediction.
Status NormalizeTarget(const domain::ModelConfig& config, domain::Target& t, const std::string& field);

class IngestService {
 public:
  struct Hooks {
    std::function<void()> on_retrain;                      // after a commit that requested a retrain
    std::function<void(std::int64_t)> on_drift_check_due;  // after a prediction batch that made a check due
    Telemetry* telemetry = nullptr;         // optional: counts records and decisions, keeps the KPI gauges
    const NotifyContext* notify = nullptr;  // optional: alert routing (service/alerts/alerts.h)
  };
  IngestService(db::Pool& pool, Hooks hooks) : pool_(pool), hooks_(std::move(hooks)) {}

  Result<domain::IngestResult> IngestPredictions(const std::string& model,
                                                 std::vector<domain::PredictionRecord> records);
  Result<domain::IngestResult> IngestLabels(const std::string& model,
                                            std::vector<domain::LabelRecord> records);

  // Evaluates pairs that late predictions completed (normally done right after the prediction batch).
  Status EvaluateQueued(std::int64_t model_id);

 private:
  db::Pool& pool_;
  Hooks hooks_;
  StateCache state_cache_{};        // evaluation states of recently evaluated models (bounded LRU)
  InputProfiles input_profiles_{};  // reference profiles that prediction batches are judged by
};

}  // namespace driftgate::service

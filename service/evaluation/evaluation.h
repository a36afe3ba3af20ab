// Runs one evaluation inside the caller's transaction, which holds the model's exclusive lock: loads the
// persisted state, feeds the pairs, and writes the metric point, drift events, decision, retrain run and
// outbox row, and the new state — all committed together with the labels that caused them.
#pragma once

#include <pqxx/pqxx>
#include <span>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/evaluator.h"
#include "core/evaluate/segments.h"
#include "db/evaluation_repo.h"
#include "service/alerts/alerts.h"
#include "service/evaluation/state_cache.h"

namespace driftgate::service {

struct EvaluationResult {
  evaluate::Action action = evaluate::Action::kNone;
  bool decision_written = false;
  bool retrain_requested = false;
  std::vector<evaluate::KpiResult> kpis{};          // this evaluation's KPIs (for the metrics' gauges)
  std::vector<evaluate::SegmentResult> segments{};  // the segments it judged (their gauges)
};

// With a `cache`, the state comes from it when its stamp still matches the stored row
// (service/evaluation/state_cache.h) and goes back into it after the write.
Result<EvaluationResult> EvaluateLocked(pqxx::transaction_base& tx, const domain::Model& model,
                                        std::span<const evaluate::LabeledEvent> events,
                                        StateCache* cache = nullptr, const NotifyContext* notify = nullptr);

// Records a `retrain` decision `d` inside the caller's transaction, which holds the model's exclusive lock:
// the retrain run, its outbox row rendered for the model's webhook format and extra headers, the carbon-aware
// schedule when the policy has a deferral window, then the decision (its id and retrain_id filled in). The
// webhook body carries d.kpis_json (codec/decision_codec.h). Returns the retrain id. Shared by the label
// path (EvaluateLocked) and the label-free estimate (drift_monitor.cpp), so both request a retrain alike.
std::string InsertRetrainDecision(pqxx::transaction_base& tx, const domain::Model& model, db::NewDecision d);

}  // namespace driftgate::service

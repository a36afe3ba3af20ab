// Runs one evaluation inside the caller's transaction, which holds the model's exclusive lock: loads the
// persisted state, feeds the pairs, and writes the metric point, drift events, decision, retrain run and
// outbox row, and the new state — all committed together with the labels that caused them.
#pragma once

#include <pqxx/pqxx>
#include <span>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/evaluator.h"

namespace driftgate::service {

struct EvaluationResult {
  evaluate::Action action = evaluate::Action::kNone;
  bool decision_written = false;
  bool retrain_requested = false;
};

Result<EvaluationResult> EvaluateLocked(pqxx::transaction_base& tx, const domain::Model& model,
                                        std::span<const evaluate::LabeledEvent> events);

// The KPI part of a decision, metric point or webhook body: {"accuracy": {"value", "lower", "upper",
// "threshold", "n"}}.
std::string KpisJson(const std::vector<evaluate::KpiResult>& kpis);

}  // namespace driftgate::service

// The closed-loop check, live: when a generation's first full KPI window is evaluated, the retrain whose
// success started that generation gets `outcome` improved | did_not_help (core/evaluate/closed_loop.h
// states the rule), with the window's data time and KPIs. Runs inside the evaluation's transaction.
#pragma once

#include <pqxx/pqxx>
#include <string>

#include "core/domain/model.h"
#include "core/evaluate/evaluator.h"

namespace driftgate::service {

// Judges the retrain that started `model.generation`, unless it is judged already or none did.
void RecordRetrainOutcome(pqxx::transaction_base& tx, const domain::Model& model,
                          const evaluate::Outcome& out, const std::string& kpis_json);

}  // namespace driftgate::service

// Carbon-aware deferral of a retrain's webhook (policy `deferral_hours`, `grid_region`).
//
// Inside the evaluation's transaction, when a retrain is requested: PlanCarbonDeferral reads the wall
// clock (PostgreSQL's now(), which the outbox's next_attempt_at and the dispatcher's claim compare with)
// and the region's forecast, and picks the slot (core/evaluate/deferral.h). The retrain run and its decision
// are inserted with the plan, and the outbox row due at the slot (service/evaluation/evaluation.cpp). Wall
// time, not data time: the webhook is sent in real time, even for a backfilled history.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "core/domain/model.h"

namespace driftgate::service {

struct CarbonDeferral {
  std::int64_t requested_us = 0;  // wall time of the request
  std::int64_t scheduled_us = 0;  // wall time the webhook is due
  // The plan as stored on the retrain and the decision and sent in the webhook (codec/decision_codec.h).
  std::string doc_json{};
};

// nullopt when the policy has no deferral window (deferral_hours == 0).
std::optional<CarbonDeferral> PlanCarbonDeferral(pqxx::transaction_base& tx,
                                                 const domain::PolicySpec& policy);

}  // namespace driftgate::service

// The sustainability ledger on the wire (GET /v1/models/{model}/sustainability, GET /v1/sustainability;
// openapi.yaml SustainabilityLedger, FleetLedger).
#pragma once

#include <nlohmann/json.hpp>

#include "service/reporting/sustainability_service.h"

namespace driftgate::api::dto {

// {"model", "retrains": {"requested", "suppressed", "baseline", "avoided", "did_not_help"},
//  "energy_kwh": {"spent", "avoided"}, "co2e_kg": {"spent", "avoided"}, "period": {"from", "to"},
//  "baseline_schedule_days", "retrain_cost"}; unknown energy and CO2e are null.
nlohmann::json ModelLedgerJson(const service::ModelLedger& m);
// The summed figures, "period", "models" (ModelLedgerJson each) and "uncosted_models".
nlohmann::json FleetLedgerJson(const service::FleetLedger& fleet);

}  // namespace driftgate::api::dto

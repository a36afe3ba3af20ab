#include "api/dto/ledger.h"

#include "api/dto/replay.h"
#include "codec/model_config.h"
#include "core/domain/time.h"

namespace driftgate::api::dto {
namespace {

using nlohmann::json;

json Number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

json PeriodJson(const service::LedgerPeriod& p) {
  return {{"from", OptionalTimeJson(p.from_us)}, {"to", OptionalTimeJson(p.to_us)}};
}

json FiguresJson(const evaluate::Ledger& l) {
  return {{"retrains",
           {{"requested", l.counts.requested},
            {"suppressed", l.counts.suppressed},
            {"baseline", l.baseline},
            {"avoided", l.avoided},
            {"did_not_help", l.counts.did_not_help}}},
          {"energy_kwh", {{"spent", Number(l.energy_spent_kwh)}, {"avoided", Number(l.energy_avoided_kwh)}}},
          {"co2e_kg", {{"spent", Number(l.co2e_spent_kg)}, {"avoided", Number(l.co2e_avoided_kg)}}}};
}

// The cost as the model document writes it (energy_kwh, or gpu_hours/gpu_watts/pue), or null.
json RetrainCostJson(const std::optional<domain::RetrainCost>& cost) {
  if (!cost) return nullptr;
  domain::ModelConfig config;
  config.retrain_cost = cost;
  return codec::ModelConfigToJson(config)["retrain_cost"];
}

}  // namespace

json ModelLedgerJson(const service::ModelLedger& m) {
  json doc = FiguresJson(m.ledger);
  doc["model"] = m.model;
  doc["period"] = PeriodJson(m.period);
  doc["baseline_schedule_days"] = m.baseline_schedule_days;
  doc["retrain_cost"] = RetrainCostJson(m.retrain_cost);
  return doc;
}

json FleetLedgerJson(const service::FleetLedger& fleet) {
  json models = json::array();
  for (const auto& m : fleet.models) models.push_back(ModelLedgerJson(m));
  json out = FiguresJson(fleet.total);
  out["period"] = PeriodJson(fleet.period);
  out["models"] = std::move(models);
  out["uncosted_models"] = fleet.uncosted_models;
  return out;
}

}  // namespace driftgate::api::dto

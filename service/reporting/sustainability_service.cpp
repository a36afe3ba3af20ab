#include "service/reporting/sustainability_service.h"

#include <algorithm>
#include <pqxx/pqxx>

#include "core/evaluate/ledger.h"
#include "db/grid_repo.h"
#include "db/ledger_repo.h"
#include "db/models_repo.h"
#include "db/pool.h"
#include "db/replay_repo.h"
#include "service/models/models_service.h"

namespace driftgate::service {
namespace {

ModelLedger ComputeFor(pqxx::transaction_base& tx, const domain::Model& model, const LedgerPeriod& period) {
  ModelLedger m{.model = model.config.name,
                .baseline_schedule_days = model.config.baseline_schedule_days,
                .retrain_cost = model.config.retrain_cost};
  const auto span = db::ModelDataSpan(tx, model.id);
  auto& [from_us, to_us] = m.period;
  from_us = period.from_us ? period.from_us : (span ? std::optional(span->first_us) : std::nullopt);
  to_us = period.to_us ? period.to_us : (span ? std::optional(span->last_us) : std::nullopt);
  evaluate::LedgerCounts counts;
  std::int64_t period_us = 0;
  if (from_us && to_us) {
    // A given `to` is exclusive; the default one is the last data time itself, so it is included.
    const std::int64_t to_exclusive = period.to_us ? *to_us : *to_us + 1;
    if (*from_us < to_exclusive) {
      counts = db::CountLedger(tx, model.id, *from_us, to_exclusive);
      const auto scheduled = db::LedgerScheduledIntensity(tx, model.id, *from_us, to_exclusive);
      counts.scheduled_known = scheduled.retrains;
      counts.scheduled_g_per_kwh_sum = scheduled.g_per_kwh_sum;
    }
    period_us = std::max<std::int64_t>(0, *to_us - *from_us);
  }
  m.ledger = evaluate::ComputeLedger(counts, period_us, model.config.baseline_schedule_days,
                                     model.config.retrain_cost);
  return m;
}

// Adds one model's figures to the fleet's.
void AddTo(FleetLedger& fleet, const ModelLedger& m) {
  auto add = [](std::optional<double>& sum, const std::optional<double>& v) {
    if (v) sum = sum.value_or(0.0) + *v;
  };
  evaluate::Ledger& total = fleet.total;
  total.counts.requested += m.ledger.counts.requested;
  total.counts.suppressed += m.ledger.counts.suppressed;
  total.counts.did_not_help += m.ledger.counts.did_not_help;
  total.baseline += m.ledger.baseline;
  total.avoided += m.ledger.avoided;
  add(total.energy_spent_kwh, m.ledger.energy_spent_kwh);
  add(total.energy_avoided_kwh, m.ledger.energy_avoided_kwh);
  add(total.co2e_spent_kg, m.ledger.co2e_spent_kg);
  add(total.co2e_avoided_kg, m.ledger.co2e_avoided_kg);
  if (!m.retrain_cost) ++fleet.uncosted_models;
  auto& [from_us, to_us] = fleet.period;
  if (m.period.from_us) from_us = from_us ? std::min(*from_us, *m.period.from_us) : *m.period.from_us;
  if (m.period.to_us) to_us = to_us ? std::max(*to_us, *m.period.to_us) : *m.period.to_us;
}

}  // namespace

Result<ModelLedger> SustainabilityService::Model(const std::string& name, const LedgerPeriod& period) {
  return db::Transact<ModelLedger>(pool_, [&](pqxx::work& tx) -> Result<ModelLedger> {
    db::MakeReadOnlySnapshot(tx);
    auto model = LoadModel(tx, name);
    if (!model.ok()) return model.error();
    return ComputeFor(tx, *model, period);
  });
}

Result<FleetLedger> SustainabilityService::Fleet(const LedgerPeriod& period) {
  return db::Transact<FleetLedger>(pool_, [&](pqxx::work& tx) -> Result<FleetLedger> {
    db::MakeReadOnlySnapshot(tx);
    FleetLedger fleet;
    for (const auto& stored : db::ListModels(tx)) {
      auto model = FromStored(stored);
      if (!model.ok()) return model.error();
      fleet.models.push_back(ComputeFor(tx, *model, period));
      AddTo(fleet, fleet.models.back());
    }
    return fleet;
  });
}

Result<std::int64_t> SustainabilityService::WriteCount() {
  return db::Transact<std::int64_t>(
      pool_, [](pqxx::work& tx) -> Result<std::int64_t> { return db::TableWriteCount(tx); });
}

Result<std::vector<ModelLedger>> SustainabilityService::FirstModels(std::size_t max_models) {
  return db::Transact<std::vector<ModelLedger>>(pool_,
                                                [&](pqxx::work& tx) -> Result<std::vector<ModelLedger>> {
                                                  db::MakeReadOnlySnapshot(tx);
                                                  std::vector<ModelLedger> models;
                                                  for (const auto& stored : db::ListModels(tx)) {
                                                    if (models.size() >= max_models) break;
                                                    auto model = FromStored(stored);
                                                    if (!model.ok()) return model.error();
                                                    models.push_back(ComputeFor(tx, *model, {}));
                                                  }
                                                  return models;
                                                });
}

}  // namespace driftgate::service

#include "service/reporting/sustainability_service.h"

#include <algorithm>
#include <pqxx/pqxx>

#include "codec/model_config.h"
#include "core/domain/time.h"
#include "core/evaluate/ledger.h"
#include "db/grid_repo.h"
#include "db/ledger_repo.h"
#include "db/models_repo.h"
#include "db/pool.h"
#include "db/replay_repo.h"
#include "service/models/models_service.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

struct ModelLedger {
  evaluate::Ledger ledger{};
  std::optional<std::int64_t> from_us{};
  std::optional<std::int64_t> to_us{};
  json doc{};
};

json Time(const std::optional<std::int64_t>& us) {
  return us ? json(domain::FormatRfc3339(*us)) : json(nullptr);
}
json Number(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

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

ModelLedger ComputeFor(pqxx::transaction_base& tx, const domain::Model& model, const LedgerPeriod& period) {
  ModelLedger m;
  const auto span = db::ModelDataSpan(tx, model.id);
  m.from_us = period.from_us ? period.from_us : (span ? std::optional(span->first_us) : std::nullopt);
  m.to_us = period.to_us ? period.to_us : (span ? std::optional(span->last_us) : std::nullopt);
  evaluate::LedgerCounts counts;
  std::int64_t period_us = 0;
  if (m.from_us && m.to_us) {
    // A given `to` is exclusive; the default one is the last data time itself, so it is included.
    const std::int64_t to_exclusive = period.to_us ? *m.to_us : *m.to_us + 1;
    if (*m.from_us < to_exclusive) {
      counts = db::CountLedger(tx, model.id, *m.from_us, to_exclusive);
      const auto scheduled = db::LedgerScheduledIntensity(tx, model.id, *m.from_us, to_exclusive);
      counts.scheduled_known = scheduled.retrains;
      counts.scheduled_g_per_kwh_sum = scheduled.g_per_kwh_sum;
    }
    period_us = std::max<std::int64_t>(0, *m.to_us - *m.from_us);
  }
  m.ledger = evaluate::ComputeLedger(counts, period_us, model.config.baseline_schedule_days,
                                     model.config.retrain_cost);
  m.doc = FiguresJson(m.ledger);
  m.doc["model"] = model.config.name;
  m.doc["period"] = {{"from", Time(m.from_us)}, {"to", Time(m.to_us)}};
  m.doc["baseline_schedule_days"] = model.config.baseline_schedule_days;
  const json config = codec::ModelConfigToJson(model.config);
  m.doc["retrain_cost"] = config.contains("retrain_cost") ? config["retrain_cost"] : json(nullptr);
  return m;
}

}  // namespace

Result<json> SustainabilityService::Model(const std::string& name, const LedgerPeriod& period) {
  return db::Transact<json>(pool_, [&](pqxx::work& tx) -> Result<json> {
    db::MakeReadOnlySnapshot(tx);
    auto model = LoadModel(tx, name);
    if (!model.ok()) return model.error();
    return ComputeFor(tx, *model, period).doc;
  });
}

Result<json> SustainabilityService::Fleet(const LedgerPeriod& period) {
  return db::Transact<json>(pool_, [&](pqxx::work& tx) -> Result<json> {
    db::MakeReadOnlySnapshot(tx);
    evaluate::Ledger total;
    std::optional<std::int64_t> from_us, to_us;
    json models = json::array();
    int uncosted = 0;
    auto add = [](std::optional<double>& sum, const std::optional<double>& v) {
      if (v) sum = sum.value_or(0.0) + *v;
    };
    for (const auto& stored : db::ListModels(tx)) {
      auto model = FromStored(stored);
      if (!model.ok()) return model.error();
      const ModelLedger m = ComputeFor(tx, *model, period);
      total.counts.requested += m.ledger.counts.requested;
      total.counts.suppressed += m.ledger.counts.suppressed;
      total.counts.did_not_help += m.ledger.counts.did_not_help;
      total.baseline += m.ledger.baseline;
      total.avoided += m.ledger.avoided;
      add(total.energy_spent_kwh, m.ledger.energy_spent_kwh);
      add(total.energy_avoided_kwh, m.ledger.energy_avoided_kwh);
      add(total.co2e_spent_kg, m.ledger.co2e_spent_kg);
      add(total.co2e_avoided_kg, m.ledger.co2e_avoided_kg);
      if (!model->config.retrain_cost) ++uncosted;
      if (m.from_us) from_us = from_us ? std::min(*from_us, *m.from_us) : *m.from_us;
      if (m.to_us) to_us = to_us ? std::max(*to_us, *m.to_us) : *m.to_us;
      models.push_back(m.doc);
    }
    // Models without a retrain_cost add counts but no energy: with none costed, energy stays unknown.
    json out = FiguresJson(total);
    out["period"] = {{"from", Time(from_us)}, {"to", Time(to_us)}};
    out["models"] = std::move(models);
    out["uncosted_models"] = uncosted;
    return out;
  });
}

Result<std::int64_t> SustainabilityService::WriteCount() {
  return db::Transact<std::int64_t>(
      pool_, [](pqxx::work& tx) -> Result<std::int64_t> { return db::TableWriteCount(tx); });
}

Result<json> SustainabilityService::FirstModels(std::size_t max_models) {
  return db::Transact<json>(pool_, [&](pqxx::work& tx) -> Result<json> {
    db::MakeReadOnlySnapshot(tx);
    json models = json::array();
    for (const auto& stored : db::ListModels(tx)) {
      if (models.size() >= max_models) break;
      auto model = FromStored(stored);
      if (!model.ok()) return model.error();
      models.push_back(ComputeFor(tx, *model, {}).doc);
    }
    return models;
  });
}

}  // namespace driftgate::service

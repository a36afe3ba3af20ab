#include "service/retrains/closed_loop.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <vector>

#include "core/evaluate/closed_loop.h"
#include "db/ledger_repo.h"
#include "db/pool.h"
#include "db/retrains_repo.h"

namespace driftgate::service {
namespace {

// The KPIs whose breach caused the retrain, from its stored KPIs (service/evaluation/evaluation.cpp's
// KpisJson): those flagged confirmed_breach; for rows without the flag, those whose value is past the
// threshold.
std::vector<evaluate::BreachedKpi> BreachedKpis(const std::string& kpis_json) {
  std::vector<evaluate::BreachedKpi> out;
  const nlohmann::json kpis = nlohmann::json::parse(kpis_json, nullptr, false);
  if (!kpis.is_object()) return out;
  for (auto it = kpis.begin(); it != kpis.end(); ++it) {
    const auto& k = it.value();
    if (!k.is_object() || !k.contains("threshold") || !k["threshold"].is_number() || !k.contains("value") ||
        !k["value"].is_number()) {
      continue;
    }
    const bool is_min = k.value("bound", std::string("min")) == "min";
    const double threshold = k["threshold"].get<double>();
    const double value = k["value"].get<double>();
    const bool breached = k.contains("confirmed_breach") && k["confirmed_breach"].is_boolean()
                              ? k["confirmed_breach"].get<bool>()
                              : (is_min ? value < threshold : value > threshold);
    if (breached)
      out.push_back(evaluate::BreachedKpi{.metric = it.key(), .threshold = threshold, .is_min = is_min});
  }
  return out;
}

}  // namespace

void RecordRetrainOutcome(pqxx::transaction_base& tx, const domain::Model& model,
                          const evaluate::Outcome& out, const std::string& kpis_json) {
  const auto retrain = db::FindUnjudgedRetrain(tx, model.id, model.generation);
  if (!retrain) return;
  const auto breached = BreachedKpis(retrain->kpis_json);
  const auto outcome = evaluate::JudgeRetrain(breached, out.kpis);
  if (!outcome) return;
  const std::string name(evaluate::RetrainOutcomeName(*outcome));
  db::SetRetrainOutcome(tx, model.id, retrain->id, name, out.at_us, kpis_json);
  spdlog::info("retrain outcome: model={} retrain_id={} generation={} outcome={}", model.config.name,
               retrain->id, model.generation, name);
}

}  // namespace driftgate::service

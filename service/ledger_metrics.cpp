#include "service/ledger_metrics.h"

#include <spdlog/spdlog.h>

#include "db/pool.h"
#include "service/sustainability_service.h"

namespace driftgate::service {

using nlohmann::json;

LedgerMetrics::LedgerMetrics(MetricsRegistry& registry, db::Pool& pool, SustainabilityService& ledger,
                             LedgerMetricsOptions options)
    : registry_(registry),
      pool_(pool),
      ledger_(ledger),
      options_(options),
      retrains_(registry.Gauge("driftgate_ledger_retrains",
                               "Sustainability ledger over each model's data span: retrains requested, suppressed "
                               "decisions, baseline (periodic schedule) and avoided retrains.")),
      energy_(registry.Gauge("driftgate_ledger_energy_kwh",
                             "Sustainability ledger: energy spent and avoided by retraining (models with a "
                             "retrain_cost), kWh.")),
      co2e_(registry.Gauge("driftgate_ledger_co2e_kg",
                           "Sustainability ledger: CO2e spent and avoided by retraining (models with a "
                           "retrain_cost), kg.")),
      updated_(registry.Gauge("driftgate_ledger_updated_timestamp_seconds",
                              "Unix time at which the ledger gauges were last computed.")) {
  collector_ = registry_.AddCollector([this] { Collect(); });
}

LedgerMetrics::~LedgerMetrics() { registry_.RemoveCollector(collector_); }

void LedgerMetrics::Collect() {
  // Collectors never run concurrently (MetricsRegistry), so the cache needs no lock of its own.
  const auto now = std::chrono::steady_clock::now();
  if (computed_ && now - computed_at_ < options_.ttl) return;
  if (pool_.in_use() >= pool_.size()) return;  // keep the last figures rather than wait for a connection
  json fleet;
  try {
    auto r = ledger_.Fleet({});
    if (!r.ok()) {
      spdlog::debug("metrics: ledger not computed: {}", r.error().message);
      return;
    }
    fleet = std::move(r).value();
  } catch (const std::exception& e) {
    spdlog::debug("metrics: ledger not computed: {}", e.what());
    return;
  }
  computed_ = true;
  computed_at_ = now;
  for (MetricFamily* f : {&retrains_, &energy_, &co2e_}) f->RemoveIf([](const std::string&) { return true; });
  std::size_t exported = 0;
  for (const auto& m : fleet["models"]) {
    if (exported++ >= options_.max_models) break;
    const std::string model = m["model"].get<std::string>();
    for (const char* kind : {"requested", "suppressed", "baseline", "avoided"}) {
      retrains_.Set(LabelKey({{"model", model}, {"kind", kind}}), m["retrains"][kind].get<double>());
    }
    for (const char* kind : {"spent", "avoided"}) {
      const std::string key = LabelKey({{"model", model}, {"kind", kind}});
      if (m["energy_kwh"][kind].is_number()) energy_.Set(key, m["energy_kwh"][kind].get<double>());
      if (m["co2e_kg"][kind].is_number()) co2e_.Set(key, m["co2e_kg"][kind].get<double>());
    }
  }
  updated_.Set("", std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace driftgate::service

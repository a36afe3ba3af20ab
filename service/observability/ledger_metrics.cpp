#include "service/observability/ledger_metrics.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "service/lifecycle/periodic_worker.h"
#include "service/reporting/sustainability_service.h"

namespace driftgate::service {

LedgerMetrics::LedgerMetrics(MetricsRegistry& registry, SustainabilityService& ledger,
                             LedgerMetricsOptions options)
    : ledger_(ledger),
      options_(options),
      retrains_(
          registry.Gauge("driftgate_ledger_retrains",
                         "Sustainability ledger over each model's data span: retrains requested, suppressed "
                         "decisions, baseline (periodic schedule) and avoided retrains.")),
      energy_(registry.Gauge("driftgate_ledger_energy_kwh",
                             "Sustainability ledger: energy spent and avoided by retraining (models with a "
                             "retrain_cost), kWh.")),
      co2e_(registry.Gauge("driftgate_ledger_co2e_kg",
                           "Sustainability ledger: CO2e spent and avoided by retraining (models with a "
                           "retrain_cost), kg.")),
      updated_(registry.Gauge("driftgate_ledger_updated_timestamp_seconds",
                              "Unix time at which the ledger gauges were last computed.")),
      worker_(
          std::make_unique<PeriodicWorker>("metrics: sustainability ledger", [this] { return Refresh(); })) {}

LedgerMetrics::~LedgerMetrics() { worker_.reset(); }

std::chrono::milliseconds LedgerMetrics::Refresh() {
  const auto started = std::chrono::steady_clock::now();
  const double snapshot_at =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::vector<ModelLedger> models;
  std::optional<std::int64_t> write_count;
  try {
    // Read before the figures, so that a write between the two reads makes the next run compute again.
    if (auto n = ledger_.WriteCount(); n.ok()) write_count = *n;
    const bool fresh = options_.max_age.count() > 0 && started - computed_at_ < options_.max_age;
    if (fresh && write_count && write_count == computed_write_count_) return options_.interval;
    auto r = ledger_.FirstModels(options_.max_models);
    if (!r.ok()) {
      spdlog::debug("metrics: ledger not computed: {}", r.error().message);
      return options_.interval;
    }
    models = std::move(r).value();
  } catch (const std::exception& e) {  // e.g. the database is away: keep the last figures, try again later
    spdlog::debug("metrics: ledger not computed: {}", e.what());
    return options_.interval;
  }
  // Series of models that are gone (deleted, or past max_models) are removed; the others are overwritten,
  // so a scrape during the update sees every model's last or new figures, never a gap.
  std::map<const MetricFamily*, std::set<std::string>> keys;
  auto set = [&keys](MetricFamily& f, const std::string& key, double v) {
    f.Set(key, v);
    keys[&f].insert(key);
  };
  for (const auto& m : models) {
    const evaluate::Ledger& l = m.ledger;
    const std::pair<const char*, std::int64_t> counts[] = {{"requested", l.counts.requested},
                                                           {"suppressed", l.counts.suppressed},
                                                           {"baseline", l.baseline},
                                                           {"avoided", l.avoided}};
    for (const auto& [kind, n] : counts) {
      set(retrains_, LabelKey({{"model", m.model}, {"kind", kind}}), static_cast<double>(n));
    }
    const std::string spent = LabelKey({{"model", m.model}, {"kind", "spent"}});
    const std::string avoided = LabelKey({{"model", m.model}, {"kind", "avoided"}});
    if (l.energy_spent_kwh) set(energy_, spent, *l.energy_spent_kwh);
    if (l.co2e_spent_kg) set(co2e_, spent, *l.co2e_spent_kg);
    if (l.energy_avoided_kwh) set(energy_, avoided, *l.energy_avoided_kwh);
    if (l.co2e_avoided_kg) set(co2e_, avoided, *l.co2e_avoided_kg);
  }
  for (MetricFamily* f : {&retrains_, &energy_, &co2e_}) {
    const std::set<std::string>& kept = keys[f];
    f->RemoveIf([&kept](const std::string& key) { return kept.count(key) == 0; });
  }
  updated_.Set("", snapshot_at);
  computed_write_count_ = write_count;
  computed_at_ = started;
  const auto took =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  return std::max(options_.interval,
                  std::chrono::milliseconds(static_cast<std::int64_t>(took.count() * options_.load_factor)));
}

}  // namespace driftgate::service

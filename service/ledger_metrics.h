// The sustainability ledger on GET /metrics (issue 8 "Shown on /ui and in /metrics"): per model, over its
// whole data span (the default period of GET /v1/models/{model}/sustainability), as gauges:
//
// | name                          | labels                                           | shows                   |
// |-------------------------------|--------------------------------------------------|-------------------------|
// | driftgate_ledger_retrains     | model, kind=requested|suppressed|baseline|avoided | retrains                |
// | driftgate_ledger_energy_kwh   | model, kind=spent|avoided                        | energy (models with a   |
// | driftgate_ledger_co2e_kg      | model, kind=spent|avoided                        | retrain_cost only)      |
// | driftgate_ledger_updated_timestamp_seconds |                                     | when they were computed |
//
// A scrape-time collector on Telemetry's registry, like its outbox gauge, but the figures read every
// model's history, so they are cached for `ttl` (a scrape within it re-serves them) and skipped while the
// pool is exhausted (a scrape never waits for a connection). At most `max_models` models are exported
// (in name order); the figures come from the database, so every replica exports the same fleet.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>

#include "service/metrics.h"

namespace driftgate::db {
class Pool;
}  // namespace driftgate::db

namespace driftgate::service {

class SustainabilityService;

struct LedgerMetricsOptions {
  std::chrono::milliseconds ttl{30000};
  std::size_t max_models = 1000;
};

class LedgerMetrics {
 public:
  LedgerMetrics(MetricsRegistry& registry, db::Pool& pool, SustainabilityService& ledger,
                LedgerMetricsOptions options = {});
  ~LedgerMetrics();
  LedgerMetrics(const LedgerMetrics&) = delete;
  LedgerMetrics& operator=(const LedgerMetrics&) = delete;

 private:
  void Collect();

  MetricsRegistry& registry_;
  db::Pool& pool_;
  SustainabilityService& ledger_;
  LedgerMetricsOptions options_;
  MetricFamily& retrains_;
  MetricFamily& energy_;
  MetricFamily& co2e_;
  MetricFamily& updated_;
  std::chrono::steady_clock::time_point computed_at_{};
  bool computed_ = false;
  MetricsRegistry::CollectorId collector_ = 0;
};

}  // namespace driftgate::service

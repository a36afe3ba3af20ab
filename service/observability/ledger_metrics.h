// The sustainability ledger on GET /metrics: per model, over its whole data span (the default period of
// GET /v1/models/{model}/sustainability), as gauges:
//
// | name                          | labels                                           | shows |
// |-------------------------------|--------------------------------------------------|-------------------------|
// | driftgate_ledger_retrains     | model, kind=requested|suppressed|baseline|avoided | retrains | |
// driftgate_ledger_energy_kwh   | model, kind=spent|avoided                        | energy (models with a |
// | driftgate_ledger_co2e_kg      | model, kind=spent|avoided                        | retrain_cost only) |
// | driftgate_ledger_updated_timestamp_seconds |                                     | when their computation
// | |                                            |                                     | began (its snapshot)
// |
//
// The figures read every model's history, so they are computed off the request path: a background worker
// recomputes them and publishes the gauges, and a scrape only renders what the last computation left
// (GET /metrics does no database work for them, however many models and records there are). The next
// computation starts `interval` after the last one ended, or later when computing takes long: never
// sooner than `load_factor` times its own duration, so the worker keeps at most 1/load_factor of one
// database connection busy; and when nothing was written since, it is skipped (see `max_age`). At most
// `max_models` models are computed and exported (in name order); the figures come from the database, so every
// replica exports the same fleet.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "service/observability/metrics.h"

namespace driftgate::service {

class PeriodicWorker;
class SustainabilityService;

struct LedgerMetricsOptions {
  std::chrono::milliseconds interval{30000};
  // Between writes the figures cannot change: a run that finds the database's write count
  // (SustainabilityService::WriteCount) as it was at the last computation skips the computation, unless
  // that is older than this (0: never skip). An idle fleet then costs one cheap query per interval.
  std::chrono::milliseconds max_age{600000};
  double load_factor = 20.0;
  std::size_t max_models = 1000;
};

class LedgerMetrics {
 public:
  // Starts the worker; the first computation runs at once.
  LedgerMetrics(MetricsRegistry& registry, SustainabilityService& ledger, LedgerMetricsOptions options = {});
  ~LedgerMetrics();
  LedgerMetrics(const LedgerMetrics&) = delete;
  LedgerMetrics& operator=(const LedgerMetrics&) = delete;

 private:
  // One computation and publication; returns the delay before the next.
  std::chrono::milliseconds Refresh();

  SustainabilityService& ledger_;
  LedgerMetricsOptions options_;
  std::optional<std::int64_t> computed_write_count_{};  // the write count when the figures were computed
  std::chrono::steady_clock::time_point computed_at_{};
  MetricFamily& retrains_;
  MetricFamily& energy_;
  MetricFamily& co2e_;
  MetricFamily& updated_;
  std::unique_ptr<PeriodicWorker> worker_;  // last: stopped first, before the members it uses
};

}  // namespace driftgate::service

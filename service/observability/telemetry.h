// driftgate's own metrics on a MetricsRegistry, served as `GET /metrics` (Prometheus text format). One
// instance per process, built in the composition root and handed by pointer to the server, the ingest
// service, the dispatcher and the drift monitor (nullptr there: not measured). deploy/grafana and
// deploy/README.md use exactly these names:
//
// | name                                      | type      | labels                    | counts / shows |
// |-------------------------------------------|-----------|---------------------------|----------------------------|
// | driftgate_http_requests_total             | counter   | route, method, code       | requests answered |
// | driftgate_http_request_duration_seconds   | histogram | route, method, code       | time inside Handle()
// | | driftgate_ingest_records_total            | counter   | kind, result              | records
// accepted/duplicate | | driftgate_ingest_labels_unmatched_total   | counter   |                           |
// accepted labels still      | |                                           |           | | waiting for a
// prediction   | | driftgate_decisions_total                 | counter   | action                    |
// decisions committed here   | | driftgate_webhook_deliveries_total        | counter   | | 2xx answers | |
// driftgate_webhook_failed_attempts_total   | counter   |                           | other answers or no
// answer | |                                           |           |                           | (retried),
// 410 excluded    | | driftgate_webhook_gone_total              | counter   |                           | 410
// answers (stopped)      | | driftgate_webhook_blocked_total           | counter   | | refused by | | | | |
// DRIFTGATE_WEBHOOK_ALLOW    | | driftgate_outbox_pending                  | gauge     | | pending outbox
// rows (every | |                                           |           |                           |
// replica's), counted in the | |                                           |           | | background every 5
// s       | | driftgate_db_pool_connections_in_use      | gauge     |                           | leased
// connections         | | driftgate_db_pool_connections_max         | gauge     |                           |
// the pool's size            | | driftgate_drift_checks_total              | counter   |
// result=drift|no_drift     | data-drift checks stored   | | driftgate_kpi_value / _lower / _upper     |
// gauge     | model, metric             | the latest evaluation this | | driftgate_kpi_threshold /
// driftgate_kpi_samples |     |                           | process ran, per model     | |
// driftgate_kpi_updated_timestamp_seconds   | gauge     | model                     | wall time of that one |
// | driftgate_data_quality_incident           | gauge     | model                     | 1 while the latest
// drift   | |                                           |           |                           | check found
// broken input   | | driftgate_data_quality_broken_features    | gauge     | model                     | its
// broken features        | (the last two are set by the drift monitor, service/drift/drift_monitor.h) |
// driftgate_segment_kpi_value / _lower /    | gauge     | model, segment, metric    | a segment's latest | |
// _upper / _samples                       |           |                           | evaluation here | |
// driftgate_segment_breach                  | gauge     | model, segment            | 1 while confirmed |
// (segments: only the segments.max_segments kept, never "(other)";
// service/observability/segment_telemetry.cpp) | driftgate_ledger_*                        | gauge     |
// model, kind               | the sustainability ledger  |
//   (service/observability/ledger_metrics.h: computed in the background, like the outbox count)
//
// A scrape does no database work: it renders what is in memory. DRIFTGATE_METRICS_TOKEN, when set, makes
// GET /metrics require it as a bearer token (model names are business data).
//
// `route` is the matched pattern (`/v1/models/{model}/labels`), `unmatched` for a 404/405, so the label
// set stays bounded; `code` is the status class (`2xx`). `kind` is predictions|labels, `result`
// accepted|duplicate, `action` none|warn|retrain|suppressed. Counters count this process only (Prometheus
// sums replicas). KPI gauges are kept per model in memory, bounded by the number of models, and only in
// the replica that ran the evaluation: with several replicas each exports what it evaluated, and the
// freshest is the one with the largest driftgate_kpi_updated_timestamp_seconds (deploy/README.md).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

#include "core/domain/records.h"
#include "service/observability/metrics.h"

namespace driftgate::db {
class Pool;
}  // namespace driftgate::db

namespace driftgate::service {

struct EvaluationResult;
class PeriodicWorker;

enum class WebhookOutcome { kDelivered, kFailed, kGone, kBlocked };

class Telemetry {
 public:
  // With a pool, every scrape reads its connections in use (in memory), and a background worker counts
  // the pending outbox rows every `database_interval`: a scrape never queries the database.
  struct Options {
    std::chrono::milliseconds database_interval{5000};
  };
  explicit Telemetry(db::Pool* pool = nullptr) : Telemetry(pool, Options{}) {}
  Telemetry(db::Pool* pool, Options options);
  ~Telemetry();
  Telemetry(const Telemetry&) = delete;
  Telemetry& operator=(const Telemetry&) = delete;

  void RecordRequest(std::string_view route, std::string_view method, int status, double seconds);
  // `kind`: "predictions" or "labels"; call after the batch committed.
  void RecordIngest(std::string_view kind, const domain::IngestResult& result);
  // After the evaluation's transaction committed: its decision (if written) and the model's KPI gauges.
  void RecordEvaluation(const std::string& model, const EvaluationResult& result);
  void RecordDecision(std::string_view action);
  void RecordWebhook(WebhookOutcome outcome);
  void RecordDriftCheck(bool drift);
  // Drops a deleted model's KPI gauges.
  void ForgetModel(const std::string& model);

  // The exposition text (runs the scrape-time collectors first).
  std::string Render();
  MetricsRegistry& registry() { return registry_; }

  static constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  void CollectPool();
  void CountOutbox();
  void RecordSegments(const std::string& model, const EvaluationResult& result);  // segment_telemetry.cpp

  MetricsRegistry registry_;
  db::Pool* pool_;
  Options options_;
  MetricFamily& requests_;
  MetricFamily& latency_;
  MetricFamily& records_;
  MetricFamily& unmatched_;
  MetricFamily& decisions_;
  MetricFamily& delivered_;
  MetricFamily& failed_;
  MetricFamily& gone_;
  MetricFamily& blocked_;
  MetricFamily& outbox_pending_;
  MetricFamily& pool_in_use_;
  MetricFamily& pool_max_;
  MetricFamily& drift_checks_;
  MetricFamily& kpi_value_;
  MetricFamily& kpi_lower_;
  MetricFamily& kpi_upper_;
  MetricFamily& kpi_threshold_;
  MetricFamily& kpi_samples_;
  MetricFamily& kpi_updated_;
  MetricFamily& segment_value_;
  MetricFamily& segment_lower_;
  MetricFamily& segment_upper_;
  MetricFamily& segment_samples_;
  MetricFamily& segment_breach_;
  std::mutex kpi_mu_;  // serializes KPI updates per process; guards kpi_metrics_
  std::map<std::string, std::set<std::string>> kpi_metrics_{};  // model → metrics exported
  MetricsRegistry::CollectorId collector_ = 0;
  std::unique_ptr<PeriodicWorker> outbox_worker_;  // last: stopped first, before the members it uses
};

}  // namespace driftgate::service

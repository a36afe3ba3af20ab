#include "service/observability/telemetry.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <pqxx/pqxx>

#include "db/outbox_repo.h"
#include "db/pool.h"
#include "service/evaluation/evaluation.h"
#include "service/lifecycle/periodic_worker.h"

namespace driftgate::service {
namespace {

// Request latency buckets (seconds): a keep-alive GET answers in tens of microseconds, a 10,000-record
// label batch with its evaluation in about a second.
const std::vector<double> kLatencyBounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                         0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

const char* StatusClass(int status) {
  switch (status / 100) {
    case 1:
      return "1xx";
    case 2:
      return "2xx";
    case 3:
      return "3xx";
    case 4:
      return "4xx";
    default:
      return "5xx";
  }
}

// Every KPI series of `model` starts with this prefix (model is the first label).
std::string ModelPrefix(const std::string& model) { return "model=\"" + EscapeLabelValue(model) + "\""; }

bool HasModel(const std::string& key, const std::string& prefix) {
  return key.size() >= prefix.size() && key.compare(0, prefix.size(), prefix) == 0 &&
         (key.size() == prefix.size() || key[prefix.size()] == ',');
}

}  // namespace

Telemetry::Telemetry(db::Pool* pool, Options options)
    : pool_(pool),
      options_(options),
      requests_(registry_.Counter("driftgate_http_requests_total",
                                  "HTTP requests answered, by route pattern, method and status class.")),
      latency_(
          registry_.Histogram("driftgate_http_request_duration_seconds",
                              "Time to answer an HTTP request (routing, auth, handler), by route pattern, "
                              "method and status class.",
                              kLatencyBounds)),
      records_(registry_.Counter(
          "driftgate_ingest_records_total",
          "Ingested records by kind (predictions, labels) and result (accepted, duplicate).")),
      unmatched_(
          registry_.Counter("driftgate_ingest_labels_unmatched_total",
                            "Accepted labels whose prediction had not arrived yet (a subset of accepted).")),
      decisions_(registry_.Counter(
          "driftgate_decisions_total",
          "Decisions committed by this process, by action (none, warn, retrain, suppressed).")),
      delivered_(registry_.Counter("driftgate_webhook_deliveries_total",
                                   "Retraining webhooks delivered (answered 2xx).")),
      failed_(
          registry_.Counter("driftgate_webhook_failed_attempts_total",
                            "Webhook attempts answered with another status than 2xx or 410, or not answered; "
                            "each is retried with backoff.")),
      gone_(
          registry_.Counter("driftgate_webhook_gone_total", "Webhooks answered 410 Gone: delivery stopped.")),
      blocked_(registry_.Counter(
          "driftgate_webhook_blocked_total",
          "Webhooks not sent because DRIFTGATE_WEBHOOK_ALLOW refuses their host (stopped).")),
      outbox_pending_(
          registry_.Gauge("driftgate_outbox_pending",
                          "Webhook deliveries pending in the outbox (every replica's), counted in the "
                          "background every few seconds; absent when the database did not answer.")),
      pool_in_use_(registry_.Gauge("driftgate_db_pool_connections_in_use",
                                   "PostgreSQL connections leased from this process's pool.")),
      pool_max_(registry_.Gauge("driftgate_db_pool_connections_max",
                                "The size of this process's connection pool.")),
      drift_checks_(registry_.Counter("driftgate_drift_checks_total",
                                      "Data-drift checks stored, by result (drift, no_drift).")),
      kpi_value_(
          registry_.Gauge("driftgate_kpi_value",
                          "KPI value of the latest evaluation this process ran, per model and metric.")),
      kpi_lower_(registry_.Gauge("driftgate_kpi_lower", "Lower bound of the KPI's confidence interval.")),
      kpi_upper_(registry_.Gauge("driftgate_kpi_upper", "Upper bound of the KPI's confidence interval.")),
      kpi_threshold_(registry_.Gauge("driftgate_kpi_threshold", "The KPI's configured min or max.")),
      kpi_samples_(registry_.Gauge("driftgate_kpi_samples", "Labelled pairs the KPI was computed over (n).")),
      kpi_updated_(registry_.Gauge("driftgate_kpi_updated_timestamp_seconds",
                                   "Unix time at which this process last evaluated the model.")),
      segment_value_(
          registry_.Gauge("driftgate_segment_kpi_value",
                          "KPI value of a segment's latest evaluation, per model, segment and metric.")),
      segment_lower_(registry_.Gauge("driftgate_segment_kpi_lower",
                                     "Lower bound of the segment KPI's Bonferroni-adjusted interval.")),
      segment_upper_(registry_.Gauge("driftgate_segment_kpi_upper",
                                     "Upper bound of the segment KPI's Bonferroni-adjusted interval.")),
      segment_samples_(
          registry_.Gauge("driftgate_segment_kpi_samples", "Pairs the segment KPI was computed over.")),
      segment_breach_(
          registry_.Gauge("driftgate_segment_breach",
                          "1 while the segment's latest evaluation confirmed a KPI breach, else 0.")) {
  // Series that exist before their first event, so that rate() and dashboards see zeros, not gaps.
  for (const char* kind : {"predictions", "labels"}) {
    for (const char* result : {"accepted", "duplicate"})
      records_.Touch(LabelKey({{"kind", kind}, {"result", result}}));
  }
  for (MetricFamily* unlabelled : {&unmatched_, &delivered_, &failed_, &gone_, &blocked_})
    unlabelled->Touch("");
  for (const char* action : {"none", "warn", "retrain", "suppressed"})
    decisions_.Touch(LabelKey({{"action", action}}));
  drift_checks_.Touch(LabelKey({{"result", "drift"}}));
  drift_checks_.Touch(LabelKey({{"result", "no_drift"}}));
  if (pool_) {
    collector_ = registry_.AddCollector([this] { CollectPool(); });
    outbox_worker_ = std::make_unique<PeriodicWorker>("metrics: outbox backlog", [this] {
      CountOutbox();
      return options_.database_interval;
    });
  }
}

Telemetry::~Telemetry() {
  outbox_worker_.reset();
  if (collector_) registry_.RemoveCollector(collector_);
}

void Telemetry::RecordRequest(std::string_view route, std::string_view method, int status, double seconds) {
  const std::string key = LabelKey({{"route", route}, {"method", method}, {"code", StatusClass(status)}});
  requests_.Inc(key);
  latency_.Observe(key, seconds);
}

void Telemetry::RecordIngest(std::string_view kind, const domain::IngestResult& result) {
  records_.Inc(LabelKey({{"kind", kind}, {"result", "accepted"}}), static_cast<double>(result.accepted));
  records_.Inc(LabelKey({{"kind", kind}, {"result", "duplicate"}}), static_cast<double>(result.duplicates));
  if (result.unmatched) unmatched_.Inc("", static_cast<double>(result.unmatched));
}

void Telemetry::RecordDecision(std::string_view action) { decisions_.Inc(LabelKey({{"action", action}})); }

void Telemetry::RecordEvaluation(const std::string& model, const EvaluationResult& result) {
  if (result.decision_written) RecordDecision(evaluate::ActionName(result.action));
  RecordSegments(model, result);
  if (result.kpis.empty()) return;
  std::lock_guard lock(kpi_mu_);
  std::set<std::string> metrics;
  for (const auto& k : result.kpis) {
    const std::string metric(kpi::MetricName(k.metric));
    metrics.insert(metric);
    const std::string key = LabelKey({{"model", model}, {"metric", metric}});
    kpi_value_.Set(key, k.estimate.value);
    kpi_lower_.Set(key, k.estimate.lower);
    kpi_upper_.Set(key, k.estimate.upper);
    kpi_samples_.Set(key, static_cast<double>(k.estimate.n));
    if (k.threshold) {
      kpi_threshold_.Set(key, *k.threshold);
    } else {
      kpi_threshold_.Remove(key);
    }
  }
  // A KPI dropped from the model's config (PUT) stops being exported.
  auto& exported = kpi_metrics_[model];
  for (const auto& old : exported) {
    if (metrics.count(old)) continue;
    const std::string key = LabelKey({{"model", model}, {"metric", old}});
    for (MetricFamily* f : {&kpi_value_, &kpi_lower_, &kpi_upper_, &kpi_threshold_, &kpi_samples_})
      f->Remove(key);
  }
  exported = std::move(metrics);
  const double now =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  kpi_updated_.Set(LabelKey({{"model", model}}), now);
}

void Telemetry::ForgetModel(const std::string& model) {
  std::lock_guard lock(kpi_mu_);
  const std::string prefix = ModelPrefix(model);
  for (MetricFamily* f :
       {&kpi_value_, &kpi_lower_, &kpi_upper_, &kpi_threshold_, &kpi_samples_, &kpi_updated_, &segment_value_,
        &segment_lower_, &segment_upper_, &segment_samples_, &segment_breach_}) {
    f->RemoveIf([&prefix](const std::string& key) { return HasModel(key, prefix); });
  }
  kpi_metrics_.erase(model);
}

void Telemetry::RecordWebhook(WebhookOutcome outcome) {
  switch (outcome) {
    case WebhookOutcome::kDelivered:
      delivered_.Inc("");
      break;
    case WebhookOutcome::kFailed:
      failed_.Inc("");
      break;
    case WebhookOutcome::kGone:
      gone_.Inc("");
      break;
    case WebhookOutcome::kBlocked:
      blocked_.Inc("");
      break;
  }
}

void Telemetry::RecordDriftCheck(bool drift) {
  drift_checks_.Inc(LabelKey({{"result", drift ? "drift" : "no_drift"}}));
}

std::string Telemetry::Render() { return registry_.Render(); }

void Telemetry::CollectPool() {
  pool_in_use_.Set("", static_cast<double>(pool_->in_use()));
  pool_max_.Set("", static_cast<double>(pool_->size()));
}

void Telemetry::CountOutbox() {
  // Off the request path, but still never queued behind API requests for a connection: with the pool
  // exhausted the backlog is left out until the next count.
  if (pool_->in_use() >= pool_->size()) {
    outbox_pending_.Remove("");
    return;
  }
  try {
    auto n = db::Transact<std::int64_t>(
        *pool_, [](pqxx::work& tx) -> Result<std::int64_t> { return db::CountPendingOutbox(tx); });
    if (n.ok()) {
      outbox_pending_.Set("", static_cast<double>(*n));
      return;
    }
    spdlog::debug("metrics: outbox backlog not counted: {}", n.error().message);
  } catch (const std::exception& e) {
    spdlog::debug("metrics: outbox backlog not counted: {}", e.what());
  }
  outbox_pending_.Remove("");
}

}  // namespace driftgate::service

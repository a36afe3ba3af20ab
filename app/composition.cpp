#include "app/composition.h"

#include <optional>

#include "api/server.h"
#include "db/exec.h"
#include "db/pool.h"
#include "service/access/audit.h"
#include "service/access/tokens_service.h"
#include "service/alerts/alerts.h"
#include "service/drift/drift_monitor.h"
#include "service/ingest/ingest_service.h"
#include "service/lifecycle/retention.h"
#include "service/models/models_service.h"
#include "service/reporting/backtest_service.h"
#include "service/reporting/grid_forecast_service.h"
#include "service/reporting/history_service.h"
#include "service/reporting/suggest_service.h"
#include "service/reporting/sustainability_service.h"
#include "service/retrains/retrains_service.h"
#include "service/webhooks/dispatcher.h"
#include "service/webhooks/transport/allow_list.h"
#include "service/webhooks/transport/http_transport.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::app {
namespace {

// What is parsed from the configuration before anything is built: the parts that can still fail.
struct Inputs {
  std::optional<webhook::SecretBox> own_secrets;
  webhook::AllowList webhook_allow;
  service::NotifyContext notify;
};

const char* OrNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

}  // namespace

// Members in dependency order: each is built from those above it and destroyed before them, so the
// server goes first and the pool last.
struct Composition::Parts {
  Parts(const service::ServeConfig& c, const CompositionTuning& t, Inputs in)
      : own_secrets(std::move(in.own_secrets)),
        secrets(t.secrets ? *t.secrets : *own_secrets),
        webhook_allow(std::move(in.webhook_allow)),
        notify(std::move(in.notify)),
        pool({.url = c.db_url, .size = c.db_pool_size}),
        telemetry(&pool, t.telemetry),
        // DRIFTGATE_WEBHOOK_ALLOW: checked at model create/replace, before each delivery, and
        // (allow_connect) on the address each delivery actually connects to; an empty list: public only.
        transport({.connect_timeout = t.webhook_connect_timeout,
                   .total_timeout = std::chrono::milliseconds(c.webhook_timeout_ms),
                   .allow_connect =
                       [this](const std::string& url, const std::string& address) {
                         return webhook_allow.AllowsConnect(url, address);
                       }}),
        dispatcher(pool, transport, secrets,
                   {.backoff_base_seconds = c.webhook_backoff_base_seconds,
                    .backoff_max_seconds = c.webhook_backoff_max_seconds,
                    .poll_interval = std::chrono::milliseconds(c.dispatch_poll_ms),
                    .telemetry = &telemetry,
                    .allow_list = &webhook_allow,
                    .notify = &notify}),
        drift(pool, {.telemetry = &telemetry}),
        models(pool, secrets, {.webhook_allow = &webhook_allow}),
        ingest(pool, {.on_retrain = [this] { dispatcher.Wake(); },
                      .on_drift_check_due = [this](std::int64_t id) { drift.Enqueue(id); },
                      .telemetry = &telemetry,
                      .notify = &notify}),
        retrains(pool),
        history(pool),
        auth(c.admin_token, pool, t.auth),
        tokens(pool, {.on_revoke = [this] { auth.ForgetCached(); }}),
        audit(pool),
        backtest(pool),
        suggest(pool),
        sustainability(pool),
        ledger_metrics(telemetry.registry(), sustainability, t.ledger_metrics),
        grid_forecast(pool),
        retention(pool, {.default_raw_days = c.retention_days,
                         .archive_dir = c.archive_dir,
                         .interval = std::chrono::seconds(c.retention_interval_seconds)}),
        run_retention(t.run_retention),
        server(
            ServicesOf(), ApiOptionsOf(c),
            api::ServerOptions{.bind_address = c.bind_address, .port = c.port, .threads = c.http_threads}) {}

  api::Services ServicesOf() {
    return api::Services{.models = models,
                         .ingest = ingest,
                         .retrains = retrains,
                         .history = history,
                         .drift = drift,
                         .auth = auth,
                         .telemetry = &telemetry,
                         .tokens = &tokens,
                         .audit = &audit,
                         .backtest = &backtest,
                         .sustainability = &sustainability,
                         .grid_forecast = &grid_forecast,
                         .suggest = &suggest};
  }

  static api::ApiOptions ApiOptionsOf(const service::ServeConfig& c) {
    return api::ApiOptions{
        .limits = {.max_records = c.max_records, .max_future_skew_seconds = c.max_future_skew_seconds},
        .max_body_bytes = c.max_body_bytes,
        .rate_limit_rps = c.rate_limit_rps,
        .rate_limit_burst = c.rate_limit_burst,
        .ui_dir = c.ui_dir,
        .metrics_token = c.metrics_token,
        .cursor_key = c.cursor_key};
  }

  std::optional<webhook::SecretBox> own_secrets;
  const webhook::SecretBox& secrets;
  webhook::AllowList webhook_allow;
  service::NotifyContext notify;
  db::Pool pool;
  service::Telemetry telemetry;
  webhook::CurlTransport transport;
  service::Dispatcher dispatcher;
  service::DriftMonitor drift;
  service::ModelsService models;
  service::IngestService ingest;
  service::RetrainsService retrains;
  service::HistoryService history;
  service::Authenticator auth;  // scoped-token lookups cached; failed attempts throttled (auth.h)
  service::TokensService tokens;
  service::AuditService audit;
  service::BacktestService backtest;
  service::SuggestService suggest;
  service::SustainabilityService sustainability;
  service::LedgerMetrics ledger_metrics;  // the fleet ledger recomputed off the request path
  service::GridForecastService grid_forecast;
  service::Retention retention;
  bool run_retention;
  api::Server server;
};

Result<std::unique_ptr<Composition>> Composition::Make(const service::ServeConfig& config,
                                                       CompositionTuning tuning) {
  std::optional<webhook::SecretBox> own_secrets;
  if (!tuning.secrets)
    own_secrets = *webhook::SecretBox::Make(config.secret_key, config.secret_key_previous, nullptr);
  const webhook::SecretBox& secrets = tuning.secrets ? *tuning.secrets : *own_secrets;
  webhook::AllowList allow = *webhook::AllowList::Parse(config.webhook_allow, nullptr);
  // Alert routing (service/alerts/alerts.h): DRIFTGATE_NOTIFY, the targets of models without `notify`.
  auto notify = service::LoadNotifyContext(OrNull(config.notify), OrNull(config.public_url), secrets, allow);
  if (!notify.ok()) return notify.error();
  // Statements are prepared per connection unless PgBouncer in transaction mode forbids it (db/exec.h).
  db::UsePreparedStatements(config.db_prepared);
  auto parts = std::make_unique<Parts>(config, tuning,
                                       Inputs{.own_secrets = std::move(own_secrets),
                                              .webhook_allow = std::move(allow),
                                              .notify = std::move(notify).value()});
  return std::unique_ptr<Composition>(new Composition(std::move(parts)));
}

Composition::Composition(std::unique_ptr<Parts> parts) : parts_(std::move(parts)) {}

Composition::~Composition() { Stop(); }

void Composition::Start() {
  parts_->server.Start();
  started_ = true;
  parts_->dispatcher.Start();
  parts_->drift.Start();
  if (parts_->run_retention) parts_->retention.Start();
}

void Composition::Stop() {
  if (!started_) return;
  started_ = false;
  parts_->server.Shutdown();
  parts_->dispatcher.Stop();
  parts_->drift.Stop();
  parts_->retention.Stop();
}

api::Server& Composition::server() { return parts_->server; }
db::Pool& Composition::pool() { return parts_->pool; }
const webhook::SecretBox& Composition::secrets() const { return parts_->secrets; }
service::Retention& Composition::retention() { return parts_->retention; }

}  // namespace driftgate::app

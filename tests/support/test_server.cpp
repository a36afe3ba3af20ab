#include "tests/support/test_server.h"

#include <cstdlib>
#include <cstring>

#include "api/server.h"
#include "db/exec.h"
#include "db/pool.h"
#include "service/access/audit.h"
#include "service/access/auth.h"
#include "service/access/tokens_service.h"
#include "service/drift/drift_monitor.h"
#include "service/ingest/ingest_service.h"
#include "service/models/models_service.h"
#include "service/observability/ledger_metrics.h"
#include "service/observability/telemetry.h"
#include "service/reporting/backtest_service.h"
#include "service/reporting/grid_forecast_service.h"
#include "service/reporting/history_service.h"
#include "service/reporting/suggest_service.h"
#include "service/reporting/sustainability_service.h"
#include "service/retrains/retrains_service.h"
#include "service/webhooks/dispatcher.h"
#include "service/webhooks/transport/allow_list.h"
#include "service/webhooks/transport/http_transport.h"

namespace driftgate::test_support {
namespace {

// The in-process servers honour DRIFTGATE_DB_PREPARED as `driftgate serve` does, so the api tier can run
// through PgBouncer in transaction mode (tests/scale/pgbouncer.sh sets it to off).
void ApplyPreparedSettingFromEnvironment() {
  const char* value = std::getenv("DRIFTGATE_DB_PREPARED");
  if (value != nullptr) db::UsePreparedStatements(std::strcmp(value, "off") != 0);
}

}  // namespace

struct TestServer::Stack {
  Stack(const std::string& url, const TestServerOptions& o)
      : pool({.url = url, .size = static_cast<std::size_t>(o.threads) + 2}),
        telemetry(&pool, {.database_interval = std::chrono::milliseconds(100)}),
        webhook_allow(*webhook::AllowList::Parse(o.webhook_allow, nullptr)),
        transport({.connect_timeout = std::chrono::milliseconds(1000),
                   .total_timeout = std::chrono::milliseconds(3000),
                   .allow_connect =
                       [this](const std::string& target, const std::string& address) {
                         return webhook_allow.AllowsConnect(target, address);
                       }}),
        dispatcher(pool, transport, SecretsOf(o),
                   {.backoff_base_seconds = o.backoff_base_seconds,
                    .backoff_max_seconds = o.backoff_max_seconds,
                    .poll_interval = std::chrono::milliseconds(o.dispatch_poll_ms),
                    .telemetry = &telemetry,
                    .allow_list = &webhook_allow}),
        drift(pool, {.telemetry = &telemetry}),
        models(pool, SecretsOf(o), {.webhook_allow = &webhook_allow}),
        ingest(pool, {.on_retrain = [this] { dispatcher.Wake(); },
                      .on_drift_check_due = [this](std::int64_t id) { drift.Enqueue(id); },
                      .telemetry = &telemetry}),
        retrains(pool),
        history(pool),
        auth(kAdminToken, pool,
             service::AuthenticatorOptions{.throttle = {.failures_per_second = o.auth_failures_per_second,
                                                        .burst = o.auth_failure_burst}}),
        tokens(pool, {.on_revoke = [this] { auth.ForgetCached(); }}),
        audit(pool),
        backtest(pool),
        sustainability(pool),
        ledger_metrics(telemetry.registry(), sustainability,
                       {.interval = std::chrono::milliseconds(100),
                        .max_age = std::chrono::milliseconds(0),
                        .load_factor = 2.0}),
        grid_forecast(pool),
        suggest(pool),
        server(api::Services{.models = models,
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
                             .suggest = &suggest},
               api::ApiOptions{.limits = {.max_records = o.max_records},
                               .max_body_bytes = o.max_body_bytes,
                               .rate_limit_rps = o.rate_limit_rps,
                               .rate_limit_burst = o.rate_limit_burst,
                               .ui_dir = o.ui_dir,
                               .metrics_token = o.metrics_token},
               api::ServerOptions{.bind_address = "127.0.0.1", .port = 0, .threads = o.threads}) {
    ApplyPreparedSettingFromEnvironment();
    server.Start();
    dispatcher.Start();
    drift.Start();
  }
  ~Stack() {
    server.Shutdown();
    dispatcher.Stop();
    drift.Stop();
  }

  db::Pool pool;
  service::Telemetry telemetry;
  webhook::AllowList webhook_allow;
  webhook::CurlTransport transport;
  service::Dispatcher dispatcher;
  service::DriftMonitor drift;
  service::ModelsService models;
  service::IngestService ingest;
  service::RetrainsService retrains;
  service::HistoryService history;
  service::Authenticator auth;
  service::TokensService tokens;
  service::AuditService audit;
  service::BacktestService backtest;
  service::SustainabilityService sustainability;
  service::LedgerMetrics ledger_metrics;
  service::GridForecastService grid_forecast;
  service::SuggestService suggest;
  api::Server server;
};

const webhook::SecretBox& TestSecretBox() {
  static const webhook::SecretBox box = *webhook::SecretBox::Make(kSecretKey, "", nullptr);
  return box;
}

TestServer::TestServer(const std::string& db_url, TestServerOptions options)
    : stack_(std::make_unique<Stack>(db_url, options)) {}

TestServer::~TestServer() = default;

std::uint16_t TestServer::port() const { return stack_->server.port(); }

std::vector<RouteInfo> TestServer::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : stack_->server.routes()) {
    out.push_back(RouteInfo{
        .method = r.method,
        .pattern = r.pattern,
        .scope = r.scope ? std::optional<std::string>(service::ScopeName(*r.scope)) : std::nullopt});
  }
  return out;
}

std::string TestServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + path;
}

HttpResponse TestServer::Call(const std::string& method, const std::string& path,
                              const nlohmann::json& body) {
  return client_.Send(method, Url(path), body.is_null() ? "" : body.dump(),
                      {std::string("Authorization: Bearer ") + kAdminToken});
}

HttpResponse TestServer::Raw(const std::string& method, const std::string& path, const std::string& body,
                             const std::vector<std::string>& headers) {
  return client_.Send(method, Url(path), body, headers);
}

nlohmann::json BinaryModel(const std::string& name, const std::string& webhook_url, double min_accuracy) {
  return {{"name", name},
          {"task", "binary_classification"},
          {"kpis", {{{"metric", "accuracy"}, {"min", min_accuracy}}}},
          {"evaluation", {{"window", 1000}, {"min_samples", 300}, {"confidence", 0.95}}},
          {"detectors", {{{"type", "adwin"}, {"delta", 0.002}}}},
          {"policy", {{"cooldown_seconds", 3600}, {"max_retrains_per_day", 3}}},
          {"webhook", {{"url", webhook_url}, {"secret", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}}}};
}

}  // namespace driftgate::test_support

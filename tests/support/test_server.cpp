#include "tests/support/test_server.h"

#include <cstdlib>
#include <cstring>

#include "api/server.h"
#include "app/composition.h"

namespace driftgate::test_support {
namespace {

// The configuration `driftgate serve` would load for these options: the wiring is app/composition.h's,
// only the timings are shorter.
service::ServeConfig ServeConfigOf(const std::string& url, const TestServerOptions& o) {
  service::ServeConfig c;
  c.db_url = url;
  c.bind_address = "127.0.0.1";
  c.port = 0;
  c.http_threads = o.threads;
  c.db_pool_size = static_cast<std::size_t>(o.threads) + 2;
  // DRIFTGATE_DB_PREPARED as `driftgate serve` reads it, so the api tier can run through PgBouncer in
  // transaction mode (tests/scale/pgbouncer.sh sets it to off).
  const char* prepared = std::getenv("DRIFTGATE_DB_PREPARED");
  c.db_prepared = prepared == nullptr || std::strcmp(prepared, "off") != 0;
  c.admin_token = kAdminToken;
  c.metrics_token = o.metrics_token;
  c.max_body_bytes = o.max_body_bytes;
  c.max_records = o.max_records;
  c.webhook_backoff_base_seconds = o.backoff_base_seconds;
  c.webhook_backoff_max_seconds = o.backoff_max_seconds;
  c.webhook_timeout_ms = 3000;
  c.dispatch_poll_ms = o.dispatch_poll_ms;
  c.rate_limit_rps = o.rate_limit_rps;
  c.rate_limit_burst = o.rate_limit_burst;
  c.webhook_allow = o.webhook_allow;
  c.ui_dir = o.ui_dir;
  return c;
}

app::CompositionTuning TuningOf(const TestServerOptions& o) {
  return {.secrets = &SecretsOf(o),
          .webhook_connect_timeout = std::chrono::milliseconds(1000),
          .telemetry = {.database_interval = std::chrono::milliseconds(100)},
          .ledger_metrics = {.interval = std::chrono::milliseconds(100),
                             .max_age = std::chrono::milliseconds(0),
                             .load_factor = 2.0},
          .auth = {.throttle = {.failures_per_second = o.auth_failures_per_second,
                                .burst = o.auth_failure_burst}},
          // Its first pass would drop the partitions of the scenarios' back-dated records.
          .run_retention = false};
}

std::unique_ptr<app::Composition> Compose(const std::string& url, const TestServerOptions& o) {
  auto composition = app::Composition::Make(ServeConfigOf(url, o), TuningOf(o));
  if (!composition.ok()) throw std::runtime_error("test server: " + composition.error().message);
  (*composition)->Start();
  return std::move(composition).value();
}

}  // namespace

struct TestServer::Stack {
  Stack(const std::string& url, const TestServerOptions& o) : app(Compose(url, o)) {}
  std::unique_ptr<app::Composition> app;
  api::Server& server() { return app->server(); }
};

const webhook::SecretBox& TestSecretBox() {
  static const webhook::SecretBox box = *webhook::SecretBox::Make(kSecretKey, "", nullptr);
  return box;
}

TestServer::TestServer(const std::string& db_url, TestServerOptions options)
    : stack_(std::make_unique<Stack>(db_url, options)) {}

TestServer::~TestServer() = default;

std::uint16_t TestServer::port() const { return stack_->server().port(); }

std::vector<RouteInfo> TestServer::Routes() const {
  std::vector<RouteInfo> out;
  for (const auto& r : stack_->server().routes()) {
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

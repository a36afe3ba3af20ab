#include "tests/support/test_server.h"

#include "api/server.h"
#include "db/pool.h"
#include "service/auth.h"
#include "service/dispatcher.h"
#include "service/drift_monitor.h"
#include "service/history_service.h"
#include "service/ingest_service.h"
#include "service/models_service.h"
#include "service/retrains_service.h"
#include "service/webhook/http_transport.h"

namespace driftgate::test_support {

struct TestServer::Stack {
  Stack(const std::string& url, const TestServerOptions& o)
      : pool({.url = url, .size = static_cast<std::size_t>(o.threads) + 2}),
        transport({.connect_timeout = std::chrono::milliseconds(1000), .total_timeout = std::chrono::milliseconds(3000)}),
        dispatcher(pool, transport,
                   {.backoff_base_seconds = o.backoff_base_seconds,
                    .backoff_max_seconds = o.backoff_max_seconds,
                    .poll_interval = std::chrono::milliseconds(o.dispatch_poll_ms)}),
        drift(pool, {}),
        models(pool),
        ingest(pool, {.on_retrain = [this] { dispatcher.Wake(); },
                      .on_drift_check_due = [this](std::int64_t id) { drift.Enqueue(id); }}),
        retrains(pool),
        history(pool),
        auth(kAdminToken),
        server(api::Services{.models = models, .ingest = ingest, .retrains = retrains, .history = history, .drift = drift, .auth = auth},
               api::ApiOptions{.limits = {.max_records = o.max_records}, .max_body_bytes = o.max_body_bytes},
               api::ServerOptions{.bind_address = "127.0.0.1", .port = 0, .threads = o.threads}) {
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
  webhook::CurlTransport transport;
  service::Dispatcher dispatcher;
  service::DriftMonitor drift;
  service::ModelsService models;
  service::IngestService ingest;
  service::RetrainsService retrains;
  service::HistoryService history;
  service::Authenticator auth;
  api::Server server;
};

TestServer::TestServer(const std::string& db_url, TestServerOptions options)
    : stack_(std::make_unique<Stack>(db_url, options)) {}

TestServer::~TestServer() = default;

std::uint16_t TestServer::port() const { return stack_->server.port(); }

std::string TestServer::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port()) + path;
}

HttpResponse TestServer::Call(const std::string& method, const std::string& path, const nlohmann::json& body) {
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

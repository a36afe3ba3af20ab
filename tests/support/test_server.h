// The whole driftgate stack in-process, wired by app/composition.h as `driftgate serve` is, on 127.0.0.1
// port 0, against a given database — for api-tier tests with real HTTP. Also helpers that speak the API.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "service/webhooks/transport/secret_box.h"
#include "tests/support/http_client.h"

namespace driftgate::test_support {

inline constexpr const char* kAdminToken = "test-admin-token-0123456789";
// DRIFTGATE_SECRET_KEY of the in-process servers (base64 of 32 bytes).
inline constexpr const char* kSecretKey = "dGVzdC1zZWNyZXQta2V5LTAxMjM0NTY3ODlhYmNkZWY=";
// A box over kSecretKey, for services built outside a TestServer.
const webhook::SecretBox& TestSecretBox();

struct TestServerOptions {
  double backoff_base_seconds = 0.05;
  double backoff_max_seconds = 0.5;
  int dispatch_poll_ms = 50;
  std::size_t max_body_bytes = 8u << 20;
  std::size_t max_records = 10000;
  int threads = 4;
  double rate_limit_rps = 0.0;  // per principal; 0: no limit
  double rate_limit_burst = 0.0;
  // DRIFTGATE_WEBHOOK_ALLOW; must parse. The tests' receivers listen on 127.0.0.1, which the default
  // policy (an empty list: public addresses only) refuses; "" tests that default.
  std::string webhook_allow = "127.0.0.1";
  const webhook::SecretBox* secrets = nullptr;  // DRIFTGATE_SECRET_KEY(_PREVIOUS); nullptr: TestSecretBox()
  std::string metrics_token{};                  // DRIFTGATE_METRICS_TOKEN; empty: /metrics is open
  std::string ui_dir{};                         // the /ui page's assets; empty: /ui answers 404
  double auth_failures_per_second = 0.0;        // failed-authentication budget per client address; 0: off
  double auth_failure_burst = 0.0;
};

// The box a server built with `options` seals and opens with.
inline const webhook::SecretBox& SecretsOf(const TestServerOptions& options) {
  return options.secrets ? *options.secrets : TestSecretBox();
}

// A registered route and the scope it needs ("ingest", "read", "admin"; none: no token).
struct RouteInfo {
  std::string method{};
  std::string pattern{};
  std::optional<std::string> scope{};
};

class TestServer {
 public:
  explicit TestServer(const std::string& db_url, TestServerOptions options = {});
  ~TestServer();
  TestServer(const TestServer&) = delete;
  TestServer& operator=(const TestServer&) = delete;

  std::string Url(const std::string& path) const;
  std::uint16_t port() const;
  // Every route the server registered (the auth matrix covers new routes by itself).
  std::vector<RouteInfo> Routes() const;

  // Authorized (admin token) calls with a JSON body.
  HttpResponse Call(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr);
  HttpResponse Raw(const std::string& method, const std::string& path, const std::string& body,
                   const std::vector<std::string>& headers = {});

 private:
  struct Stack;
  std::unique_ptr<Stack> stack_;
  HttpClient client_;
};

// A binary model config with an accuracy KPI, for scenarios.
nlohmann::json BinaryModel(const std::string& name, const std::string& webhook_url,
                           double min_accuracy = 0.85);

}  // namespace driftgate::test_support

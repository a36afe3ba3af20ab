// The whole driftgate stack in-process, as service/main.cpp wires it, on 127.0.0.1 port 0, against a
// given database — for api-tier tests with real HTTP. Also helpers that speak the API.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/http_client.h"

namespace driftgate::test_support {

inline constexpr const char* kAdminToken = "test-admin-token-0123456789";

struct TestServerOptions {
  double backoff_base_seconds = 0.05;
  double backoff_max_seconds = 0.5;
  int dispatch_poll_ms = 50;
  std::size_t max_body_bytes = 8u << 20;
  std::size_t max_records = 10000;
  int threads = 4;
  double rate_limit_rps = 0.0;  // per principal; 0: no limit
  double rate_limit_burst = 0.0;
  std::string webhook_allow{};  // DRIFTGATE_WEBHOOK_ALLOW; must parse
  std::string metrics_token{};  // DRIFTGATE_METRICS_TOKEN; empty: /metrics is open
  std::string ui_dir{};         // the /ui page's assets; empty: /ui answers 404
  double auth_failures_per_second = 0.0;  // failed-authentication budget per client address; 0: off
  double auth_failure_burst = 0.0;
};

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
nlohmann::json BinaryModel(const std::string& name, const std::string& webhook_url, double min_accuracy = 0.85);

}  // namespace driftgate::test_support

// The HTTP server: Pistache underneath, one catch-all handler on top. Every request goes through
// Handle(), which routes (404/405 as problem+json), checks the body size and the bearer token, runs the
// handler, and turns any exception into a generic 500 whose detail is logged, never sent.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "api/http/http_types.h"
#include "api/router.h"
#include "api/routes.h"
#include "service/access/rate_limiter.h"

namespace driftgate::api {

struct ServerOptions {
  std::string bind_address = "0.0.0.0";
  std::uint16_t port = 8080;  // 0: any free port (tests)
  int threads = 8;
};

class Server {
 public:
  Server(Services services, ApiOptions api, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and serves on background threads.
  void Start();
  std::uint16_t port() const;
  // Graceful stop, step one: /readyz answers 503 at once; after `delay` (load balancers notice) new /v1
  // requests get 503 + Retry-After; returns when no request is in flight or `timeout` passed.
  void Drain(std::chrono::milliseconds delay, std::chrono::milliseconds timeout);
  // Step two: the listener stops.
  void Shutdown();

  // The framework-free core, also used by tests.
  Response Handle(Request& req) const;
  // Every route, in registration order (tests derive the auth matrix from it).
  const std::vector<Route>& routes() const { return router_.routes(); }

 private:
  struct Impl;
  Services services_;
  ApiOptions api_;
  ServerOptions options_;
  Router router_;
  mutable service::RateLimiter rate_limiter_;  // per principal, ApiOptions::rate_limit_*
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> refusing_{false};
  mutable std::atomic<int> in_flight_{0};
  std::unique_ptr<Impl> impl_;
};

}  // namespace driftgate::api

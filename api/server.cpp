#include "api/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <sstream>
#include <thread>

#include "api/http/http_connection.h"
#include "api/problem.h"
#include "codec/model_config.h"

namespace driftgate::api {
namespace {

using namespace Pistache;

// At most this much of a client-sent path goes back into an error body (a path may be 8 KiB long).
constexpr std::size_t kEchoedPathBytes = 64;

std::string PathPrefix(const std::string& path) {
  if (path.size() <= kEchoedPathBytes) return path;
  return path.substr(0, kEchoedPathBytes) + "...";
}

// The token checks of a route that needs one, in order: 401 (missing, unknown or revoked token), 429 (over
// the principal's rate), 403 (scope, or a model restriction that does not cover the route's {model}).
// nullopt: the request may proceed, and `req.principal` is set.
std::optional<Response> Gate(Request& req, service::Scope scope, const service::Authenticator& auth,
                             service::RateLimiter& limiter) {
  double retry_after = 0;
  auto principal = auth.Authenticate(req.authorization, req.client, &retry_after);
  if (!principal.ok() && principal.error().code == ErrorCode::kTooManyRequests) {
    const long seconds = std::max(1L, static_cast<long>(std::ceil(retry_after)));
    Response r = Problem(429, "too many failed authentications from this address; retry after " +
                                  std::to_string(seconds) + " s");
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
    return r;
  }
  if (!principal.ok()) return Problem(principal.error());
  if (auto wait = limiter.Take(principal->id, std::chrono::steady_clock::now())) {
    const long seconds = std::max(1L, static_cast<long>(std::ceil(*wait)));
    Response r = Problem(
        429, "request rate limit exceeded for this token; retry after " + std::to_string(seconds) + " s");
    r.headers.emplace_back("Retry-After", std::to_string(seconds));
    return r;
  }
  const auto model = req.params.find("model");
  const auto route_model =
      model == req.params.end() ? std::nullopt : std::optional<std::string_view>(model->second);
  if (auto st = service::Authorize(*principal, scope, route_model); !st.ok()) return Problem(st.error());
  req.principal = std::move(principal).value();
  return std::nullopt;
}

}  // namespace

struct Server::Impl {
  std::unique_ptr<Http::Endpoint> endpoint;
};

Server::Server(Services services, ApiOptions api, ServerOptions options)
    : services_(services),
      api_(api),
      options_(std::move(options)),
      rate_limiter_({.rate_per_second = api.rate_limit_rps, .burst = api.rate_limit_burst}),
      impl_(std::make_unique<Impl>()) {
  RegisterRoutes(router_, services_, api_, shutting_down_);
}

Server::~Server() { Shutdown(); }

void Server::Start() {
  Address addr(options_.bind_address, Port(options_.port));
  impl_->endpoint = std::make_unique<Http::Endpoint>(addr);
  // Requests are framed and bounded by ConnectionHandler (api/http/http_connection.h), not by Pistache's
  // parser: its request buffer stays at the default and is never fed. The timeouts bound how long a
  // request may take to arrive (header and body) and how long an idle keep-alive connection is kept.
  auto opts = Http::Endpoint::options()
                  .threads(options_.threads)
                  .flags(Tcp::Options::ReuseAddr)
                  .headerTimeout(std::chrono::seconds(30))
                  .bodyTimeout(std::chrono::seconds(60))
                  .keepaliveTimeout(std::chrono::seconds(120));
  impl_->endpoint->init(opts);
  const FramerLimits limits{.max_request_line = api_.max_request_line_bytes,
                            .max_head = api_.max_head_bytes,
                            .max_fields = 100,
                            .max_body = api_.max_body_bytes};
  impl_->endpoint->setHandler(Http::make_handler<ConnectionHandler>(this, limits));
  impl_->endpoint->serveThreaded();
}

std::uint16_t Server::port() const {
  return impl_->endpoint ? static_cast<std::uint16_t>(impl_->endpoint->getPort()) : 0;
}

void Server::Drain(std::chrono::milliseconds delay, std::chrono::milliseconds timeout) {
  shutting_down_ = true;
  const auto start = std::chrono::steady_clock::now();
  // Waiting on an atomic with a deadline: poll in small steps (requests finish on Pistache's threads).
  while (std::chrono::steady_clock::now() - start < delay)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  refusing_ = true;
  while (in_flight_.load() > 0 && std::chrono::steady_clock::now() - start < delay + timeout) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void Server::Shutdown() {
  shutting_down_ = true;
  if (impl_ && impl_->endpoint) {
    impl_->endpoint->shutdown();
    impl_->endpoint.reset();
  }
}

Response Server::Handle(Request& req) const {
  const auto start = std::chrono::steady_clock::now();
  struct InFlight {
    std::atomic<int>& n;
    explicit InFlight(std::atomic<int>& counter) : n(counter) { ++n; }
    ~InFlight() { --n; }
  } in_flight(in_flight_);
  if (refusing_.load() && req.path.rfind("/v1/", 0) == 0) {
    Response r = Problem(503, "the server is shutting down; retry on another replica");
    r.headers.emplace_back("Connection", "close");
    return r;
  }
  Response resp;
  const Route* route = nullptr;
  try {
    Router::Match m = router_.Find(req);
    route = m.route;
    if (!route) {
      if (!m.allowed_methods.empty()) {
        std::string allow;
        for (const auto& a : m.allowed_methods) allow += allow.empty() ? a : ", " + a;
        resp = Problem(405, "method " + PathPrefix(req.method) + " is not allowed on " +
                                PathPrefix(req.path) + "; allowed: " + allow);
        resp.headers.emplace_back("Allow", allow);
      } else {
        resp = Problem(404, "no route for " + PathPrefix(req.path));
      }
    } else if (req.body.size() > api_.max_body_bytes) {
      resp = Problem(413, "request body exceeds " + std::to_string(api_.max_body_bytes) + " bytes", "body");
    } else if (route->scope) {
      auto denied = Gate(req, *route->scope, services_.auth, rate_limiter_);
      const auto model = req.params.find("model");
      if (denied) {
        resp = std::move(*denied);
      } else if (model != req.params.end() && !codec::IsValidName(model->second)) {
        // No model has such a name; PostgreSQL would also refuse a name that is not UTF-8 (a 500).
        resp = Problem(404, "model '" + PathPrefix(model->second) + "' does not exist", "model");
      } else {
        resp = route->handler(req);
      }
    } else {
      resp = route->handler(req);
    }
  } catch (const std::exception& e) {
    spdlog::error("unhandled error: route=\"{} {}\" error=\"{}\"", req.method,
                  route ? route->pattern : req.path, e.what());
    resp = Problem(500, "internal error");
  } catch (...) {
    spdlog::error("unhandled non-standard exception: route=\"{} {}\"", req.method,
                  route ? route->pattern : req.path);
    resp = Problem(500, "internal error");
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  // Labelled by the route pattern, never the raw path, so unknown paths cannot grow the label set.
  if (services_.telemetry) {
    services_.telemetry->RecordRequest(route ? route->pattern : "unmatched", req.method, resp.status,
                                       ms / 1000);
  }
  if (resp.status >= 500) {
    spdlog::warn("{} {} -> {} ({:.1f} ms)", req.method, route ? route->pattern : req.path, resp.status, ms);
  } else {
    spdlog::debug("{} {} -> {} ({:.1f} ms)", req.method, route ? route->pattern : req.path, resp.status, ms);
  }
  if (req.method == "HEAD") resp.body.clear();
  return resp;
}

}  // namespace driftgate::api

#include "api/server.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <cmath>
#include <sstream>
#include <thread>

#include "api/problem.h"
#include "service/model_config.h"

namespace driftgate::api {
namespace {

using namespace Pistache;

// Pistache 0.0.5 writes only typed headers into a response (addRaw ones are dropped), so every header we
// set travels as a typed header carrying its text.
class TextHeader : public Http::Header::Header {
 public:
  TextHeader(std::string name, std::string value) : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void write(std::ostream& os) const override { os << value_; }
  std::uint64_t hash() const override { return Http::Header::detail::hash(name_.c_str()); }

 private:
  std::string name_;
  std::string value_;
};

std::string MethodName(Http::Method m) {
  switch (m) {
    case Http::Method::Get: return "GET";
    case Http::Method::Post: return "POST";
    case Http::Method::Put: return "PUT";
    case Http::Method::Delete: return "DELETE";
    case Http::Method::Patch: return "PATCH";
    case Http::Method::Head: return "HEAD";
    case Http::Method::Options: return "OPTIONS";
    default: return "OTHER";
  }
}

// Pistache 0.0.5 hands query keys and values over still percent-encoded: decode them, so what clients'
// encoders (URLSearchParams, urlencode) send — `from=2026-11-23T06%3A00%3A00Z`, a URL-encoded cursor —
// means what it says. `+` stays `+` (no parameter takes spaces, and a hand-typed `+01:00` offset should
// work); a malformed escape is kept as written.
std::string QueryDecode(const std::string& in) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

class PistacheHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(PistacheHandler)
  explicit PistacheHandler(const Server* server) : server_(server) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter writer) override {
    Request req;
    req.method = MethodName(request.method());
    req.path = request.resource();
    for (auto it = request.query().parameters_begin(); it != request.query().parameters_end(); ++it) {
      req.query[QueryDecode(it->first)] = QueryDecode(it->second);
    }
    req.body = request.body();
    if (auto auth = request.headers().tryGet<Http::Header::Authorization>()) req.authorization = auth->value();
    bool close = false;
    if (auto conn = request.headers().tryGet<Http::Header::Connection>()) {
      close = conn->control() == Http::ConnectionControl::Close;
    }
    Response resp = server_->Handle(req);
    // Keep HTTP/1.1 connections alive unless the client asked to close (Pistache would close them).
    writer.headers().add<Http::Header::Connection>(close ? Http::ConnectionControl::Close
                                                         : Http::ConnectionControl::KeepAlive);
    for (auto& [name, value] : resp.headers) writer.headers().add(std::make_shared<TextHeader>(name, value));
    if (!resp.body.empty() || resp.status != 204) {
      writer.headers().add(std::make_shared<TextHeader>("Content-Type", resp.content_type));
    }
    writer.send(static_cast<Http::Code>(resp.status), resp.body);
  }

 private:
  const Server* server_;
};

// The token checks of a route that needs one, in order: 401 (missing, unknown or revoked token), 429 (over
// the principal's rate), 403 (scope, or a model restriction that does not cover the route's {model}).
// nullopt: the request may proceed, and `req.principal` is set.
std::optional<Response> Gate(Request& req, service::Scope scope, const service::Authenticator& auth,
                             service::RateLimiter& limiter) {
  auto principal = auth.Authenticate(req.authorization);
  if (!principal.ok()) return Problem(principal.error());
  if (auto wait = limiter.Take(principal->id, std::chrono::steady_clock::now())) {
    const long seconds = std::max(1L, static_cast<long>(std::ceil(*wait)));
    Response r = Problem(429, "request rate limit exceeded for this token; retry after " + std::to_string(seconds) + " s");
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
  // Pistache answers a request beyond its own buffer limit with a plain-text 413 and then parses the
  // rest of that body as new requests (a desynchronised connection). So its limit sits far above ours
  // (DRIFTGATE_MAX_BODY_BYTES): such bodies are read whole and get our problem+json 413. Bodies beyond
  // the hard cap should be stopped by a proxy in front (deploy/README.md).
  auto opts = Http::Endpoint::options()
                  .threads(options_.threads)
                  .flags(Tcp::Options::ReuseAddr)
                  .maxRequestSize(std::max(api_.max_body_bytes + 64 * 1024, api_.hard_body_limit_bytes));
  impl_->endpoint->init(opts);
  impl_->endpoint->setHandler(Http::make_handler<PistacheHandler>(this));
  impl_->endpoint->serveThreaded();
}

std::uint16_t Server::port() const { return impl_->endpoint ? static_cast<std::uint16_t>(impl_->endpoint->getPort()) : 0; }

void Server::Drain(std::chrono::milliseconds delay, std::chrono::milliseconds timeout) {
  shutting_down_ = true;
  const auto start = std::chrono::steady_clock::now();
  // Waiting on an atomic with a deadline: poll in small steps (requests finish on Pistache's threads).
  while (std::chrono::steady_clock::now() - start < delay) std::this_thread::sleep_for(std::chrono::milliseconds(10));
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
        resp = Problem(405, "method " + req.method + " is not allowed on " + req.path + "; allowed: " + allow);
        resp.headers.emplace_back("Allow", allow);
      } else {
        resp = Problem(404, "no route for " + req.path);
      }
    } else if (req.body.size() > api_.max_body_bytes) {
      resp = Problem(413, "request body exceeds " + std::to_string(api_.max_body_bytes) + " bytes", "body");
    } else if (route->scope) {
      auto denied = Gate(req, *route->scope, services_.auth, rate_limiter_);
      const auto model = req.params.find("model");
      if (denied) {
        resp = std::move(*denied);
      } else if (model != req.params.end() && !service::IsValidName(model->second)) {
        // No model has such a name; PostgreSQL would also refuse a name that is not UTF-8 (a 500).
        resp = Problem(404, "model '" + model->second + "' does not exist");
      } else {
        resp = route->handler(req);
      }
    } else {
      resp = route->handler(req);
    }
  } catch (const std::exception& e) {
    spdlog::error("unhandled error: route=\"{} {}\" error=\"{}\"", req.method, route ? route->pattern : req.path,
                  e.what());
    resp = Problem(500, "internal error");
  } catch (...) {
    spdlog::error("unhandled non-standard exception: route=\"{} {}\"", req.method, route ? route->pattern : req.path);
    resp = Problem(500, "internal error");
  }
  const double ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  // Labelled by the route pattern, never the raw path, so unknown paths cannot grow the label set.
  if (services_.telemetry) {
    services_.telemetry->RecordRequest(route ? route->pattern : "unmatched", req.method, resp.status, ms / 1000);
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

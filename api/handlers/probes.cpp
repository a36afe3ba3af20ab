// GET /healthz, /readyz and /metrics: liveness, readiness and the Prometheus exposition.
#include <openssl/crypto.h>

#include "api/handlers/resources.h"

namespace driftgate::api {
namespace {

// Equal strings, in time that depends on their lengths only (OpenSSL's constant-time comparison).
bool SameSecret(std::string_view presented, std::string_view expected) {
  return presented.size() == expected.size() &&
         CRYPTO_memcmp(presented.data(), expected.data(), expected.size()) == 0;
}

}  // namespace

void AddProbeRoutes(const RouteContext& c, const ApiOptions& options,
                    const std::atomic<bool>& shutting_down) {
  auto& s = c.s;
  c.router.Add("GET", "/healthz", std::nullopt, [](Request&) { return Json(200, {{"status", "ok"}}); });
  c.router.Add("GET", "/readyz", std::nullopt, [&s, &shutting_down](Request&) {
    if (shutting_down.load()) return Problem(503, "shutting down");
    if (!s.history.DatabaseReady()) return Problem(503, "the database does not answer");
    return Json(200, {{"status", "ready"}});
  });
  // Prometheus text exposition (service/observability/telemetry.h lists the metrics).
  c.router.Add("GET", "/metrics", std::nullopt, [&s, token = options.metrics_token](Request& req) {
    if (!token.empty() && !SameSecret(req.authorization, "Bearer " + token)) {
      return Problem(401, "GET /metrics needs the metrics token (DRIFTGATE_METRICS_TOKEN) as a bearer token");
    }
    return Response{.status = 200,
                    .body = s.telemetry ? s.telemetry->Render() : std::string(),
                    .content_type = service::Telemetry::kContentType};
  });
}

}  // namespace driftgate::api

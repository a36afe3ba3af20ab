// GET /v1/models/{model}/sustainability and /v1/sustainability: the ledger of retrains run and avoided,
// their energy and carbon, for one model or the fleet.
#include "api/dto/ledger.h"
#include "api/handlers/resources.h"
#include "core/domain/time.h"

namespace driftgate::api {
namespace {

// `from` and `to` (RFC 3339, data time) of a ledger query.
Result<service::LedgerPeriod> ParseLedgerPeriod(const Request& req) {
  service::LedgerPeriod p;
  for (const char* key : {"from", "to"}) {
    if (auto v = req.Query(key)) {
      auto ts = domain::ParseRfc3339(*v);
      if (!ts) {
        return Error::Invalid(key,
                              std::string(key) + ": must be an RFC 3339 time, e.g. 2026-11-23T06:00:00Z");
      }
      // Bounded like every time (core/domain/time.h): a period of millennia would claim a baseline of
      // hundreds of thousands of scheduled retrains.
      if (auto why = domain::OutsideTimeDomain(*ts, domain::kMaxTimeUs + 1)) {
        return Error::Invalid(key, std::string(key) + ": " + *why);
      }
      (std::string(key) == "from" ? p.from_us : p.to_us) = *ts;
    }
  }
  if (p.from_us && p.to_us && *p.from_us >= *p.to_us) return Error::Invalid("to", "to: must be after from");
  return p;
}

}  // namespace

void AddSustainabilityRoutes(const RouteContext& c) {
  if (!c.s.sustainability) return;
  auto& ledger = *c.s.sustainability;
  c.router.Add("GET", "/v1/models/{model}/sustainability", service::Scope::kRead, {"from", "to"},
               [&ledger](Request& req) {
                 auto period = ParseLedgerPeriod(req);
                 if (!period.ok()) return Problem(period.error());
                 return Reply(ledger.Model(req.params["model"], *period), dto::ModelLedgerJson);
               });
  c.router.Add("GET", "/v1/sustainability", service::Scope::kRead, {"from", "to"}, [&ledger](Request& req) {
    auto period = ParseLedgerPeriod(req);
    if (!period.ok()) return Problem(period.error());
    return Reply(ledger.Fleet(*period), dto::FleetLedgerJson);
  });
}

}  // namespace driftgate::api

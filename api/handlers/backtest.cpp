// POST /v1/models/{model}/backtest: a policy replayed over the stored history (read-only: nothing is
// written or sent).
#include "api/dto/backtest.h"

#include "api/handlers/resources.h"

namespace driftgate::api {

void AddBacktestRoutes(const RouteContext& c) {
  if (!c.s.backtest) return;
  auto& backtest = *c.s.backtest;
  const auto& limits = c.limits;
  c.router.Add("POST", "/v1/models/{model}/backtest", service::Scope::kRead,
               [&backtest, limits](Request& req) {
                 auto doc = ParseObject(req.body, limits);
                 if (!doc.ok()) return Problem(doc.error());
                 auto request = dto::ParseBacktestRequest(*doc, req.params["model"]);
                 if (!request.ok()) return Problem(request.error());
                 return Reply(backtest.Run(req.params["model"], *request), dto::BacktestReportJson);
               });
}

}  // namespace driftgate::api

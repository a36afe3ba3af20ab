// POST /v1/models/{model}/suggest: thresholds suggested from a labelled baseline, with the backtest of the
// suggested config (service/reporting/suggest_service.h). Read scope: it writes nothing, and a read token
// restricted to the model may call it (the router binds `{model}`).
#include "api/dto/suggest.h"

#include <nlohmann/json.hpp>

#include "api/dto/json_body.h"
#include "api/dto/nul_check.h"
#include "api/handlers/resources.h"
#include "api/problem.h"

namespace driftgate::api {

void AddSuggestRoutes(const RouteContext& c) {
  if (!c.s.suggest) return;
  auto& suggest = *c.s.suggest;
  const auto& limits = c.limits;
  c.router.Add("POST", "/v1/models/{model}/suggest", service::Scope::kRead, [&suggest, limits](Request& req) {
    // Every member is optional, so an empty body asks for the defaults (the reference, default tolerance).
    auto doc = req.body.empty() ? Result<nlohmann::json>(nlohmann::json::object())
                                : dto::ParseJsonBody(req.body, limits.max_depth);
    if (!doc.ok()) return Problem(doc.error());
    if (!doc->is_object()) return Problem(400, "body: must be a JSON object", "body");
    if (auto e = dto::FindNulCharacter(*doc)) return Problem(*e);
    auto request = dto::ParseSuggestRequest(*doc);
    if (!request.ok()) return Problem(request.error());
    auto answer = suggest.Run(req.params["model"], *request);
    if (!answer.ok()) return Problem(answer.error());
    return Response{.status = 200,
                    .body = dto::SuggestReportJson(*answer).dump(-1, ' ', false,
                                                                 nlohmann::json::error_handler_t::replace)};
  });
}

}  // namespace driftgate::api

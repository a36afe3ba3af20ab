// PUT /v1/models/{model}/reference: the data-drift reference, records like predictions; it replaces the
// automatic reference.
#include "api/handlers/resources.h"

namespace driftgate::api {

void AddReferenceRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  c.router.Add("PUT", "/v1/models/{model}/reference", service::Scope::kAdmin, [&s, limits](Request& req) {
    auto records = dto::ParsePredictionBatch(req.body, limits);
    if (!records.ok()) return Problem(records.error());
    return Reply(s.drift.UploadReference(req.params["model"], std::move(records).value(), Actor(req)),
                 [](std::int64_t n) {
                   return nlohmann::json{{"reference", {{"source", "uploaded"}, {"size", n}}}};
                 });
  });
}

}  // namespace driftgate::api

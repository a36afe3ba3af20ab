// /v1/models and /v1/models/{model}: create, list, read, replace, merge-patch and delete a model.
#include "api/handlers/resources.h"
#include "service/models/webhook_config.h"

namespace driftgate::api {
namespace {

using nlohmann::json;

// Webhook and notify URLs may carry a credential in their path or query (Slack-style incoming webhooks):
// a caller without the admin scope sees scheme, host and port only.
json ModelForCaller(const domain::Model& m, bool admin) {
  json out = service::ModelToJson(m);
  if (!admin) service::RedactModelUrls(out);
  return out;
}

}  // namespace

void AddModelRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  c.router.Add("POST", "/v1/models", service::Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    return Reply(
        s.models.Create(*doc, Actor(req)),
        [](const domain::Model& m) {
          json out = service::ModelToJson(m);
          out["webhook"]["secret"] = m.config.webhook.secret;  // shown once, at creation
          return out;
        },
        201);
  });
  c.router.Add("GET", "/v1/models", service::Scope::kRead, [&s](Request& req) {
    const bool admin = IsAdmin(req);
    return Reply(s.models.List(), [admin](const std::vector<domain::Model>& models) {
      json items = json::array();
      for (const auto& m : models) items.push_back(ModelForCaller(m, admin));
      return json{{"models", std::move(items)}};
    });
  });
  c.router.Add("GET", "/v1/models/{model}", service::Scope::kRead, [&s](Request& req) {
    const bool admin = IsAdmin(req);
    return Reply(s.models.Get(req.params["model"]),
                 [admin](const domain::Model& m) { return ModelForCaller(m, admin); });
  });
  c.router.Add("PUT", "/v1/models/{model}", service::Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    const std::string name = req.params["model"];
    return Reply(s.models.Replace(name, *doc, Actor(req)), service::ModelToJson);
  });
  // JSON Merge Patch (RFC 7386) of the stored config: members given replace, null removes (back to the
  // default), objects merge; the result is validated and stored like a PUT.
  c.router.Add("PATCH", "/v1/models/{model}", service::Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    return Reply(s.models.Patch(req.params["model"], *doc, Actor(req)), service::ModelToJson);
  });
  c.router.Add("DELETE", "/v1/models/{model}", service::Scope::kAdmin, [&s](Request& req) {
    auto st = s.models.Delete(req.params["model"], Actor(req));
    if (!st.ok()) return Problem(st.error());
    if (s.telemetry) s.telemetry->ForgetModel(req.params["model"]);
    s.auth.ForgetCached();  // tokens restricted to this model stop working now, not when their cache expires
    return NoContent();
  });
}

}  // namespace driftgate::api

// /v1/models and /v1/models/{model}: create, list, read, replace, merge-patch and delete a model.
#include "api/handlers/resources.h"
#include "codec/model_config.h"
#include "codec/model_document.h"
#include "codec/webhook_config.h"

namespace driftgate::api {
namespace {

using nlohmann::json;

// Webhook and notify URLs may carry a credential in their path or query (Slack-style incoming webhooks):
// a caller without the admin scope sees scheme, host and port only.
json ModelForCaller(const domain::Model& m, bool admin) {
  json out = codec::ModelToJson(m);
  if (!admin) codec::RedactModelUrls(out);
  return out;
}

}  // namespace

void AddModelRoutes(const RouteContext& c) {
  auto& s = c.s;
  const auto& limits = c.limits;
  c.router.Add("POST", "/v1/models", service::Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    auto config = codec::ParseModelConfig(*doc);
    if (!config.ok()) return Problem(config.error());
    return Reply(
        s.models.Create(std::move(config).value(), Actor(req)),
        [](const domain::Model& m) {
          json out = codec::ModelToJson(m);
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
    auto config = codec::ParseModelConfig(*doc, &name);
    if (!config.ok()) return Problem(config.error());
    service::ModelReplacement replacement{.config = std::move(config).value(),
                                          .keep_headers = codec::KeepsStoredHeaders(*doc)};
    return Reply(s.models.Replace(name, std::move(replacement), Actor(req)), codec::ModelToJson);
  });
  // JSON Merge Patch (RFC 7386) of the stored config: members given replace, null removes (back to the
  // default), objects merge; the result is validated and stored like a PUT.
  c.router.Add("PATCH", "/v1/models/{model}", service::Scope::kAdmin, [&s, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    const std::string name = req.params["model"];
    const service::ModelPatch patch{
        .apply =
            [&](const domain::ModelConfig& current) { return codec::ApplyModelPatch(current, *doc, name); },
        .members = codec::PatchMembers(*doc)};
    return Reply(s.models.Patch(name, patch, Actor(req)), codec::ModelToJson);
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

// /v1/tokens and /v1/tokens/{id}: scoped API tokens (admin). The secret is shown once, at creation.
#include "api/dto/tokens.h"

#include "api/dto/access.h"
#include "api/handlers/resources.h"

namespace driftgate::api {

void AddTokenRoutes(const RouteContext& c) {
  if (!c.s.tokens) return;
  auto& tokens = *c.s.tokens;
  const auto& limits = c.limits;
  c.router.Add("POST", "/v1/tokens", service::Scope::kAdmin, [&tokens, limits](Request& req) {
    auto doc = ParseObject(req.body, limits);
    if (!doc.ok()) return Problem(doc.error());
    auto spec = dto::ParseTokenSpec(*doc);
    if (!spec.ok()) return Problem(spec.error());
    return Reply(tokens.Create(*spec, Actor(req)), dto::CreatedTokenJson, 201);
  });
  c.router.Add("GET", "/v1/tokens", service::Scope::kAdmin, [&tokens](Request&) {
    return Reply(tokens.List(), [](const std::vector<domain::TokenInfo>& list) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& t : list) items.push_back(dto::ToJson(t));
      return nlohmann::json{{"tokens", std::move(items)}};
    });
  });
  c.router.Add("DELETE", "/v1/tokens/{id}", service::Scope::kAdmin, [&tokens](Request& req) {
    auto st = tokens.Revoke(req.params["id"], Actor(req));
    if (!st.ok()) return Problem(st.error());
    return NoContent();
  });
}

}  // namespace driftgate::api

#include "api/handlers/route_context.h"

#include "api/dto/json_body.h"
#include "api/dto/nul_check.h"

namespace driftgate::api {

using nlohmann::json;

Response Json(int status, const json& body) {
  return Response{.status = status, .body = body.dump(-1, ' ', false, json::error_handler_t::replace)};
}

Response NoContent() { return Response{.status = 204, .body = "", .content_type = "application/json"}; }

Result<json> ParseObject(const std::string& body, const dto::Limits& limits) {
  auto parsed = dto::ParseJsonBody(body, limits.max_depth);
  if (!parsed.ok()) return parsed.error();
  json doc = std::move(parsed).value();
  if (!doc.is_object()) return Error::Invalid("body", "body: must be a JSON object");
  if (auto e = dto::FindNulCharacter(doc)) return *e;
  return doc;
}

std::string Actor(const Request& req) { return req.principal ? req.principal->id : "unknown"; }

bool IsAdmin(const Request& req) { return req.principal && req.principal->Grants(service::Scope::kAdmin); }

}  // namespace driftgate::api

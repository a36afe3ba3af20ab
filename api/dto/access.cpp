#include "api/dto/access.h"

#include "api/dto/history.h"
#include "core/domain/time.h"

namespace driftgate::api::dto {

using nlohmann::json;

json ToJson(const domain::TokenInfo& t) {
  return json{{"id", t.id},
              {"name", t.name},
              {"scopes", t.scopes},
              {"model", t.model ? json(*t.model) : json(nullptr)},
              {"created_at", domain::FormatRfc3339(t.created_at_us)}};
}

json CreatedTokenJson(const domain::CreatedToken& t) {
  json out = ToJson(t.info);
  out["token"] = t.value;
  return out;
}

json ToJson(const domain::AuditRow& a) {
  json detail = json::parse(a.detail_json, nullptr, false);
  if (detail.is_discarded()) detail = json::object();
  return json{{"id", a.id},         {"at", domain::FormatRfc3339(a.at_us)},
              {"actor", a.actor},   {"action", a.action},
              {"target", a.target}, {"detail", std::move(detail)}};
}

json AuditPageJson(const domain::Page<domain::AuditRow>& page, const CursorCodec& codec,
                   std::string_view listing) {
  json items = json::array();
  for (const auto& row : page.items) items.push_back(ToJson(row));
  json out{{"audit", std::move(items)}};
  out["next_cursor"] = NextCursor(page, codec, listing);
  return out;
}

}  // namespace driftgate::api::dto

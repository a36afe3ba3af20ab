// History rows → JSON, and the paging parameters (`from`, `to`, `limit`, `cursor`). Cursors are opaque
// URL-safe strings holding the last item's (data time, sequence), bound to the listing they page
// (api/dto/cursor.h).
#pragma once

#include <nlohmann/json.hpp>

#include "api/dto/cursor.h"
#include "api/http/http_types.h"
#include "core/domain/history.h"
#include "core/error.h"

namespace driftgate::api::dto {

// A parsed paged request and the listing its cursors are bound to.
struct PageRequest {
  domain::PageQuery query{};
  std::string listing{};
};

// `route` names the listing ("decisions", "metrics:estimated", "audit", ...); the model, `from` and `to`
// come from `req`. `from`/`to` must lie in the time domain (core/domain/time.h).
Result<PageRequest> ParsePageQuery(const Request& req, const CursorCodec& codec, std::string_view route);

nlohmann::json ToJson(const domain::DecisionRow& d);
nlohmann::json ToJson(const domain::MetricRow& m);
nlohmann::json ToJson(const domain::DriftRow& d);
nlohmann::json ToJson(const domain::RetrainRow& r);

// The page's `next_cursor`: a string, or null on the last page.
template <class Row>
nlohmann::json NextCursor(const domain::Page<Row>& page, const CursorCodec& codec, std::string_view listing) {
  if (!page.next_seq || !page.next_at_us) return nullptr;
  return codec.Encode(listing, {.at_us = *page.next_at_us, .seq = *page.next_seq});
}

// `{"<key>": [...], "next_cursor": "..."|null}`
template <class Row>
nlohmann::json PageJson(const char* key, const domain::Page<Row>& page, const CursorCodec& codec,
                        std::string_view listing) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& row : page.items) items.push_back(ToJson(row));
  nlohmann::json out{{key, std::move(items)}};
  out["next_cursor"] = NextCursor(page, codec, listing);
  return out;
}

}  // namespace driftgate::api::dto

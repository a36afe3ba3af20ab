// History rows → JSON, and the paging parameters (`from`, `to`, `limit`, `cursor`). Cursors are opaque
// URL-safe strings encoding the last item's (data time, sequence).
#pragma once

#include <nlohmann/json.hpp>

#include "api/http_types.h"
#include "core/domain/history.h"
#include "core/error.h"

namespace driftgate::api::dto {

Result<domain::PageQuery> ParsePageQuery(const Request& req);

nlohmann::json ToJson(const domain::DecisionRow& d);
nlohmann::json ToJson(const domain::MetricRow& m);
nlohmann::json ToJson(const domain::DriftRow& d);
nlohmann::json ToJson(const domain::RetrainRow& r);

// `{"<key>": [...], "next_cursor": "..."|null}`
template <class Row>
nlohmann::json PageJson(const char* key, const domain::Page<Row>& page);

std::string EncodeCursor(std::int64_t at_us, std::int64_t seq);

template <class Row>
nlohmann::json PageJson(const char* key, const domain::Page<Row>& page) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& row : page.items) items.push_back(ToJson(row));
  nlohmann::json out{{key, std::move(items)}};
  out["next_cursor"] = page.next_seq ? nlohmann::json(EncodeCursor(*page.next_at_us, *page.next_seq))
                                     : nlohmann::json(nullptr);
  return out;
}

}  // namespace driftgate::api::dto

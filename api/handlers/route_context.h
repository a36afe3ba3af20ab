// What every resource's handlers (api/handlers/<resource>.cpp) share: the context they register with and
// the small steps of a thin handler — parse the body, call one service, render the result or its problem.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "api/dto/cursor.h"
#include "api/dto/history.h"
#include "api/dto/records.h"
#include "api/problem.h"
#include "api/router.h"
#include "api/routes.h"
#include "core/error.h"

namespace driftgate::api {

struct RouteContext {
  Router& router;
  Services& s;
  dto::Limits limits;
  // Shared by the paged routes' handlers, which the router keeps for the server's lifetime.
  std::shared_ptr<const dto::CursorCodec> cursors;
  std::vector<std::string> paging;  // the query keys of a paged route
};

// A JSON answer; invalid UTF-8 in stored text is replaced rather than failing the whole answer.
Response Json(int status, const nlohmann::json& body);

// 204 No Content.
Response NoContent();

// The problem of a failed result, or `to_json` of its value.
template <class T, class F>
Response Reply(const Result<T>& r, F&& to_json, int status = 200) {
  if (!r.ok()) return Problem(r.error());
  return Json(status, std::forward<F>(to_json)(*r));
}

// A request body that must be a JSON object within the depth limit, without U+0000 (PostgreSQL cannot
// store it).
Result<nlohmann::json> ParseObject(const std::string& body, const dto::Limits& limits);

// The audit actor of an authenticated request: a token id, or "admin-env".
std::string Actor(const Request& req);

bool IsAdmin(const Request& req);

// GET `path`: one page of `fetch(model, query)`, listed under `key` with the next page's cursor.
template <class Fetch>
void AddPagedRoute(const RouteContext& c, const char* path, const char* key, Fetch fetch) {
  c.router.Add("GET", path, service::Scope::kRead, c.paging, [key, fetch, cursors = c.cursors](Request& req) {
    auto q = dto::ParsePageQuery(req, *cursors, key);
    if (!q.ok()) return Problem(q.error());
    return Reply(fetch(req.params["model"], q->query),
                 [&](const auto& page) { return dto::PageJson(key, page, *cursors, q->listing); });
  });
}

}  // namespace driftgate::api

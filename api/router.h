// Path routing with `{param}` segments. Knows every route, so it can tell a wrong method on a known path
// (405, with Allow) from an unknown path (404).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "api/http/http_types.h"
#include "service/access/auth.h"

namespace driftgate::api {

using Handler = std::function<Response(Request&)>;

struct Route {
  std::string method{};
  std::string pattern{};                  // e.g. /v1/models/{model}
  std::optional<service::Scope> scope{};  // nullopt: no token needed
  Handler handler;
  std::vector<std::string> segments{};  // filled by Add()
  std::vector<std::string> query{};     // the query parameters it takes; any other one: 400
};

class Router {
 public:
  // A route that takes no query parameters, or only those in `query`: a request with another one is
  // answered 400 naming it (after the token checks), before the handler runs.
  void Add(std::string method, std::string pattern, std::optional<service::Scope> scope, Handler handler);
  void Add(std::string method, std::string pattern, std::optional<service::Scope> scope,
           std::vector<std::string> query, Handler handler);

  struct Match {
    const Route* route = nullptr;                // null: 404 or 405
    std::vector<std::string> allowed_methods{};  // non-empty: the path exists with these methods
  };
  // Fills `req.params` on a match.
  Match Find(Request& req) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_{};
};

}  // namespace driftgate::api

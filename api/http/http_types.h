// Framework-free request/response values: handlers see these, never Pistache types, so each handler is
// a plain function that the tests can reason about.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "service/access/auth.h"

namespace driftgate::api {

struct Request {
  std::string method{};  // GET, POST, ...
  std::string path{};    // without the query
  std::map<std::string, std::string> query{};
  std::string repeated_query{};  // the first query key given more than once; refused by every route
  std::map<std::string, std::string> params{};  // path parameters, e.g. {model}
  std::string body{};
  std::string authorization{};  // the raw Authorization header, empty when absent
  std::string client{};         // the peer's address (failed-authentication limits); empty in unit tests
  // Who is calling, set by the server after authentication on routes that need a token.
  std::optional<service::Principal> principal{};

  std::optional<std::string> Query(const std::string& key) const {
    auto it = query.find(key);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
};

struct Response {
  int status = 200;
  std::string body{};
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers{};
};

}  // namespace driftgate::api

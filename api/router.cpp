#include "api/router.h"

#include <algorithm>
#include <cstdint>
#include <string_view>

#include "api/problem.h"

namespace driftgate::api {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  if (path.empty() || path[0] != '/') return out;
  while (start <= path.size()) {
    const auto end = path.find('/', start);
    out.push_back(path.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

// A path parameter reaches SQL as text: PostgreSQL refuses bytes that are not UTF-8 and NUL (a 500), so
// such a segment matches no route (404). Overlong forms and surrogates count as invalid, as in RFC 3629.
bool IsUtf8Text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == 0) return false;
    const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    std::uint32_t cp = n == 1 ? c : c & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n;
  }
  return true;
}

bool MatchSegments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                   std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (path[i].empty() || !IsUtf8Text(path[i])) return false;
      if (params) (*params)[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  return true;
}

// The query of a request against the parameters its route takes (`takes`); a problem answer, or nullopt.
//   - a parameter given twice (`limit=1&limit=500`): serving either value would be a guess;
//   - a key or value that is not UTF-8 text once percent-decoded (`segment=%FF`): PostgreSQL refuses such
//     text (a 500 otherwise), and no parameter means anything by it;
//   - a parameter the route does not take (`limt=2`, `dry_run=true`): it would otherwise be ignored and the
//     request served as if it were absent.
std::optional<Response> CheckQuery(const Request& req, const std::vector<std::string>& takes) {
  if (!req.repeated_query.empty()) {
    const std::string key = MemberPath("", req.repeated_query);
    return Problem(400, key + ": query parameter given more than once", key);
  }
  for (const auto& [key, value] : req.query) {
    if (IsUtf8Text(key) && IsUtf8Text(value)) continue;
    const std::string name = MemberPath("", key);
    return Problem(400, name + ": a query parameter must be UTF-8 text without NUL once percent-decoded",
                   name);
  }
  for (const auto& [key, value] : req.query) {
    if (std::find(takes.begin(), takes.end(), key) != takes.end()) continue;
    std::string list;
    for (const auto& q : takes) list += (list.empty() ? "" : ", ") + q;
    const std::string name = MemberPath("", key);
    return Problem(400,
                   name + ": unknown query parameter (" +
                       (list.empty() ? std::string("this route takes none") : "this route takes " + list) +
                       ")",
                   name);
  }
  return std::nullopt;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, std::optional<service::Scope> scope,
                 Handler handler) {
  Add(std::move(method), std::move(pattern), scope, {}, std::move(handler));
}

void Router::Add(std::string method, std::string pattern, std::optional<service::Scope> scope,
                 std::vector<std::string> query, Handler handler) {
  Handler checked = [query, handler = std::move(handler)](Request& req) {
    if (auto refused = CheckQuery(req, query)) return std::move(*refused);
    return handler(req);
  };
  Route r{.method = std::move(method),
          .pattern = std::move(pattern),
          .scope = scope,
          .handler = std::move(checked),
          .query = std::move(query)};
  r.segments = Split(r.pattern);
  routes_.push_back(std::move(r));
}

Router::Match Router::Find(Request& req) const {
  Match m;
  const auto segments = Split(req.path);
  for (const auto& r : routes_) {
    if (!MatchSegments(r.segments, segments, nullptr)) continue;
    if (r.method == req.method || (req.method == "HEAD" && r.method == "GET")) {
      MatchSegments(r.segments, segments, &req.params);
      m.route = &r;
      return m;
    }
    m.allowed_methods.push_back(r.method);
    if (r.method == "GET") m.allowed_methods.push_back("HEAD");
  }
  return m;
}

}  // namespace driftgate::api

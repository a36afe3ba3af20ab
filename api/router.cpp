#include "api/router.h"

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

bool MatchSegments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                   std::map<std::string, std::string>* params) {
  if (pattern.size() != path.size()) return false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const auto& p = pattern[i];
    if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
      if (path[i].empty()) return false;
      if (params) (*params)[p.substr(1, p.size() - 2)] = path[i];
    } else if (p != path[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, std::optional<service::Scope> scope, Handler handler) {
  Route r{.method = std::move(method), .pattern = std::move(pattern), .scope = scope, .handler = std::move(handler)};
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

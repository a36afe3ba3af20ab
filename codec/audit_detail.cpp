#include "codec/audit_detail.h"

#include <nlohmann/json.hpp>

namespace driftgate::codec {
namespace {

using nlohmann::json;

struct ToJson {
  json operator()(std::nullptr_t) const { return nullptr; }
  json operator()(std::int64_t n) const { return n; }
  json operator()(const std::string& s) const { return s; }
  json operator()(const std::vector<std::string>& v) const { return v; }
};

}  // namespace

std::string EncodeAuditDetail(const domain::AuditDetail& detail) {
  json out = json::object();
  for (const auto& m : detail) out[m.key] = std::visit(ToJson{}, m.value.value());
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace driftgate::codec

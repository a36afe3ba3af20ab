#include "api/dto/nul_check.h"

#include <string>

namespace driftgate::api::dto {
namespace {

bool HasNul(const std::string& s) { return s.find('\0') != std::string::npos; }

std::optional<Error> Find(const nlohmann::json& v, const std::string& path) {
  auto bad = [](const std::string& field) {
    return Error::Invalid(field, field + ": must not contain the NUL character (\\u0000)");
  };
  if (v.is_string()) {
    if (HasNul(v.get_ref<const std::string&>())) return bad(path.empty() ? "body" : path);
  } else if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string field = path.empty() ? it.key() : path + "." + it.key();
      if (HasNul(it.key())) return bad(field);
      if (auto e = Find(it.value(), field)) return e;
    }
  } else if (v.is_array()) {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (auto e = Find(v[i], path + "[" + std::to_string(i) + "]")) return e;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<Error> FindNulCharacter(const nlohmann::json& doc) { return Find(doc, ""); }

}  // namespace driftgate::api::dto

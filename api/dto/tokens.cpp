#include "api/dto/tokens.h"

#include <algorithm>

#include "codec/json_read.h"
#include "codec/model_config.h"
#include "service/access/auth.h"

namespace driftgate::api::dto {
namespace {

using nlohmann::json;

using codec::Invalid;

bool HasControlCharacter(const std::string& s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

Result<service::TokenSpec> ParseTokenSpec(const json& doc) {
  if (auto e = codec::UnknownFields(doc, {"name", "scopes", "model"}, "")) return *e;
  service::TokenSpec spec;
  if (!doc.contains("name") || !doc["name"].is_string()) return Invalid("name", "is required (a string)");
  spec.name = doc["name"].get<std::string>();
  if (spec.name.empty() || spec.name.size() > 128) return Invalid("name", "must have 1 to 128 characters");
  if (HasControlCharacter(spec.name)) return Invalid("name", "must not contain control characters");
  if (!doc.contains("scopes") || !doc["scopes"].is_array() || doc["scopes"].empty()) {
    return Invalid("scopes", "is required: a non-empty array of \"ingest\", \"read\", \"admin\"");
  }
  for (std::size_t i = 0; i < doc["scopes"].size(); ++i) {
    const json& s = doc["scopes"][i];
    const std::string field = "scopes[" + std::to_string(i) + "]";
    if (!s.is_string() || !service::ParseScope(s.get_ref<const std::string&>())) {
      return Invalid(field, "must be \"ingest\", \"read\" or \"admin\"");
    }
    spec.scopes.push_back(s.get<std::string>());
  }
  std::sort(spec.scopes.begin(), spec.scopes.end());
  spec.scopes.erase(std::unique(spec.scopes.begin(), spec.scopes.end()), spec.scopes.end());
  if (doc.contains("model") && !doc["model"].is_null()) {
    if (!doc["model"].is_string() || !codec::IsValidName(doc["model"].get_ref<const std::string&>())) {
      return Invalid("model", "must be a model name (^[a-z0-9][a-z0-9._-]{0,63}$) or null");
    }
    spec.model = doc["model"].get<std::string>();
  }
  return spec;
}

}  // namespace driftgate::api::dto

#include "codec/model_document.h"

#include "codec/model_config.h"
#include "codec/notify_config.h"
#include "core/domain/time.h"

namespace driftgate::codec {

using nlohmann::json;

json ModelToJson(const domain::Model& model) {
  json out = ModelConfigToJson(model.config);
  RedactNotify(out);
  out["generation"] = model.generation;
  out["created_at"] = domain::FormatRfc3339(model.created_at_us);
  out["updated_at"] = domain::FormatRfc3339(model.updated_at_us);
  return out;
}

Result<domain::ModelConfig> ParseStoredModelConfig(const std::string& config_json) {
  json doc = json::parse(config_json);
  doc["webhook"].erase("secret_set");
  return ParseModelConfig(doc);
}

Result<domain::ModelConfig> ApplyModelPatch(const domain::ModelConfig& current, const json& patch,
                                            const std::string& name) {
  json doc = ModelConfigToJson(current);
  doc["webhook"].erase("secret_set");
  doc.merge_patch(patch);
  return ParseModelConfig(doc, &name);
}

std::vector<std::string> PatchMembers(const json& patch) {
  std::vector<std::string> members;
  for (auto it = patch.begin(); it != patch.end(); ++it) members.push_back(it.key());
  return members;
}

bool KeepsStoredHeaders(const json& doc) {
  return doc.is_object() && doc.contains("webhook") && !doc["webhook"].contains("headers");
}

}  // namespace driftgate::codec

#include "codec/multivariate_config.h"

#include "codec/json_read.h"

namespace driftgate::codec {

std::optional<Error> ParseMultivariateConfig(const nlohmann::json& drift, domain::MultivariateSpec& spec) {
  if (!drift.contains("multivariate")) return std::nullopt;
  const nlohmann::json& m = drift["multivariate"];
  if (!m.is_object()) return Invalid("drift.multivariate", "must be an object");
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (it.key() != "enabled" && it.key() != "variance" && it.key() != "chunks") {
      return Invalid("drift.multivariate." + it.key(), "unknown field");
    }
  }
  if (m.contains("enabled")) {
    if (!m["enabled"].is_boolean()) return Invalid("drift.multivariate.enabled", "must be true or false");
    spec.enabled = m["enabled"].get<bool>();
  }
  if (m.contains("variance")) {
    const auto& v = m["variance"];
    if (!v.is_number() || !(v.get<double>() > 0.0 && v.get<double>() < 1.0)) {
      return Invalid("drift.multivariate.variance", "must be a number in (0, 1)");
    }
    spec.variance = v.get<double>();
  }
  if (m.contains("chunks")) {
    const auto& v = m["chunks"];
    if (!v.is_number_integer() || v.get<long long>() < 2 || v.get<long long>() > 1000) {
      return Invalid("drift.multivariate.chunks", "must be an integer between 2 and 1000");
    }
    spec.chunks = static_cast<std::size_t>(v.get<long long>());
  }
  return std::nullopt;
}

nlohmann::json MultivariateSpecToJson(const domain::MultivariateSpec& spec) {
  return {{"enabled", spec.enabled}, {"variance", spec.variance}, {"chunks", spec.chunks}};
}

}  // namespace driftgate::codec

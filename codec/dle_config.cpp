#include "codec/dle_config.h"

#include <cmath>
#include <cstdio>

#include "codec/json_read.h"

namespace driftgate::codec {
namespace {

using nlohmann::json;

// An integer in [lo, hi] at dle.`key`, when present.
std::optional<Error> ReadDleInt(const json& d, const char* key, int lo, int hi, int& out) {
  long long v = out;
  if (auto e = ReadInt(d, key, std::string("dle.") + key, lo, hi, v)) return e;
  out = static_cast<int>(v);
  return std::nullopt;
}

// A finite number in (lo, hi] at dle.`key`, when present (ReadNumber's range is closed).
std::optional<Error> ReadDleNumber(const json& d, const char* key, double lo, double hi, double& out) {
  if (!d.contains(key)) return std::nullopt;
  const json& v = d[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || !(v.get<double>() > lo) || v.get<double>() > hi) {
    char range[96];
    std::snprintf(range, sizeof range, "must be a number above %g and at most %g", lo, hi);
    return Invalid(std::string("dle.") + key, range);
  }
  out = v.get<double>();
  return std::nullopt;
}

}  // namespace

std::optional<Error> ParseDleConfig(const json& doc, domain::ModelConfig& config) {
  if (!doc.contains("dle") || doc["dle"].is_null()) return std::nullopt;
  const json& d = doc["dle"];
  if (config.task != kpi::Task::kRegression) return Invalid("dle", "is only for regression models");
  if (!d.is_object()) return Invalid("dle", "must be an object");
  for (auto it = d.begin(); it != d.end(); ++it) {
    const std::string& k = it.key();
    if (k != "rounds" && k != "max_depth" && k != "eta" && k != "min_child_weight" && k != "holdout_every") {
      return Invalid("dle." + k, "unknown field (rounds, max_depth, eta, min_child_weight, holdout_every)");
    }
  }
  domain::DleSpec& s = config.dle;
  if (auto e = ReadDleInt(d, "rounds", 1, 1000, s.rounds)) return e;
  if (auto e = ReadDleInt(d, "max_depth", 1, 10, s.max_depth)) return e;
  if (auto e = ReadDleNumber(d, "eta", 0, 1, s.eta)) return e;
  if (auto e = ReadDleNumber(d, "min_child_weight", 0, 1e6, s.min_child_weight)) return e;
  if (auto e = ReadDleInt(d, "holdout_every", 2, 20, s.holdout_every)) return e;
  return std::nullopt;
}

namespace {

json SpecJson(const domain::DleSpec& s) {
  return {{"rounds", s.rounds},
          {"max_depth", s.max_depth},
          {"eta", s.eta},
          {"min_child_weight", s.min_child_weight},
          {"holdout_every", s.holdout_every}};
}

}  // namespace

json DleConfigToJson(const domain::ModelConfig& config) {
  if (config.task != kpi::Task::kRegression) return nullptr;
  return SpecJson(config.dle);
}

std::string DleParamsText(const domain::DleSpec& spec) { return SpecJson(spec).dump(); }

}  // namespace driftgate::codec

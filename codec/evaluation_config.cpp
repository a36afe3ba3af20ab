#include "codec/evaluation_config.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "codec/json_read.h"
#include "codec/model_config.h"
#include "core/domain/classes.h"

namespace driftgate::codec {
namespace {

using nlohmann::json;

// `classes`: binary, exactly two ([negative, positive]); multiclass, 2 to 1000; each a number or a
// printable string, canonical and distinct.
Result<std::vector<std::string>> ParseClasses(const json& v, kpi::Task task) {
  if (task == kpi::Task::kRegression) return Invalid("classes", "is only for classification models");
  if (!v.is_array()) return Invalid("classes", "must be an array of classes");
  const bool binary = task == kpi::Task::kBinary;
  if (binary ? v.size() != 2 : (v.size() < 2 || v.size() > 1000)) {
    return Invalid("classes", binary ? "a binary model declares exactly two classes: [negative, positive]"
                                     : "a multiclass model declares 2 to 1000 classes");
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string at = "classes[" + std::to_string(i) + "]";
    const json& c = v[i];
    std::string cls;
    if (c.is_number() && std::isfinite(c.get<double>()) && std::fabs(c.get<double>()) <= 1e15) {
      cls = domain::CanonicalClass(c.get<double>());
    } else if (c.is_string() && !c.get_ref<const std::string&>().empty() &&
               c.get_ref<const std::string&>().size() <= 1024) {
      const auto& text = c.get_ref<const std::string&>();
      for (char ch : text) {
        if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) return Invalid(at, "must be printable");
      }
      cls = domain::CanonicalClassText(text);
    } else {
      return Invalid(at, "must be a number or a string of 1 to 1024 characters");
    }
    for (const auto& earlier : out) {
      if (earlier == cls)
        return Invalid(at, "names class \"" + cls + "\" a second time (classes are canonical)");
    }
    out.push_back(std::move(cls));
  }
  return out;
}

Result<domain::KpiSpec> ParseKpi(const json& k, const std::string& at, kpi::Task task) {
  if (!k.is_object()) return Invalid(at, "must be an object");
  if (auto e = UnknownFields(k, {"metric", "min", "max"}, at)) return *e;
  if (!k.contains("metric") || !k["metric"].is_string())
    return Invalid(at + ".metric", "is required (a string)");
  const auto metric = kpi::ParseMetric(k["metric"].get<std::string>());
  if (!metric) return Invalid(at + ".metric", "unknown metric '" + k["metric"].get<std::string>() + "'");
  if (!kpi::MetricAppliesTo(*metric, task)) {
    return Invalid(at + ".metric", std::string(kpi::MetricName(*metric)) + " does not apply to " +
                                       std::string(kpi::TaskName(task)));
  }
  domain::KpiSpec spec{.metric = *metric};
  for (const char* bound : {"min", "max"}) {
    if (!k.contains(bound)) continue;
    if (!k[bound].is_number() || !std::isfinite(k[bound].get<double>())) {
      return Invalid(at + "." + bound, "must be a finite number");
    }
    (std::string(bound) == "min" ? spec.min : spec.max) = k[bound].get<double>();
  }
  if (spec.min.has_value() == spec.max.has_value()) return Invalid(at, "needs exactly one of min or max");
  return spec;
}

Result<detect::Spec> ParseDetector(const json& d, const std::string& at) {
  if (!d.is_object()) return Invalid(at, "must be an object");
  if (!d.contains("type") || !d["type"].is_string()) return Invalid(at + ".type", "is required (a string)");
  detect::Spec spec{.type = d["type"].get<std::string>()};
  for (auto it = d.begin(); it != d.end(); ++it) {
    if (it.key() == "type") continue;
    const json& v = it.value();
    if (v.is_boolean()) {
      spec.params[it.key()] = v.get<bool>();
    } else if (v.is_number()) {
      spec.params[it.key()] = v.get<double>();
    } else if (v.is_string()) {
      spec.params[it.key()] = v.get<std::string>();
    } else {
      return Invalid(at + "." + it.key(), "must be a number, boolean or string");
    }
  }
  auto made = detect::Make(spec);
  if (!made.ok()) {
    const std::string field = made.error().field.empty() ? at : at + "." + made.error().field;
    return Error::Invalid(field, at + ": " + made.error().message);
  }
  return spec;
}

}  // namespace

std::optional<Error> ParseTaskAndClasses(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("task")) return Invalid("task", "is required");
  if (!doc["task"].is_string()) return Invalid("task", "must be a string");
  const auto task = kpi::ParseTask(doc["task"].get<std::string>());
  if (!task) return Invalid("task", "must be binary_classification, multiclass_classification or regression");
  c.task = *task;
  if (doc.contains("classes") && !doc["classes"].is_null()) {
    auto classes = ParseClasses(doc["classes"], c.task);
    if (!classes.ok()) return classes.error();
    c.classes = std::move(classes).value();
  }
  return std::nullopt;
}

std::optional<Error> ParseKpis(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("kpis")) return Invalid("kpis", "is required");
  const json& kpis = doc["kpis"];
  if (!kpis.is_array() || kpis.empty()) return Invalid("kpis", "must be a non-empty array");
  if (kpis.size() > 32) return Invalid("kpis", "at most 32 KPIs");
  for (std::size_t i = 0; i < kpis.size(); ++i) {
    const std::string at = "kpis[" + std::to_string(i) + "]";
    auto spec = ParseKpi(kpis[i], at, c.task);
    if (!spec.ok()) return spec.error();
    for (const auto& earlier : c.kpis) {
      if (earlier.metric == spec->metric) return Invalid(at + ".metric", "duplicate KPI metric");
    }
    c.kpis.push_back(*spec);
  }
  return std::nullopt;
}

std::optional<Error> ParseEvaluation(const json& doc, domain::ModelConfig& c) {
  if (doc.contains("evaluation")) {
    const json& ev = doc["evaluation"];
    if (!ev.is_object()) return Invalid("evaluation", "must be an object");
    if (auto e = UnknownFields(ev, {"window", "min_samples", "confidence"}, "evaluation")) return *e;
    if (auto e = ReadSize(ev, "window", "evaluation.window", 1, 100000, c.evaluation.window)) return *e;
    if (auto e = ReadSize(ev, "min_samples", "evaluation.min_samples", 1, 100000, c.evaluation.min_samples))
      return *e;
    if (ev.contains("confidence")) {
      if (!ev["confidence"].is_number()) return Invalid("evaluation.confidence", "must be a number");
      const double conf = ev["confidence"].get<double>();
      if (!(conf >= 0.5 && conf < 1.0)) return Invalid("evaluation.confidence", "must be in [0.5, 1)");
      c.evaluation.confidence = conf;
    }
  }
  const bool min_samples_given = doc.contains("evaluation") && doc["evaluation"].contains("min_samples");
  if (!min_samples_given) c.evaluation.min_samples = std::min(c.evaluation.min_samples, c.evaluation.window);
  if (c.evaluation.min_samples > c.evaluation.window) {
    return Invalid("evaluation.min_samples", "must not exceed evaluation.window");
  }
  return std::nullopt;
}

std::optional<Error> ParseDetectors(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("detectors")) return std::nullopt;
  const json& ds = doc["detectors"];
  if (!ds.is_array()) return Invalid("detectors", "must be an array");
  if (ds.size() > 16) return Invalid("detectors", "at most 16 detectors");
  for (std::size_t i = 0; i < ds.size(); ++i) {
    auto spec = ParseDetector(ds[i], "detectors[" + std::to_string(i) + "]");
    if (!spec.ok()) return spec.error();
    c.detectors.push_back(std::move(spec).value());
  }
  return std::nullopt;
}

std::optional<Error> ParsePolicy(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("policy")) return std::nullopt;
  const json& p = doc["policy"];
  if (!p.is_object()) return Invalid("policy", "must be an object");
  if (auto e = UnknownFields(
          p, {"cooldown_seconds", "max_retrains_per_day", "deferral_hours", "grid_region", "allow_estimated"},
          "policy")) {
    return *e;
  }
  if (p.contains("allow_estimated")) {
    if (!p["allow_estimated"].is_boolean()) return Invalid("policy.allow_estimated", "must be true or false");
    c.policy.allow_estimated = p["allow_estimated"].get<bool>();
  }
  long long v = c.policy.cooldown_seconds;
  if (auto e = ReadInt(p, "cooldown_seconds", "policy.cooldown_seconds", 0, 365LL * 86400, v)) return *e;
  c.policy.cooldown_seconds = v;
  v = c.policy.max_retrains_per_day;
  if (auto e = ReadInt(p, "max_retrains_per_day", "policy.max_retrains_per_day", 0, 1000, v)) return *e;
  c.policy.max_retrains_per_day = static_cast<int>(v);
  std::optional<double> deferral;
  if (auto e = ReadNumber(p, "deferral_hours", "policy.deferral_hours", 0, 168, deferral)) return *e;
  c.policy.deferral_hours = deferral.value_or(0.0);
  if (p.contains("grid_region")) {
    if (!p["grid_region"].is_string() || !IsValidName(p["grid_region"].get<std::string>())) {
      return Invalid("policy.grid_region", "must be a region name like \"default\" or \"de\"");
    }
    c.policy.grid_region = p["grid_region"].get<std::string>();
  }
  return std::nullopt;
}

std::optional<Error> ParseErrorMetric(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("error_metric")) return std::nullopt;
  if (!doc["error_metric"].is_string()) return Invalid("error_metric", "must be a string");
  const auto em = doc["error_metric"].get<std::string>();
  if (em == "absolute") {
    c.error_metric = domain::ErrorMetric::kAbsolute;
  } else if (em == "squared") {
    c.error_metric = domain::ErrorMetric::kSquared;
  } else {
    return Invalid("error_metric", "must be absolute or squared");
  }
  return std::nullopt;
}

}  // namespace driftgate::codec

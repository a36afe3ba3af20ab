#include "codec/model_config.h"

#include "codec/dle_config.h"
#include "codec/evaluation_config.h"
#include "codec/json_read.h"
#include "codec/multivariate_config.h"
#include "codec/notify_config.h"
#include "codec/segments_config.h"
#include "codec/stream_config.h"
#include "codec/webhook_config.h"

namespace driftgate::codec {

using nlohmann::json;

bool IsValidName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  auto lower_digit = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
  if (!lower_digit(name[0])) return false;
  for (char c : name.substr(1)) {
    if (!lower_digit(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

bool IsValidWebhookUrl(std::string_view url) {
  std::string_view rest;
  if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else {
    return false;
  }
  const auto end = rest.find_first_of("/?#");
  const std::string_view authority = rest.substr(0, end);
  if (authority.empty() || authority.find('@') != std::string_view::npos) return false;
  if (url.size() > 2048) return false;
  for (char c : url) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

namespace {

// Each member of the model document has a parser of its own (here, codec/evaluation_config.h,
// codec/stream_config.h and one unit per larger member); a parser fills its part of `c` and returns the
// first problem, naming the field.

std::optional<Error> ParseName(const json& doc, const std::string* name_from_path, domain::ModelConfig& c) {
  if (doc.contains("name")) {
    if (!doc["name"].is_string()) return Invalid("name", "must be a string");
    c.name = doc["name"].get<std::string>();
    if (name_from_path && c.name != *name_from_path)
      return Invalid("name", "does not match the model in the path");
  } else if (name_from_path) {
    c.name = *name_from_path;
  } else {
    return Invalid("name", "is required");
  }
  if (!IsValidName(c.name)) return Invalid("name", "must match ^[a-z0-9][a-z0-9._-]{0,63}$");
  return std::nullopt;
}

std::optional<Error> ParseWebhook(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("webhook")) return Invalid("webhook", "is required");
  auto webhook_spec = ParseWebhookSpec(doc["webhook"]);
  if (!webhook_spec.ok()) return webhook_spec.error();
  c.webhook = std::move(webhook_spec).value();
  return std::nullopt;
}

}  // namespace

Result<domain::ModelConfig> ParseModelConfig(const json& doc, const std::string* name_from_path) {
  if (!doc.is_object()) return Invalid("body", "must be a JSON object");
  if (auto e = UnknownFields(doc,
                             {"name", "task", "kpis", "evaluation", "detectors", "policy", "webhook",
                              "error_metric", "retrain_cost", "baseline_schedule_days", "reference", "drift",
                              "retention", "data_quality", "classes", "notify", "segments", "dle"},
                             "")) {
    return *e;
  }
  domain::ModelConfig c;
  if (auto e = ParseName(doc, name_from_path, c)) return *e;
  // In a fixed order, so that a document always reports the same first problem.
  for (auto* parse :
       {ParseTaskAndClasses, ParseKpis, ParseEvaluation, ParseDetectors, ParsePolicy, ParseWebhook,
        ParseReference, ParseDrift, ParseDataQuality, ParseLedgerAndLifecycle, ParseErrorMetric}) {
    if (auto e = parse(doc, c)) return *e;
  }
  if (auto e = ParseNotifyConfig(doc, c)) return *e;
  if (auto e = ParseSegmentsConfig(doc, c)) return *e;
  if (auto e = ParseDleConfig(doc, c)) return *e;
  return c;
}

json ModelConfigToJson(const domain::ModelConfig& c) {
  json kpis = json::array();
  for (const auto& k : c.kpis) {
    json o{{"metric", kpi::MetricName(k.metric)}};
    if (k.min) o["min"] = *k.min;
    if (k.max) o["max"] = *k.max;
    kpis.push_back(std::move(o));
  }
  json detectors = json::array();
  for (const auto& d : c.detectors) {
    json o{{"type", d.type}};
    for (const auto& param : d.params) {
      std::visit([&](const auto& x) { o[param.first] = x; }, param.second);
    }
    detectors.push_back(std::move(o));
  }
  json out{{"name", c.name},
           {"task", kpi::TaskName(c.task)},
           {"kpis", std::move(kpis)},
           {"evaluation",
            {{"window", c.evaluation.window},
             {"min_samples", c.evaluation.min_samples},
             {"confidence", c.evaluation.confidence}}},
           {"detectors", std::move(detectors)},
           {"policy",
            {{"cooldown_seconds", c.policy.cooldown_seconds},
             {"max_retrains_per_day", c.policy.max_retrains_per_day},
             {"deferral_hours", c.policy.deferral_hours},
             {"grid_region", c.policy.grid_region},
             {"allow_estimated", c.policy.allow_estimated}}},
           {"webhook", WebhookSpecToJson(c.webhook)}};
  if (!c.classes.empty()) out["classes"] = c.classes;
  out["reference"] = {{"size", c.drift.reference_size}};
  out["drift"] = {
      {"window", c.drift.window},         {"every", c.drift.every},
      {"share", c.drift.share},           {"tests", c.drift.tests},
      {"thresholds", c.drift.thresholds}, {"multivariate", MultivariateSpecToJson(c.drift.multivariate)}};
  if (c.retrain_cost) {
    const auto& rc = *c.retrain_cost;
    json cost = json::object();
    if (rc.energy_kwh) {
      cost["energy_kwh"] = *rc.energy_kwh;
    } else {
      cost["gpu_hours"] = rc.gpu_hours.value_or(0.0);
      cost["gpu_watts"] = rc.gpu_watts.value_or(0.0);
      cost["pue"] = rc.pue;
    }
    cost["carbon_intensity_g_per_kwh"] = rc.carbon_intensity_g_per_kwh;
    out["retrain_cost"] = std::move(cost);
  }
  out["data_quality"] = {{"enabled", c.data_quality.enabled},
                         {"max_rate", c.data_quality.max_rate},
                         {"min_ratio", c.data_quality.min_ratio},
                         {"range_margin", c.data_quality.range_margin}};
  out["baseline_schedule_days"] = c.baseline_schedule_days;
  if (c.notify_set) out["notify"] = NotifyToJson(c.notify);
  out["segments"] = SegmentsConfigToJson(c.segments);
  if (c.retention.raw_days) out["retention"] = {{"raw_days", *c.retention.raw_days}};
  if (c.task == kpi::Task::kRegression) {
    out["error_metric"] = c.error_metric == domain::ErrorMetric::kSquared ? "squared" : "absolute";
    out["dle"] = DleConfigToJson(c);
  }
  return out;
}

}  // namespace driftgate::codec

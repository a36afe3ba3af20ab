#include "codec/model_config.h"

#include <cmath>
#include <cstdio>
#include <set>

#include "codec/dle_config.h"
#include "codec/multivariate_config.h"
#include "codec/notify_config.h"
#include "codec/segments_config.h"
#include "codec/webhook_config.h"
#include "core/domain/classes.h"
#include "core/stats/two_sample.h"

namespace driftgate::codec {
namespace {

using nlohmann::json;

Error Invalid(const std::string& field, const std::string& msg) {
  return Error::Invalid(field, field + ": " + msg);
}

// Rejects members of `obj` not in `known`, naming the first one.
std::optional<Error> UnknownFields(const json& obj, const std::set<std::string>& known,
                                   const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!known.count(it.key())) {
      return Invalid(MemberPath(where, it.key()), "unknown field");
    }
  }
  return std::nullopt;
}

std::optional<Error> ReadInt(const json& obj, const std::string& key, const std::string& field, long long lo,
                             long long hi, long long& out) {
  if (!obj.contains(key)) return std::nullopt;
  const json& v = obj[key];
  if (!v.is_number_integer() && !v.is_number_unsigned()) return Invalid(field, "must be an integer");
  const long long x =
      v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(hi)
          ? hi + 1
          : v.get<long long>();
  if (x < lo || x > hi)
    return Invalid(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  out = x;
  return std::nullopt;
}

// ReadInt for a count (lo >= 0): `out` keeps its value when `key` is absent.
std::optional<Error> ReadSize(const json& obj, const std::string& key, const std::string& field, long long lo,
                              long long hi, std::size_t& out) {
  long long v = static_cast<long long>(out);
  if (auto e = ReadInt(obj, key, field, lo, hi, v)) return e;
  out = static_cast<std::size_t>(v);
  return std::nullopt;
}

// A finite number in [lo, hi] at `key`, when present.
std::optional<Error> ReadNumber(const json& obj, const std::string& key, const std::string& field, double lo,
                                double hi, std::optional<double>& out) {
  if (!obj.contains(key)) return std::nullopt;
  const json& v = obj[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || v.get<double>() > hi) {
    char range[96];
    std::snprintf(range, sizeof range, "must be a number from %g to %g", lo, hi);
    return Invalid(field, range);
  }
  out = v.get<double>();
  return std::nullopt;
}

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

// `{"energy_kwh", "carbon_intensity_g_per_kwh"}` or
// `{"gpu_hours", "gpu_watts", "pue"?, "carbon_intensity_g_per_kwh"}`.
Result<domain::RetrainCost> ParseRetrainCost(const json& r) {
  if (!r.is_object()) return Invalid("retrain_cost", "must be an object");
  if (auto e = UnknownFields(r, {"energy_kwh", "gpu_hours", "gpu_watts", "pue", "carbon_intensity_g_per_kwh"},
                             "retrain_cost")) {
    return *e;
  }
  domain::RetrainCost cost;
  std::optional<double> pue, intensity;
  if (auto e = ReadNumber(r, "energy_kwh", "retrain_cost.energy_kwh", 0, 1e9, cost.energy_kwh)) return *e;
  if (auto e = ReadNumber(r, "gpu_hours", "retrain_cost.gpu_hours", 0, 1e9, cost.gpu_hours)) return *e;
  if (auto e = ReadNumber(r, "gpu_watts", "retrain_cost.gpu_watts", 0, 1e7, cost.gpu_watts)) return *e;
  if (auto e = ReadNumber(r, "pue", "retrain_cost.pue", 1, 10, pue)) return *e;
  if (auto e = ReadNumber(r, "carbon_intensity_g_per_kwh", "retrain_cost.carbon_intensity_g_per_kwh", 0,
                          10000, intensity)) {
    return *e;
  }
  const bool gpu = cost.gpu_hours || cost.gpu_watts || pue;
  if (cost.energy_kwh && gpu) {
    return Invalid("retrain_cost", "give energy_kwh or gpu_hours/gpu_watts/pue, not both");
  }
  if (!cost.energy_kwh && !gpu) {
    return Invalid("retrain_cost.energy_kwh", "is required (or gpu_hours and gpu_watts)");
  }
  if (gpu && !cost.gpu_hours) return Invalid("retrain_cost.gpu_hours", "is required with gpu_watts");
  if (gpu && !cost.gpu_watts) return Invalid("retrain_cost.gpu_watts", "is required with gpu_hours");
  if (!intensity) return Invalid("retrain_cost.carbon_intensity_g_per_kwh", "is required");
  cost.pue = pue.value_or(1.0);
  cost.carbon_intensity_g_per_kwh = *intensity;
  return cost;
}

}  // namespace

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

// Each member of the model document has a parser of its own; a parser fills its part of `c` and returns
// the first problem, naming the field.

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

std::optional<Error> ParseWebhook(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("webhook")) return Invalid("webhook", "is required");
  auto webhook_spec = ParseWebhookSpec(doc["webhook"]);
  if (!webhook_spec.ok()) return webhook_spec.error();
  c.webhook = std::move(webhook_spec).value();
  return std::nullopt;
}

std::optional<Error> ParseReference(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("reference")) return std::nullopt;
  const json& r = doc["reference"];
  if (!r.is_object()) return Invalid("reference", "must be an object");
  if (auto e = UnknownFields(r, {"size"}, "reference")) return *e;
  if (auto e = ReadSize(r, "size", "reference.size", 10, 100000, c.drift.reference_size)) return *e;
  return std::nullopt;
}

// `drift.tests` (column → test name) and `drift.thresholds` (column → positive number).
std::optional<Error> ParseDriftColumns(const json& d, domain::ModelConfig& c) {
  if (d.contains("tests")) {
    if (!d["tests"].is_object()) return Invalid("drift.tests", "must be an object column -> test");
    for (auto it = d["tests"].begin(); it != d["tests"].end(); ++it) {
      if (!it.value().is_string() || !stats::ParseTest(it.value().get<std::string>())) {
        return Invalid("drift.tests." + it.key(),
                       "must be one of ks, chi2, psi, jensen_shannon, wasserstein, wasserstein_normed, z");
      }
      c.drift.tests[it.key()] = it.value().get<std::string>();
    }
  }
  if (d.contains("thresholds")) {
    if (!d["thresholds"].is_object())
      return Invalid("drift.thresholds", "must be an object column -> number");
    for (auto it = d["thresholds"].begin(); it != d["thresholds"].end(); ++it) {
      if (!it.value().is_number() || !(it.value().get<double>() > 0)) {
        return Invalid("drift.thresholds." + it.key(), "must be a positive number");
      }
      c.drift.thresholds[it.key()] = it.value().get<double>();
    }
  }
  return std::nullopt;
}

std::optional<Error> ParseDrift(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("drift")) return std::nullopt;
  const json& d = doc["drift"];
  if (!d.is_object()) return Invalid("drift", "must be an object");
  if (auto e =
          UnknownFields(d, {"window", "every", "share", "tests", "thresholds", "multivariate"}, "drift")) {
    return *e;
  }
  if (auto e = ParseMultivariateConfig(d, c.drift.multivariate)) return *e;
  if (auto e = ReadSize(d, "window", "drift.window", 10, 100000, c.drift.window)) return *e;
  if (auto e = ReadSize(d, "every", "drift.every", 10, 1000000, c.drift.every)) return *e;
  if (d.contains("share")) {
    if (!d["share"].is_number() || !(d["share"].get<double>() > 0 && d["share"].get<double>() <= 1)) {
      return Invalid("drift.share", "must be a number in (0, 1]");
    }
    c.drift.share = d["share"].get<double>();
  }
  return ParseDriftColumns(d, c);
}

std::optional<Error> ParseDataQuality(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("data_quality")) return std::nullopt;
  const json& q = doc["data_quality"];
  if (!q.is_object()) return Invalid("data_quality", "must be an object");
  if (auto e = UnknownFields(q, {"enabled", "max_rate", "min_ratio", "range_margin"}, "data_quality"))
    return *e;
  if (q.contains("enabled")) {
    if (!q["enabled"].is_boolean()) return Invalid("data_quality.enabled", "must be true or false");
    c.data_quality.enabled = q["enabled"].get<bool>();
  }
  std::optional<double> x;
  if (auto e = ReadNumber(q, "max_rate", "data_quality.max_rate", 0, 1, x)) return *e;
  c.data_quality.max_rate = x.value_or(c.data_quality.max_rate);
  x.reset();
  if (auto e = ReadNumber(q, "min_ratio", "data_quality.min_ratio", 1, 1e6, x)) return *e;
  c.data_quality.min_ratio = x.value_or(c.data_quality.min_ratio);
  x.reset();
  if (auto e = ReadNumber(q, "range_margin", "data_quality.range_margin", 0, 100, x)) return *e;
  c.data_quality.range_margin = x.value_or(c.data_quality.range_margin);
  return std::nullopt;
}

// `retrain_cost`, `retention` and `baseline_schedule_days`: what the sustainability ledger and the data
// lifecycle read.
std::optional<Error> ParseLedgerAndLifecycle(const json& doc, domain::ModelConfig& c) {
  if (doc.contains("retrain_cost")) {
    auto cost = ParseRetrainCost(doc["retrain_cost"]);
    if (!cost.ok()) return cost.error();
    c.retrain_cost = *cost;
  }
  if (doc.contains("retention")) {
    const json& r = doc["retention"];
    if (!r.is_object()) return Invalid("retention", "must be an object");
    if (auto e = UnknownFields(r, {"raw_days"}, "retention")) return *e;
    long long days = 0;
    if (auto e = ReadInt(r, "raw_days", "retention.raw_days", 1, 36500, days)) return *e;
    if (r.contains("raw_days")) c.retention.raw_days = static_cast<int>(days);
  }
  if (doc.contains("baseline_schedule_days")) {
    const json& d = doc["baseline_schedule_days"];
    if (!d.is_number() || !(d.get<double>() > 0 && d.get<double>() <= 3650)) {
      return Invalid("baseline_schedule_days", "must be a number of days in (0, 3650]");
    }
    c.baseline_schedule_days = d.get<double>();
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

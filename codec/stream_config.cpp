#include "codec/stream_config.h"

#include <string>

#include "codec/json_read.h"
#include "codec/multivariate_config.h"
#include "core/stats/two_sample.h"

namespace driftgate::codec {
namespace {

using nlohmann::json;

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

}  // namespace

std::optional<Error> ParseReference(const json& doc, domain::ModelConfig& c) {
  if (!doc.contains("reference")) return std::nullopt;
  const json& r = doc["reference"];
  if (!r.is_object()) return Invalid("reference", "must be an object");
  if (auto e = UnknownFields(r, {"size"}, "reference")) return *e;
  if (auto e = ReadSize(r, "size", "reference.size", 10, 100000, c.drift.reference_size)) return *e;
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

}  // namespace driftgate::codec

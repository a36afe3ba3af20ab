#include "codec/segments_config.h"

#include <cmath>
#include <string>

#include "codec/json_read.h"

namespace driftgate::codec {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxSegmentLength = 1024;  // as a record's segment (api/dto/records.h)

// An integer in [lo, hi] at segments.`key`, when present.
std::optional<Error> ReadCount(const json& s, const char* key, std::size_t lo, std::size_t hi,
                               std::size_t& out) {
  if (!s.contains(key)) return std::nullopt;
  const json& v = s[key];
  if (!v.is_number_unsigned() || v.get<std::size_t>() < lo || v.get<std::size_t>() > hi) {
    return Invalid(std::string("segments.") + key,
                   "must be an integer from " + std::to_string(lo) + " to " + std::to_string(hi));
  }
  out = v.get<std::size_t>();
  return std::nullopt;
}

std::optional<Error> ParseKpiList(const json& list, const std::string& at, kpi::Task task,
                                  std::vector<domain::KpiSpec>& out) {
  if (!list.is_array() || list.empty() || list.size() > 32)
    return Invalid(at, "must be an array of 1 to 32 KPIs");
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string here = at + "[" + std::to_string(i) + "]";
    const json& k = list[i];
    if (!k.is_object()) return Invalid(here, "must be an object");
    for (auto it = k.begin(); it != k.end(); ++it) {
      if (it.key() != "metric" && it.key() != "min" && it.key() != "max")
        return Invalid(here + "." + it.key(), "unknown field");
    }
    if (!k.contains("metric") || !k["metric"].is_string())
      return Invalid(here + ".metric", "is required (a string)");
    const auto metric = kpi::ParseMetric(k["metric"].get<std::string>());
    if (!metric || !kpi::MetricAppliesTo(*metric, task)) {
      return Invalid(here + ".metric", "is not a metric of " + std::string(kpi::TaskName(task)));
    }
    domain::KpiSpec spec{.metric = *metric};
    for (const char* bound : {"min", "max"}) {
      if (!k.contains(bound)) continue;
      if (!k[bound].is_number() || !std::isfinite(k[bound].get<double>())) {
        return Invalid(here + "." + bound, "must be a finite number");
      }
      (std::string(bound) == "min" ? spec.min : spec.max) = k[bound].get<double>();
    }
    if (spec.min.has_value() == spec.max.has_value()) return Invalid(here, "needs exactly one of min or max");
    for (const auto& earlier : out) {
      if (earlier.metric == spec.metric) return Invalid(here + ".metric", "duplicate KPI metric");
    }
    out.push_back(spec);
  }
  return std::nullopt;
}

bool IsSegmentValue(const std::string& s) {
  if (s.empty() || s.size() > kMaxSegmentLength) return false;
  for (const unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

std::optional<Error> ParseSegmentsConfig(const json& doc, domain::ModelConfig& config) {
  if (!doc.contains("segments")) return std::nullopt;
  const json& s = doc["segments"];
  if (!s.is_object()) return Invalid("segments", "must be an object");
  domain::SegmentsSpec spec;
  for (auto it = s.begin(); it != s.end(); ++it) {
    if (it.key() != "mode" && it.key() != "min_samples" && it.key() != "max_segments" && it.key() != "kpis") {
      return Invalid("segments." + it.key(), "unknown field");
    }
  }
  if (s.contains("mode")) {
    const json& m = s["mode"];
    const std::string mode = m.is_string() ? m.get<std::string>() : "";
    if (mode == "off") {
      spec.mode = domain::SegmentsMode::kOff;
    } else if (mode == "monitor") {
      spec.mode = domain::SegmentsMode::kMonitor;
    } else if (mode == "trigger") {
      spec.mode = domain::SegmentsMode::kTrigger;
    } else {
      return Invalid("segments.mode", "must be off, monitor or trigger");
    }
  }
  if (auto e = ReadCount(s, "min_samples", 1, 100000, spec.min_samples)) return e;
  if (auto e = ReadCount(s, "max_segments", 1, 1000, spec.max_segments)) return e;
  if (s.contains("kpis")) {
    const json& kpis = s["kpis"];
    if (!kpis.is_object() || kpis.size() > 1000)
      return Invalid("segments.kpis", "must be an object of at most 1000 segments");
    for (auto it = kpis.begin(); it != kpis.end(); ++it) {
      const std::string at = "segments.kpis." + it.key();
      if (!IsSegmentValue(it.key()))
        return Invalid(at, "names no valid segment (1 to 1024 printable characters)");
      if (auto e = ParseKpiList(it.value(), at, config.task, spec.kpis[it.key()])) return e;
    }
  }
  config.segments = std::move(spec);
  return std::nullopt;
}

json SegmentsConfigToJson(const domain::SegmentsSpec& spec) {
  json kpis = json::object();
  for (const auto& [segment, list] : spec.kpis) {
    json arr = json::array();
    for (const auto& k : list) {
      json o{{"metric", kpi::MetricName(k.metric)}};
      if (k.min) o["min"] = *k.min;
      if (k.max) o["max"] = *k.max;
      arr.push_back(std::move(o));
    }
    kpis[segment] = std::move(arr);
  }
  const char* mode = spec.mode == domain::SegmentsMode::kOff       ? "off"
                     : spec.mode == domain::SegmentsMode::kTrigger ? "trigger"
                                                                   : "monitor";
  return {
      {"mode", mode}, {"min_samples", spec.min_samples}, {"max_segments", spec.max_segments}, {"kpis", kpis}};
}

}  // namespace driftgate::codec

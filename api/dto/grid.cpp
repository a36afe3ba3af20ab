#include "api/dto/grid.h"

#include <cmath>
#include <optional>
#include <string>

#include "api/dto/replay.h"
#include "codec/json_read.h"
#include "codec/model_config.h"
#include "core/domain/time.h"

namespace driftgate::api::dto {
namespace {

using nlohmann::json;

using codec::Invalid;

// Point `at` (named `points[i]`), which must come after `previous`.
Result<evaluate::GridPoint> ParsePoint(const json& p, const std::string& at,
                                       const std::optional<std::int64_t>& previous) {
  if (!p.is_object()) return Invalid(at, "must be an object {\"at\", \"g_per_kwh\"}");
  if (auto e = codec::UnknownFields(p, {"at", "g_per_kwh"}, at)) return *e;
  if (!p.contains("at") || !p["at"].is_string()) return Invalid(at + ".at", "is required (an RFC 3339 time)");
  const auto ts = domain::ParseRfc3339(p["at"].get<std::string>());
  if (!ts) return Invalid(at + ".at", "must be an RFC 3339 time, e.g. 2026-11-23T06:00:00Z");
  if (auto why = domain::OutsideTimeDomain(*ts)) return Invalid(at + ".at", *why);
  if (previous && *ts <= *previous) {
    return Invalid(at + ".at", "points must be in strictly increasing time (sorted, no duplicates)");
  }
  if (!p.contains("g_per_kwh") || !p["g_per_kwh"].is_number()) {
    return Invalid(at + ".g_per_kwh", "is required (a number)");
  }
  const double g = p["g_per_kwh"].get<double>();
  if (!std::isfinite(g) || g < 0 || g > 10000)
    return Invalid(at + ".g_per_kwh", "must be a number from 0 to 10000");
  return evaluate::GridPoint{.at_us = *ts, .g_per_kwh = g};
}

}  // namespace

Result<service::GridForecastInput> ParseGridForecast(const json& doc) {
  service::GridForecastInput out;
  if (auto e = codec::UnknownFields(doc, {"region", "points"}, "")) return *e;
  if (doc.contains("region")) {
    if (!doc["region"].is_string() || !codec::IsValidName(doc["region"].get<std::string>())) {
      return Invalid("region", "must be a name like \"default\" (^[a-z0-9][a-z0-9._-]{0,63}$)");
    }
    out.region = doc["region"].get<std::string>();
  }
  if (!doc.contains("points") || !doc["points"].is_array())
    return Invalid("points", "is required (an array)");
  const json& points = doc["points"];
  if (points.size() > service::kMaxGridPoints) {
    return Invalid("points", "at most " + std::to_string(service::kMaxGridPoints) + " points");
  }
  out.points.reserve(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const auto previous = out.points.empty() ? std::nullopt : std::optional(out.points.back().at_us);
    auto point = ParsePoint(points[i], "points[" + std::to_string(i) + "]", previous);
    if (!point.ok()) return point.error();
    out.points.push_back(*point);
  }
  return out;
}

json GridForecastJson(const service::GridForecastView& f) {
  json points = json::array();
  for (const auto& p : f.points)
    points.push_back({{"at", domain::FormatRfc3339(p.at_us)}, {"g_per_kwh", p.g_per_kwh}});
  return {
      {"region", f.region}, {"points", std::move(points)}, {"updated_at", OptionalTimeJson(f.updated_at_us)}};
}

}  // namespace driftgate::api::dto

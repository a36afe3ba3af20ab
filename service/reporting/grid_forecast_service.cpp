#include "service/reporting/grid_forecast_service.h"

#include <cmath>
#include <pqxx/pqxx>

#include "codec/model_config.h"
#include "core/domain/time.h"
#include "db/grid_repo.h"
#include "db/pool.h"
#include "service/access/audit.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

Error Invalid(const std::string& field, const std::string& msg) {
  return Error::Invalid(field, field + ": " + msg);
}

json ForecastJson(const std::string& region, const db::GridForecast& f) {
  json points = json::array();
  for (const auto& p : f.points)
    points.push_back({{"at", domain::FormatRfc3339(p.at_us)}, {"g_per_kwh", p.g_per_kwh}});
  return {{"region", region},
          {"points", std::move(points)},
          {"updated_at", f.updated_at_us ? json(domain::FormatRfc3339(*f.updated_at_us)) : json(nullptr)}};
}

struct ParsedForecast {
  std::string region = "default";
  std::vector<evaluate::GridPoint> points{};
};

Result<ParsedForecast> Parse(const json& doc) {
  ParsedForecast out;
  for (auto it = doc.begin(); it != doc.end(); ++it) {
    if (it.key() != "region" && it.key() != "points")
      return Invalid(MemberPath("", it.key()), "unknown field");
  }
  if (doc.contains("region")) {
    if (!doc["region"].is_string() || !codec::IsValidName(doc["region"].get<std::string>())) {
      return Invalid("region", "must be a name like \"default\" (^[a-z0-9][a-z0-9._-]{0,63}$)");
    }
    out.region = doc["region"].get<std::string>();
  }
  if (!doc.contains("points") || !doc["points"].is_array())
    return Invalid("points", "is required (an array)");
  const json& points = doc["points"];
  if (points.size() > kMaxGridPoints) {
    return Invalid("points", "at most " + std::to_string(kMaxGridPoints) + " points");
  }
  out.points.reserve(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    const std::string at = "points[" + std::to_string(i) + "]";
    const json& p = points[i];
    if (!p.is_object()) return Invalid(at, "must be an object {\"at\", \"g_per_kwh\"}");
    for (auto it = p.begin(); it != p.end(); ++it) {
      if (it.key() != "at" && it.key() != "g_per_kwh")
        return Invalid(MemberPath(at, it.key()), "unknown field");
    }
    if (!p.contains("at") || !p["at"].is_string())
      return Invalid(at + ".at", "is required (an RFC 3339 time)");
    const auto ts = domain::ParseRfc3339(p["at"].get<std::string>());
    if (!ts) return Invalid(at + ".at", "must be an RFC 3339 time, e.g. 2026-11-23T06:00:00Z");
    if (auto why = domain::OutsideTimeDomain(*ts)) return Invalid(at + ".at", *why);
    if (!out.points.empty() && *ts <= out.points.back().at_us) {
      return Invalid(at + ".at", "points must be in strictly increasing time (sorted, no duplicates)");
    }
    if (!p.contains("g_per_kwh") || !p["g_per_kwh"].is_number()) {
      return Invalid(at + ".g_per_kwh", "is required (a number)");
    }
    const double g = p["g_per_kwh"].get<double>();
    if (!std::isfinite(g) || g < 0 || g > 10000)
      return Invalid(at + ".g_per_kwh", "must be a number from 0 to 10000");
    out.points.push_back({.at_us = *ts, .g_per_kwh = g});
  }
  return out;
}

}  // namespace

Result<json> GridForecastService::Replace(const json& doc, const std::string& actor) {
  auto parsed = Parse(doc);
  if (!parsed.ok()) return parsed.error();
  return db::Transact<json>(pool_, [&](pqxx::work& tx) -> Result<json> {
    db::ReplaceGridForecast(tx, parsed->region, parsed->points);
    RecordAudit(tx, actor, "grid_forecast.replace", parsed->region, {{"points", parsed->points.size()}});
    return ForecastJson(parsed->region, db::LoadGridForecast(tx, parsed->region));
  });
}

Result<json> GridForecastService::Get(const std::string& region) {
  if (!codec::IsValidName(region)) return Invalid("region", "must be a name like \"default\"");
  return db::Transact<json>(pool_, [&](pqxx::work& tx) -> Result<json> {
    return ForecastJson(region, db::LoadGridForecast(tx, region));
  });
}

}  // namespace driftgate::service

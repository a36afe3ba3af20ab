// The grid-intensity forecast behind carbon-aware deferral: PUT /v1/grid-forecast replaces a
// region's forecast, GET /v1/grid-forecast returns it.
//
// Document: {"region": "default" (optional, a name like a model's), "points": [{"at": RFC 3339,
// "g_per_kwh": number}, ...]}. Points must be strictly increasing in time, intensities finite and in
// [0, 10000] g/kWh, at most kMaxGridPoints of them (an empty list clears the forecast). Each point's
// intensity holds until the next point (core/evaluate/deferral.h). The replace is audited
// (grid_forecast.replace: region and point count).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/error.h"
#include "db/handles.h"

namespace driftgate::service {

inline constexpr std::size_t kMaxGridPoints = 10000;

class GridForecastService {
 public:
  explicit GridForecastService(db::Pool& pool) : pool_(pool) {}

  // Validates and stores; returns the stored forecast (as Get).
  Result<nlohmann::json> Replace(const nlohmann::json& doc, const std::string& actor);
  // {"region", "points": [...], "updated_at": RFC 3339 or null}; an unknown region has no points.
  Result<nlohmann::json> Get(const std::string& region);

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service

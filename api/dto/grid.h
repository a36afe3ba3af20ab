// The grid-intensity forecast on the wire (PUT/GET /v1/grid-forecast):
// {"region": "default", "points": [{"at": RFC 3339, "g_per_kwh": number}, ...], "updated_at": ...}.
#pragma once

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "service/reporting/grid_forecast_service.h"

namespace driftgate::api::dto {

// The PUT body ({"region"?, "points"}); unknown members refused, every error naming its field
// (`points[3].at`). The rules are those of service/reporting/grid_forecast_service.h.
Result<service::GridForecastInput> ParseGridForecast(const nlohmann::json& doc);

// {"region", "points": [{"at", "g_per_kwh"}], "updated_at": RFC 3339 or null}
nlohmann::json GridForecastJson(const service::GridForecastView& forecast);

}  // namespace driftgate::api::dto

// The SQL of grid_forecast: the grid-intensity forecast of a region (V007).
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

inline constexpr const char* kDeleteGridForecast = "DELETE FROM grid_forecast WHERE region = $1";
// $2, $3: parallel arrays of times (microseconds since the epoch) and intensities.
inline constexpr const char* kInsertGridForecast =
    "INSERT INTO grid_forecast (region, at, g_per_kwh) SELECT $1, " DRIFTGATE_SQL_FROM_US(
        "t") ", g FROM unnest($2::bigint[], $3::float8[]) AS u(t, g)";
inline constexpr const char* kSelectGridForecast =
    "SELECT " DRIFTGATE_SQL_TO_US("at") ", g_per_kwh, " DRIFTGATE_SQL_TO_US(
        "updated_at") " FROM grid_forecast WHERE region = $1 ORDER BY at";
// The forecast points that decide a deferral of $2 hours: from the slot holding now() through the first
// point at or after the window's end.
inline constexpr const char* kGridWindow =
    "SELECT " DRIFTGATE_SQL_TO_US("at")
    ", g_per_kwh FROM grid_forecast WHERE region = $1 AND at >= coalesce((SELECT max(at) FROM "
    "grid_forecast WHERE region = $1 AND at <= now()), now()) AND at <= coalesce((SELECT min(at) "
    "FROM grid_forecast WHERE region = $1 AND at >= now() + $2::float8 * interval '1 hour'), now() "
    "+ $2::float8 * interval '1 hour') ORDER BY at";

}  // namespace driftgate::db::sql

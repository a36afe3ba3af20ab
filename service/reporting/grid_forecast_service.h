// The grid-intensity forecast behind carbon-aware deferral: PUT /v1/grid-forecast replaces a
// region's forecast, GET /v1/grid-forecast returns it.
//
// A forecast is a region (a name like a model's, "default" when not given) and its points: strictly
// increasing in time, intensities finite and in [0, 10000] g/kWh, at most kMaxGridPoints of them (an
// empty list clears the forecast); api/dto/grid.h checks that. Each point's intensity holds until the
// next point (core/evaluate/deferral.h). The replace is audited (grid_forecast.replace: region and point
// count).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/evaluate/deferral.h"
#include "db/handles.h"

namespace driftgate::service {

inline constexpr std::size_t kMaxGridPoints = 10000;

struct GridForecastInput {
  std::string region = "default";
  std::vector<evaluate::GridPoint> points{};
};

// A region's stored forecast; an unknown region has no points and no updated_at.
struct GridForecastView {
  std::string region{};
  std::vector<evaluate::GridPoint> points{};
  std::optional<std::int64_t> updated_at_us{};  // wall time of the last replace
};

class GridForecastService {
 public:
  explicit GridForecastService(db::Pool& pool) : pool_(pool) {}

  // Stores `forecast` (already validated); returns the stored forecast (as Get).
  Result<GridForecastView> Replace(const GridForecastInput& forecast, const std::string& actor);
  // InvalidArgument on `region` when it is not a name.
  Result<GridForecastView> Get(const std::string& region);

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service

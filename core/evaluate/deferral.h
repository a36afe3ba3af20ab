// Carbon-aware deferral of a retrain webhook (policy `deferral_hours`). Pure: the caller reads the
// wall clock and the grid-intensity forecast.
//
// The forecast is a step function: each point's intensity holds from its time until the next point.
// The forecast *covers* the window [now, now + window] when it has a point at or before `now` (so the
// intensity now is known) and one at or after the window's end. When it does, the webhook goes at the
// start of the lowest-intensity slot among `now` and every point inside the window (ties: the earliest,
// so equal intensity never delays); otherwise at `now`.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

namespace driftgate::evaluate {

struct GridPoint {
  std::int64_t at_us = 0;
  double g_per_kwh = 0.0;
};

struct DeferralPlan {
  std::int64_t scheduled_us = 0;                // when the webhook is due (>= now)
  bool covered = false;                         // whether the forecast covers the window
  std::optional<double> g_per_kwh_now{};        // the intensity at `now`, when the forecast knows it
  std::optional<double> g_per_kwh_scheduled{};  // the intensity of the chosen slot, when covered
};

// `points` sorted by time, unique. `window_us` <= 0 plans `now`.
DeferralPlan PlanDeferral(std::span<const GridPoint> points, std::int64_t now_us, std::int64_t window_us);

}  // namespace driftgate::evaluate

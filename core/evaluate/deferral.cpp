#include "core/evaluate/deferral.h"

namespace driftgate::evaluate {

DeferralPlan PlanDeferral(std::span<const GridPoint> points, std::int64_t now_us, std::int64_t window_us) {
  DeferralPlan plan{.scheduled_us = now_us};
  const GridPoint* current = nullptr;  // the slot holding `now`
  for (const auto& p : points) {
    if (p.at_us > now_us) break;
    current = &p;
  }
  if (current) plan.g_per_kwh_now = current->g_per_kwh;
  if (!current || window_us <= 0 || points.empty() || points.back().at_us < now_us + window_us) return plan;

  plan.covered = true;
  double best = current->g_per_kwh;
  for (const auto& p : points) {
    if (p.at_us <= now_us) continue;
    if (p.at_us > now_us + window_us) break;
    if (p.g_per_kwh < best) {
      best = p.g_per_kwh;
      plan.scheduled_us = p.at_us;
    }
  }
  plan.g_per_kwh_scheduled = best;
  return plan;
}

}  // namespace driftgate::evaluate

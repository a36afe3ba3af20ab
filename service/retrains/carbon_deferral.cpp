#include "service/retrains/carbon_deferral.h"

#include <cmath>
#include <pqxx/pqxx>

#include "core/domain/time.h"
#include "core/evaluate/deferral.h"
#include "db/grid_repo.h"
#include "db/pool.h"

namespace driftgate::service {

using nlohmann::json;

std::optional<CarbonDeferral> PlanCarbonDeferral(pqxx::transaction_base& tx,
                                                 const domain::PolicySpec& policy) {
  if (!(policy.deferral_hours > 0)) return std::nullopt;
  const std::int64_t now_us = db::WallNow(tx);
  const auto points = db::LoadGridWindow(tx, policy.grid_region, policy.deferral_hours);
  const auto window_us = static_cast<std::int64_t>(std::llround(policy.deferral_hours * 3600.0 * 1e6));
  const evaluate::DeferralPlan plan = evaluate::PlanDeferral(points, now_us, window_us);
  auto number = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  const char* reason = !plan.covered                 ? "the forecast does not cover the window: sent now"
                       : plan.scheduled_us == now_us ? "now is the lowest-carbon slot of the window"
                                                     : "deferred to the lowest-carbon slot of the window";
  CarbonDeferral d{.requested_us = now_us, .scheduled_us = plan.scheduled_us};
  d.doc = {{"requested_at", domain::FormatRfc3339(now_us)},
           {"scheduled_for", domain::FormatRfc3339(plan.scheduled_us)},
           {"window_hours", policy.deferral_hours},
           {"region", policy.grid_region},
           {"g_per_kwh_now", number(plan.g_per_kwh_now)},
           {"g_per_kwh_scheduled", number(plan.g_per_kwh_scheduled)},
           {"reason", reason}};
  return d;
}

}  // namespace driftgate::service

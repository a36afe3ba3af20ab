#include "service/retrains/carbon_deferral.h"

#include <cmath>
#include <pqxx/pqxx>

#include "codec/decision_codec.h"
#include "core/evaluate/deferral.h"
#include "db/grid_repo.h"
#include "db/pool.h"

namespace driftgate::service {

std::optional<CarbonDeferral> PlanCarbonDeferral(pqxx::transaction_base& tx,
                                                 const domain::PolicySpec& policy) {
  if (!(policy.deferral_hours > 0)) return std::nullopt;
  const std::int64_t now_us = db::WallNow(tx);
  const auto points = db::LoadGridWindow(tx, policy.grid_region, policy.deferral_hours);
  const auto window_us = static_cast<std::int64_t>(std::llround(policy.deferral_hours * 3600.0 * 1e6));
  const evaluate::DeferralPlan plan = evaluate::PlanDeferral(points, now_us, window_us);
  return CarbonDeferral{.requested_us = now_us,
                        .scheduled_us = plan.scheduled_us,
                        .doc_json = codec::DeferralJson(now_us, plan, policy)};
}

}  // namespace driftgate::service

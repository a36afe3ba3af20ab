#include "core/evaluate/ledger.h"

#include <algorithm>
#include <cmath>

namespace driftgate::evaluate {

std::int64_t BaselineRetrains(std::int64_t period_us, double baseline_schedule_days) {
  if (period_us <= 0 || !(baseline_schedule_days > 0)) return 0;
  const double schedules = static_cast<double>(period_us) / (baseline_schedule_days * 86400.0 * 1e6);
  // A whole number of schedules must not lose one to rounding (e.g. 3 days / 0.1 days).
  return static_cast<std::int64_t>(std::floor(schedules * (1 + 1e-12)));
}

Ledger ComputeLedger(const LedgerCounts& counts, std::int64_t period_us, double baseline_schedule_days,
                     const std::optional<domain::RetrainCost>& cost) {
  Ledger l;
  l.counts = counts;
  l.baseline = BaselineRetrains(period_us, baseline_schedule_days);
  l.avoided = std::max<std::int64_t>(0, l.baseline - counts.requested);
  if (cost) {
    const double e = cost->EnergyKwh();
    l.energy_spent_kwh = static_cast<double>(counts.requested) * e;
    l.energy_avoided_kwh = static_cast<double>(l.avoided) * e;
    const std::int64_t known = std::clamp<std::int64_t>(counts.scheduled_known, 0, counts.requested);
    const double sum = known > 0 ? counts.scheduled_g_per_kwh_sum : 0.0;
    l.co2e_spent_kg =
        e * (static_cast<double>(counts.requested - known) * cost->carbon_intensity_g_per_kwh + sum) / 1000.0;
    l.co2e_avoided_kg = *l.energy_avoided_kwh * cost->carbon_intensity_g_per_kwh / 1000.0;
  }
  return l;
}

}  // namespace driftgate::evaluate

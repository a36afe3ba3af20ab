// The sustainability ledger's arithmetic (README.md "Sustainability ledger and policy backtests"). Pure: the
// caller counts retrains and decisions over a period of data time.
//
//   baseline       = floor(period_seconds / (baseline_schedule_days · 86400)) — the periodic retrains a
//                    fixed schedule would have run over the period
//   avoided        = max(0, baseline − requested)
//   energy spent   = requested · E,  energy avoided = avoided · E, with E the energy of one retrain
//                    (retrain_cost.energy_kwh, or gpu_hours · gpu_watts / 1000 · pue)
//   CO2e (kg)      = energy (kWh) · carbon_intensity_g_per_kwh / 1000, except that a retrain whose webhook
//                    was scheduled by carbon-aware deferral at a slot of known forecast intensity is
//                    costed at that intensity: spent = E · (Σ known + (requested − k) · intensity) / 1000
//                    (avoided retrains keep the configured intensity)
// Energy and CO2e are unknown (nullopt) when the model states no retrain_cost.
#pragma once

#include <cstdint>
#include <optional>

#include "core/domain/model.h"

namespace driftgate::evaluate {

struct LedgerCounts {
  std::int64_t requested = 0;     // retrains requested in the period
  std::int64_t suppressed = 0;    // suppressed decisions in the period
  std::int64_t did_not_help = 0;  // retrains of the period that the closed-loop check judged did_not_help
  // Carbon-aware deferral: k requested retrains whose scheduled slot's intensity is known, and their sum.
  std::int64_t scheduled_known = 0;
  double scheduled_g_per_kwh_sum = 0.0;
};

struct Ledger {
  LedgerCounts counts{};
  std::int64_t baseline = 0;
  std::int64_t avoided = 0;
  std::optional<double> energy_spent_kwh{};
  std::optional<double> energy_avoided_kwh{};
  std::optional<double> co2e_spent_kg{};
  std::optional<double> co2e_avoided_kg{};
};

// floor(period_us / (days · 86400 s)); 0 for an empty or negative period.
std::int64_t BaselineRetrains(std::int64_t period_us, double baseline_schedule_days);

Ledger ComputeLedger(const LedgerCounts& counts, std::int64_t period_us, double baseline_schedule_days,
                     const std::optional<domain::RetrainCost>& cost);

}  // namespace driftgate::evaluate

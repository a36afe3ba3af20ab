// The sustainability ledger's arithmetic against hand-computed values (core/evaluate/ledger.h).
#include "core/evaluate/ledger.h"

#include <gtest/gtest.h>

namespace driftgate::evaluate {
namespace {

constexpr std::int64_t kDayUs = 86400LL * 1'000'000;

domain::RetrainCost EnergyCost() {
  domain::RetrainCost c;
  c.energy_kwh = 40.0;
  c.carbon_intensity_g_per_kwh = 400.0;
  return c;
}

domain::RetrainCost GpuCost() {
  domain::RetrainCost c;
  c.gpu_hours = 8.0;
  c.gpu_watts = 700.0;
  c.pue = 1.2;
  c.carbon_intensity_g_per_kwh = 250.0;
  return c;
}

TEST(Ledger, EnergyVariantMatchesHandComputedFigures) {
  // 91 days at a 7-day schedule: 13 periodic retrains; 2 requested, so 11 avoided.
  // Spent 2 x 40 = 80 kWh, avoided 11 x 40 = 440 kWh; CO2e at 400 g/kWh: 32 kg and 176 kg.
  const Ledger l =
      ComputeLedger({.requested = 2, .suppressed = 5, .did_not_help = 1}, 91 * kDayUs, 7.0, EnergyCost());
  EXPECT_EQ(l.baseline, 13);
  EXPECT_EQ(l.avoided, 11);
  EXPECT_EQ(l.counts.suppressed, 5);
  EXPECT_EQ(l.counts.did_not_help, 1);
  EXPECT_DOUBLE_EQ(*l.energy_spent_kwh, 80.0);
  EXPECT_DOUBLE_EQ(*l.energy_avoided_kwh, 440.0);
  EXPECT_DOUBLE_EQ(*l.co2e_spent_kg, 32.0);
  EXPECT_DOUBLE_EQ(*l.co2e_avoided_kg, 176.0);
}

TEST(Ledger, GpuVariantDerivesEnergyFromHoursWattsAndPue) {
  // 8 h x 700 W / 1000 x 1.2 = 6.72 kWh per retrain; x 250 g/kWh = 1.68 kg.
  EXPECT_DOUBLE_EQ(GpuCost().EnergyKwh(), 6.72);
  // 10 days at a 2-day schedule: 5; 1 requested, 4 avoided.
  const Ledger l =
      ComputeLedger({.requested = 1, .suppressed = 0, .did_not_help = 0}, 10 * kDayUs, 2.0, GpuCost());
  EXPECT_EQ(l.baseline, 5);
  EXPECT_EQ(l.avoided, 4);
  EXPECT_DOUBLE_EQ(*l.energy_spent_kwh, 6.72);
  EXPECT_DOUBLE_EQ(*l.energy_avoided_kwh, 26.88);
  EXPECT_DOUBLE_EQ(*l.co2e_spent_kg, 1.68);
  EXPECT_DOUBLE_EQ(*l.co2e_avoided_kg, 6.72);
}

TEST(Ledger, BaselineIsTheFloorOfWholeSchedules) {
  EXPECT_EQ(BaselineRetrains(7 * kDayUs - 1, 7.0), 0);
  EXPECT_EQ(BaselineRetrains(7 * kDayUs, 7.0), 1);
  EXPECT_EQ(BaselineRetrains(3 * kDayUs, 0.1), 30);  // no schedule lost to rounding
  EXPECT_EQ(BaselineRetrains(0, 7.0), 0);
  EXPECT_EQ(BaselineRetrains(-kDayUs, 1.0), 0);
}

TEST(Ledger, MoreRetrainsThanTheScheduleAvoidNothing) {
  const Ledger l =
      ComputeLedger({.requested = 9, .suppressed = 0, .did_not_help = 0}, 14 * kDayUs, 7.0, EnergyCost());
  EXPECT_EQ(l.baseline, 2);
  EXPECT_EQ(l.avoided, 0);
  EXPECT_DOUBLE_EQ(*l.energy_spent_kwh, 360.0);
  EXPECT_DOUBLE_EQ(*l.energy_avoided_kwh, 0.0);
}

TEST(Ledger, WithoutARetrainCostEnergyAndCo2eAreUnknown) {
  const Ledger l =
      ComputeLedger({.requested = 1, .suppressed = 0, .did_not_help = 0}, 14 * kDayUs, 7.0, std::nullopt);
  EXPECT_EQ(l.avoided, 1);
  EXPECT_FALSE(l.energy_spent_kwh.has_value());
  EXPECT_FALSE(l.co2e_avoided_kg.has_value());
}

TEST(Ledger, DeferredRetrainsAreCostedAtTheirScheduledSlotsIntensity) {
  // 3 requested (EnergyCost: 40 kWh at 400 g/kWh); 2 were deferred to slots of 100 and 150 g/kWh.
  const Ledger l = ComputeLedger({.requested = 3,
                                  .suppressed = 0,
                                  .did_not_help = 0,
                                  .scheduled_known = 2,
                                  .scheduled_g_per_kwh_sum = 250.0},
                                 28 * kDayUs, 7.0, EnergyCost());
  EXPECT_DOUBLE_EQ(*l.energy_spent_kwh, 120.0);
  EXPECT_DOUBLE_EQ(*l.co2e_spent_kg, 40.0 * (400.0 + 250.0) / 1000.0);  // 26 kg, not 48
  EXPECT_DOUBLE_EQ(*l.co2e_avoided_kg, 1 * 40.0 * 400.0 / 1000.0);      // avoided: configured intensity
}

}  // namespace
}  // namespace driftgate::evaluate

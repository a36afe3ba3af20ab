// Carbon-aware deferral's slot choice (core/evaluate/deferral.h): a step-function forecast, the window
// [now, now + window], coverage, ties.
#include "core/evaluate/deferral.h"

#include <gtest/gtest.h>

#include <vector>

namespace driftgate::evaluate {
namespace {

constexpr std::int64_t kH = 3600LL * 1'000'000;
constexpr std::int64_t kNow = 1'800'000'000LL * 1'000'000 + 1234;  // between two hourly points

std::vector<GridPoint> Hourly(std::vector<double> g, std::int64_t first) {
  std::vector<GridPoint> out;
  for (std::size_t i = 0; i < g.size(); ++i)
    out.push_back({.at_us = first + static_cast<std::int64_t>(i) * kH, .g_per_kwh = g[i]});
  return out;
}

TEST(Deferral, PicksTheLowestSlotInsideTheWindow) {
  // Points at now−ε, +1 h, +2 h, ... ; the lowest (50) at +3 h−ε is inside a 6 h window, 10 at +7 h is not.
  const auto f = Hourly({400, 300, 350, 50, 200, 250, 300, 10, 400}, kNow - 1234);
  const DeferralPlan p = PlanDeferral(f, kNow, 6 * kH);
  EXPECT_TRUE(p.covered);
  EXPECT_EQ(p.scheduled_us, kNow - 1234 + 3 * kH);
  EXPECT_EQ(p.g_per_kwh_now, 400.0);
  EXPECT_EQ(p.g_per_kwh_scheduled, 50.0);
}

TEST(Deferral, StaysAtNowWhenNowIsLowestOrTied) {
  const auto f = Hourly({100, 300, 100, 200, 200, 200, 200, 200}, kNow - 1234);
  const DeferralPlan p = PlanDeferral(f, kNow, 6 * kH);
  EXPECT_TRUE(p.covered);
  EXPECT_EQ(p.scheduled_us, kNow);
  EXPECT_EQ(p.g_per_kwh_scheduled, 100.0);
}

TEST(Deferral, SendsNowWhenTheForecastDoesNotCoverTheWindow) {
  // Starts after now: the intensity now is unknown.
  DeferralPlan p = PlanDeferral(Hourly({400, 10, 400, 400, 400, 400, 400, 400}, kNow + 1), kNow, 6 * kH);
  EXPECT_FALSE(p.covered);
  EXPECT_EQ(p.scheduled_us, kNow);
  EXPECT_FALSE(p.g_per_kwh_now);
  // Ends inside the window.
  p = PlanDeferral(Hourly({400, 10, 400}, kNow - 1234), kNow, 6 * kH);
  EXPECT_FALSE(p.covered);
  EXPECT_EQ(p.scheduled_us, kNow);
  EXPECT_EQ(p.g_per_kwh_now, 400.0);
  EXPECT_FALSE(p.g_per_kwh_scheduled);
  // Empty forecast, zero window.
  EXPECT_EQ(PlanDeferral({}, kNow, 6 * kH).scheduled_us, kNow);
  EXPECT_FALSE(PlanDeferral(Hourly({400, 10, 400}, kNow - 1234), kNow, 0).covered);
}

TEST(Deferral, ASlotStartingExactlyAtTheWindowsEndCounts) {
  const std::vector<GridPoint> f{{.at_us = kNow, .g_per_kwh = 300},
                                 {.at_us = kNow + 6 * kH, .g_per_kwh = 20}};
  const DeferralPlan p = PlanDeferral(f, kNow, 6 * kH);
  EXPECT_TRUE(p.covered);
  EXPECT_EQ(p.scheduled_us, kNow + 6 * kH);
}

}  // namespace
}  // namespace driftgate::evaluate

// KSWIN: the exact KS p-value against scipy, seeding, detection and false alarms.
#include "core/detect/kswin.h"

#include <gtest/gtest.h>

#include "core/detect/replay.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

using testing::Concat;
using testing::GaussianStream;
using testing::MakeOrDie;
using testing::StreamRng;

TEST(KsTwoSampleEqualSize, MatchesScipyExactPValues) {
  // scipy 1.10 stats.ks_2samp(a, b) for samples of 30 (method auto → exact), D = h / 30; bit-identical.
  EXPECT_EQ(KsTwoSampleEqualSizePValue(30, 0), 1.0);
  EXPECT_EQ(KsTwoSampleEqualSizePValue(30, 1), 1.0);
  EXPECT_EQ(KsTwoSampleEqualSizePValue(30, 5), 0.8079631540901643);
  EXPECT_EQ(KsTwoSampleEqualSizePValue(30, 8), 0.23907300248018645);
  EXPECT_EQ(KsTwoSampleEqualSizePValue(30, 10), 0.07088798787114439);
  EXPECT_EQ(KsTwoSampleEqualSizePValue(30, 15), 0.0008995776840176799);
  EXPECT_EQ(KsTwoSampleEqualSizePValue(30, 30), 1.6911233892144742e-17);
  EXPECT_EQ(KsTwoSampleEqualSizePValue(100, 25), 0.0037294923618311367);
}

TEST(Kswin, SignalsDriftWhenDistributionShifts) {
  StreamRng rng(51);
  const auto stream = Concat(GaussianStream(rng, 3000, 0.0, 1.0), GaussianStream(rng, 3000, 2.0, 1.0));
  auto detector = MakeOrDie("kswin:alpha=0.0001");
  const ReplayResult result = Replay(*detector, stream);
  const long first = testing::FirstDriftFrom(result, 3000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 3000, 40);  // the newest 30 values must mostly come from the new regime
}

TEST(Kswin, SignalsDriftWhenVarianceGrowsAtSameMean) {
  StreamRng rng(52);
  const auto stream = Concat(GaussianStream(rng, 3000, 0.0, 0.2), GaussianStream(rng, 3000, 0.0, 3.0));
  auto detector = MakeOrDie("kswin:alpha=0.0001");
  const long first = testing::FirstDriftFrom(Replay(*detector, stream), 3000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 3000, 60);
}

TEST(Kswin, FalseAlarmsStayNearAlphaOnStationaryStream) {
  StreamRng rng(53);
  auto detector = MakeOrDie("kswin:alpha=0.0001");
  // One test per update, each false with probability <= alpha: about 10 per 100k, though overlapping
  // windows make alarms cluster. Measured 8; a wrong p-value would give hundreds.
  EXPECT_LE(Replay(*detector, GaussianStream(rng, 100000, 0.0, 1.0)).drifts.size(), 20U);
}

TEST(Kswin, SameSeedGivesSameSignalsAndDifferentSeedsSameRegion) {
  StreamRng rng(54);
  const auto stream = Concat(GaussianStream(rng, 2000, 0.0, 1.0), GaussianStream(rng, 2000, 1.5, 1.0));
  const auto a = Replay(*MakeOrDie("kswin:alpha=0.0001,seed=7"), stream);
  const auto b = Replay(*MakeOrDie("kswin:alpha=0.0001,seed=7"), stream);
  EXPECT_EQ(a.drifts, b.drifts);
  for (const int seed : {1, 2, 3}) {
    const auto other = Replay(*MakeOrDie("kswin:alpha=0.0001,seed=" + std::to_string(seed)), stream);
    const long first = testing::FirstDriftFrom(other, 2000);
    ASSERT_GE(first, 0) << seed;
    EXPECT_LE(first - 2000, 60) << seed;
  }
}

TEST(Kswin, WaitsForFullWindowAndRestartsAfterDrift) {
  auto made = Kswin::Make(Kswin::Params{.alpha = 0.01, .window_size = 60, .stat_size = 20});
  ASSERT_TRUE(made.ok());
  Kswin& kswin = *made.value();
  // 40 zeros then 20 ones: the first test (at the 60th value) compares all-zero with all-one samples.
  for (int i = 0; i < 59; ++i) EXPECT_EQ(kswin.Update(i < 40 ? 0.0 : 1.0), Signal::kNone) << i;
  EXPECT_EQ(kswin.Update(1.0), Signal::kDrift);
  EXPECT_LT(kswin.LastPValue(), 1e-9);
  // After the drift the window starts empty: no test for the next 59 values.
  for (int i = 0; i < 59; ++i) EXPECT_EQ(kswin.Update(i % 2 == 0 ? 5.0 : -5.0), Signal::kNone) << i;
}

}  // namespace
}  // namespace driftgate::detect

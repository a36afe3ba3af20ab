// KSWIN: the exact KS p-value against scipy, seeding, detection and false alarms.
#include "core/detect/kswin.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <span>

#include "core/detect/replay.h"
#include "core/stats/ks.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

using testing::Concat;
using testing::GaussianStream;
using testing::MakeOrDie;
using testing::StreamRng;

TEST(KsTwoSampleEqualSize, MatchesScipyExactPValues) {
  // KSWIN's p-value is the statistics library's exact equal-size KS distribution. scipy 1.10
  // stats.ks_2samp(a, b) for samples of 30 (method auto → exact), D = h / 30; bit-identical.
  EXPECT_EQ(stats::KsExactSfEqualSizes(30, 0), 1.0);
  EXPECT_EQ(stats::KsExactSfEqualSizes(30, 1), 1.0);
  EXPECT_EQ(stats::KsExactSfEqualSizes(30, 5), 0.8079631540901643);
  EXPECT_EQ(stats::KsExactSfEqualSizes(30, 8), 0.23907300248018645);
  EXPECT_EQ(stats::KsExactSfEqualSizes(30, 10), 0.07088798787114439);
  EXPECT_EQ(stats::KsExactSfEqualSizes(30, 15), 0.0008995776840176799);
  EXPECT_EQ(stats::KsExactSfEqualSizes(30, 30), 1.6911233892144742e-17);
  EXPECT_EQ(stats::KsExactSfEqualSizes(100, 25), 0.0037294923618311367);
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

TEST(KswinSampler, SplitMix64MatchesReferenceOutputs) {
  // Vigna's splitmix64.c from state 0 (also tests/data/river_model/river_model.py's SplitMix64).
  SplitMix64 rng{.state = 0};
  EXPECT_EQ(rng.Next(), 0xe220a8397b1dcdafULL);
  EXPECT_EQ(rng.Next(), 0x6e789e6aa1b965f4ULL);
  EXPECT_EQ(rng.Next(), 0x06c45d188009454fULL);
}

TEST(KswinSampler, DrawMatchesPeerModelDraw) {
  // river_model.py: SplitMix64(7).sample(70, 30), twice — the draws KSWIN(seed=7) makes at its first
  // two tests with the default window (100) and statistic size (30).
  SplitMix64 rng{.state = 7};
  std::vector<std::uint32_t> scratch;
  DrawWithoutReplacement(rng, 70, 30, scratch);
  const std::vector<std::uint32_t> first(scratch.begin(), scratch.begin() + 30);
  EXPECT_EQ(first, (std::vector<std::uint32_t>{37, 64, 48, 55, 44, 50, 60, 28, 15, 12, 53, 20, 16, 14, 6,
                                               65, 17, 4,  27, 23, 63, 0,  51, 52, 34, 3,  32, 10, 61, 1}));
  DrawWithoutReplacement(rng, 70, 30, scratch);
  EXPECT_EQ(std::vector<std::uint32_t>(scratch.begin(), scratch.begin() + 5),
            (std::vector<std::uint32_t>{32, 3, 18, 69, 31}));
}

TEST(KswinSampler, DrawsDistinctPositionsUniformly) {
  // 7,000 draws of 30 of 70 positions: each position is drawn with probability 3/7, 3,000 times expected,
  // standard deviation 41. Five standard deviations allow 207; a draw that favours low positions (a plain
  // modulo of a narrower generator, a Fisher–Yates step over the whole range) misses by far more.
  SplitMix64 rng{.state = 12345};
  std::vector<std::uint32_t> scratch;
  std::vector<int> picks(70, 0);
  for (int draw = 0; draw < 7000; ++draw) {
    DrawWithoutReplacement(rng, 70, 30, scratch);
    std::vector<std::uint32_t> chosen(scratch.begin(), scratch.begin() + 30);
    std::sort(chosen.begin(), chosen.end());
    ASSERT_EQ(std::adjacent_find(chosen.begin(), chosen.end()), chosen.end()) << "repeated position";
    ASSERT_LT(chosen.back(), 70U);
    for (const std::uint32_t i : chosen) ++picks[i];
  }
  for (std::size_t i = 0; i < picks.size(); ++i) EXPECT_NEAR(picks[i], 3000, 207) << "position " << i;
}

TEST(Kswin, RestartsEmptyAndReseededAfterDrift) {
  // After a drift the detector must behave exactly like a new one fed the elements that follow: window
  // emptied, generator back at its seed. seed=1 drifts at 213 and 1016 on this stream (pinned below).
  const auto stream = testing::ReadNumbers(testing::RiverDataDir() / "skmultiflow_drift_stream.csv");
  const auto whole = Replay(*MakeOrDie("kswin:seed=1"), stream);
  ASSERT_EQ(whole.drifts, (std::vector<std::size_t>{213, 1016}));
  const auto rest = Replay(*MakeOrDie("kswin:seed=1"), std::span(stream).subspan(214));
  EXPECT_EQ(rest.drifts, (std::vector<std::size_t>{1016 - 214}));
}

TEST(Kswin, WholeAlarmListsMatchPeerModelOnReferenceStreams) {
  // River's KSWIN logic and scipy's ks_2samp p-value, with driftgate's sampler, run by
  // tests/data/river_model/river_model.py on the published reference streams: every alarm, in order.
  const auto cases = testing::ReadJson(std::filesystem::path(DRIFTGATE_TEST_DATA) / "river_model" /
                                       "kswin_reference_streams.json");
  ASSERT_GE(cases.size(), 4U);
  for (const auto& c : cases) {
    std::string spec = c.at("detector").get<std::string>();
    spec.erase(spec.find(",sampler=splitmix"));
    const auto stream = testing::ReadNumbers(testing::RiverDataDir() / c.at("stream").get<std::string>());
    EXPECT_EQ(Replay(*MakeOrDie(spec), stream).drifts, c.at("drifts").get<std::vector<std::size_t>>())
        << spec << " on " << c.at("stream");
  }
}

}  // namespace
}  // namespace driftgate::detect

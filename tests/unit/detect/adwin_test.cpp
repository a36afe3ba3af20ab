// ADWIN behaviour beyond the reference files: false alarms, detection delay, window after the cut, clock,
// grace period and River's restart after a drift.
#include "core/detect/adwin.h"

#include <gtest/gtest.h>

#include "core/detect/replay.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

using testing::BernoulliStream;
using testing::Concat;
using testing::GaussianStream;
using testing::MakeOrDie;
using testing::StreamRng;

TEST(Adwin, StaysSilentOnLongStationaryErrorStream) {
  StreamRng rng(11);
  auto adwin = MakeOrDie("adwin");
  // delta = 0.002 bounds the false-alarm probability per test; over 100k elements ADWIN gives none here.
  EXPECT_LE(Replay(*adwin, BernoulliStream(rng, 100000, 0.2)).drifts.size(), 1U);
}

TEST(Adwin, StaysSilentOnLongStationaryGaussianStream) {
  StreamRng rng(12);
  auto adwin = MakeOrDie("adwin");
  EXPECT_LE(Replay(*adwin, GaussianStream(rng, 100000, 5.0, 1.0)).drifts.size(), 1U);
}

TEST(Adwin, SignalsDriftWhenErrorRateJumps) {
  StreamRng rng(1);
  const auto stream = Concat(BernoulliStream(rng, 5000, 0.2), BernoulliStream(rng, 5000, 0.5));
  auto adwin = MakeOrDie("adwin");
  const ReplayResult result = Replay(*adwin, stream);
  EXPECT_EQ(testing::DriftsBefore(result, 5000), 0U);
  const long first = testing::FirstDriftFrom(result, 5000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 5000, 300);  // measured 55–119 over five seeds
}

TEST(Adwin, SignalsDriftOnGradualIncrease) {
  StreamRng rng(2);
  std::vector<double> stream = BernoulliStream(rng, 5000, 0.2);
  for (int i = 0; i < 5000; ++i) stream.push_back(rng.Bernoulli(i < 2000 ? 0.2 + 0.4 * i / 2000.0 : 0.6));
  auto adwin = MakeOrDie("adwin");
  const ReplayResult result = Replay(*adwin, stream);
  EXPECT_EQ(testing::DriftsBefore(result, 5000), 0U);
  const long first = testing::FirstDriftFrom(result, 5000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 5000, 1200);  // the ramp takes 2000 elements; measured 471–727
}

TEST(Adwin, KeepsOnlyRecentElementsAfterDrift) {
  StreamRng rng(3);
  const auto stream = Concat(GaussianStream(rng, 5000, 0.0, 1.0), GaussianStream(rng, 5000, 2.0, 1.0));
  auto adwin = MakeOrDie("adwin");
  std::size_t i = 0;
  while (i < stream.size() && adwin->Update(stream[i]) != Signal::kDrift) ++i;
  ASSERT_LT(i, stream.size());
  ASSERT_GE(i, 5000U);
  // The cut drops the old regime: a handful of buckets around the change point remain, not 5000 elements.
  EXPECT_GE(adwin->ElementsSinceChange(), i - 5000 + 1);
  EXPECT_LE(adwin->ElementsSinceChange(), 256U);
}

TEST(Adwin, RestartsEmptyOnUpdateAfterDrift) {
  auto made = Adwin::Make(Adwin::Params{.clock = 1});
  ASSERT_TRUE(made.ok());
  Adwin& adwin = *made.value();
  for (int i = 0; i < 500; ++i) adwin.Update(0.0);
  int i = 0;
  while (i < 500 && adwin.Update(100.0) != Signal::kDrift) ++i;
  ASSERT_LT(i, 500);
  adwin.Update(50.0);
  EXPECT_EQ(adwin.Width(), 1.0);  // River: the update after a drift starts a fresh window
  EXPECT_EQ(adwin.Estimation(), 50.0);
}

TEST(Adwin, TestsOnlyEveryClockUpdates) {
  StreamRng rng(4);
  const auto stream = Concat(BernoulliStream(rng, 2000, 0.1), BernoulliStream(rng, 2000, 0.9));
  for (const int clock : {1, 7, 32}) {
    auto adwin = MakeOrDie("adwin:clock=" + std::to_string(clock));
    const ReplayResult result = Replay(*adwin, stream);
    ASSERT_FALSE(result.drifts.empty()) << "clock " << clock;
    // The first test after a fresh start happens at update number k · clock.
    EXPECT_EQ((result.drifts[0] + 1) % static_cast<std::size_t>(clock), 0U) << "clock " << clock;
  }
}

TEST(Adwin, HonoursGracePeriod) {
  auto adwin = MakeOrDie("adwin:grace_period=100,clock=1");
  for (int i = 0; i < 50; ++i) EXPECT_EQ(adwin->Update(0.0), Signal::kNone);
  for (int i = 0; i < 50; ++i) EXPECT_EQ(adwin->Update(1000.0), Signal::kNone) << i;
  // Past the grace period the same jump is found.
  EXPECT_EQ(adwin->Update(1000.0), Signal::kDrift);
}

TEST(Adwin, TracksWidthAndMeanWithoutChange) {
  auto made = Adwin::Make(Adwin::Params{});
  ASSERT_TRUE(made.ok());
  Adwin& adwin = *made.value();
  for (int i = 1; i <= 1000; ++i) {
    adwin.Update(static_cast<double>(i % 7));
    ASSERT_EQ(adwin.Width(), static_cast<double>(i));
  }
  EXPECT_NEAR(adwin.Estimation(), 3.0, 0.01);
  EXPECT_EQ(adwin.ElementsSinceChange(), 1000U);
}

TEST(Adwin, IgnoresNonFiniteValues) {
  auto made = Adwin::Make(Adwin::Params{});
  ASSERT_TRUE(made.ok());
  Adwin& adwin = *made.value();
  adwin.Update(1.0);
  EXPECT_EQ(adwin.Update(std::numeric_limits<double>::quiet_NaN()), Signal::kNone);
  EXPECT_EQ(adwin.Update(std::numeric_limits<double>::infinity()), Signal::kNone);
  EXPECT_EQ(adwin.Width(), 1.0);
}

}  // namespace
}  // namespace driftgate::detect

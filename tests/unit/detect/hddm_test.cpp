// HDDM_A and HDDM_W behaviour beyond the reference files.
#include <gtest/gtest.h>

#include <string>

#include "core/detect/replay.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

using testing::BernoulliStream;
using testing::Concat;
using testing::MakeOrDie;
using testing::StreamRng;

class Hddm : public ::testing::TestWithParam<std::string> {};

TEST_P(Hddm, FalseAlarmsStayRareOnStationaryStream) {
  StreamRng rng(31);
  auto detector = MakeOrDie(GetParam());
  EXPECT_LE(Replay(*detector, BernoulliStream(rng, 100000, 0.1)).drifts.size(), 2U);  // measured 0
}

TEST_P(Hddm, SignalsDriftWhenErrorRateJumps) {
  StreamRng rng(1);
  const auto stream = Concat(BernoulliStream(rng, 5000, 0.2), BernoulliStream(rng, 5000, 0.5));
  auto detector = MakeOrDie(GetParam());
  const ReplayResult result = Replay(*detector, stream);
  EXPECT_LE(testing::DriftsBefore(result, 5000), 1U);
  const long first = testing::FirstDriftFrom(result, 5000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 5000, 150);  // measured 34–67
}

TEST_P(Hddm, SignalsDriftOnGradualIncrease) {
  StreamRng rng(2);
  std::vector<double> stream = BernoulliStream(rng, 5000, 0.2);
  for (int i = 0; i < 5000; ++i) stream.push_back(rng.Bernoulli(i < 2000 ? 0.2 + 0.4 * i / 2000.0 : 0.6));
  auto detector = MakeOrDie(GetParam());
  const ReplayResult result = Replay(*detector, stream);
  const long first = testing::FirstDriftFrom(result, 5000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 5000, 1200);  // measured 440–590
}

TEST_P(Hddm, OnlyTwoSidedTestSignalsFallingErrorRate) {
  StreamRng rng(6);
  const auto stream = Concat(BernoulliStream(rng, 3000, 0.6), BernoulliStream(rng, 3000, 0.1));
  auto one_sided = MakeOrDie(GetParam());
  auto two_sided = MakeOrDie(GetParam() + ":two_sided_test=true");
  EXPECT_EQ(testing::FirstDriftFrom(Replay(*one_sided, stream), 3000), -1);
  const long first = testing::FirstDriftFrom(Replay(*two_sided, stream), 3000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 3000, 300);
}

TEST_P(Hddm, IgnoresValuesOutsideUnitInterval) {
  auto detector = MakeOrDie(GetParam());
  detector->Update(1.0);
  const Snapshot before = detector->Save();
  EXPECT_EQ(detector->Update(3.0), Signal::kNone);
  EXPECT_EQ(detector->Update(std::numeric_limits<double>::quiet_NaN()), Signal::kNone);
  EXPECT_EQ(detector->Save().fields, before.fields);
}

INSTANTIATE_TEST_SUITE_P(BothTests, Hddm, ::testing::Values("hddm_a", "hddm_w"));

TEST(HddmW, WarnsBeforeItSignalsDrift) {
  StreamRng rng(1);
  const auto stream = Concat(BernoulliStream(rng, 5000, 0.2), BernoulliStream(rng, 5000, 0.5));
  auto detector = MakeOrDie("hddm_w");
  const ReplayResult result = Replay(*detector, stream);
  const long first = testing::FirstDriftFrom(result, 5000);
  ASSERT_GE(first, 0);
  bool warned = false;
  for (const std::size_t w : result.warnings) warned = warned || (w >= 5000 && static_cast<long>(w) < first);
  EXPECT_TRUE(warned);
}

}  // namespace
}  // namespace driftgate::detect

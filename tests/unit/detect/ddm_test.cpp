// DDM and EDDM behaviour beyond the reference files.
#include <gtest/gtest.h>

#include "core/detect/replay.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

using testing::BernoulliStream;
using testing::Concat;
using testing::MakeOrDie;
using testing::StreamRng;

TEST(Ddm, FalseAlarmsStayRareOnStationaryStream) {
  StreamRng rng(21);
  auto ddm = MakeOrDie("ddm");
  // DDM's minimum keeps falling slowly on a stationary stream, so rare alarms happen (measured 0–2 per 100k).
  EXPECT_LE(Replay(*ddm, BernoulliStream(rng, 100000, 0.2)).drifts.size(), 3U);
}

TEST(Ddm, SignalsDriftWhenErrorRateJumps) {
  StreamRng rng(1);
  const auto stream = Concat(BernoulliStream(rng, 5000, 0.2), BernoulliStream(rng, 5000, 0.5));
  auto ddm = MakeOrDie("ddm");
  const ReplayResult result = Replay(*ddm, stream);
  EXPECT_EQ(testing::DriftsBefore(result, 5000), 0U);
  const long first = testing::FirstDriftFrom(result, 5000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 5000, 500);  // measured 199 for this seed
}

TEST(Ddm, WarnsBeforeItSignalsDrift) {
  StreamRng rng(1);
  const auto stream = Concat(BernoulliStream(rng, 5000, 0.2), BernoulliStream(rng, 5000, 0.5));
  auto ddm = MakeOrDie("ddm");
  const ReplayResult result = Replay(*ddm, stream);
  const long first = testing::FirstDriftFrom(result, 5000);
  ASSERT_GE(first, 0);
  bool warned = false;
  for (const std::size_t w : result.warnings) warned = warned || (w >= 5000 && static_cast<long>(w) < first);
  EXPECT_TRUE(warned);
  // The drift update clears the warning flag (River's DDM).
  for (const std::size_t w : result.warnings) EXPECT_NE(static_cast<long>(w), first);
}

TEST(Ddm, SignalsDriftOnGradualIncrease) {
  StreamRng rng(2);
  std::vector<double> stream = BernoulliStream(rng, 5000, 0.1);
  for (int i = 0; i < 5000; ++i) stream.push_back(rng.Bernoulli(i < 2000 ? 0.1 + 0.5 * i / 2000.0 : 0.6));
  auto ddm = MakeOrDie("ddm");
  const ReplayResult result = Replay(*ddm, stream);
  const long first = testing::FirstDriftFrom(result, 5000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 5000, 1500);  // measured 752; the ramp lasts 2000
}

TEST(Ddm, StaysSilentDuringWarmStart) {
  auto ddm = MakeOrDie("ddm:warm_start=30");
  for (int i = 0; i < 30; ++i) EXPECT_EQ(ddm->Update(i < 25 ? 0.0 : 1.0), Signal::kNone) << i;
}

TEST(Ddm, IgnoresValuesOutsideUnitInterval) {
  auto ddm = MakeOrDie("ddm");
  const Snapshot before = ddm->Save();
  EXPECT_EQ(ddm->Update(2.0), Signal::kNone);
  EXPECT_EQ(ddm->Update(-1.0), Signal::kNone);
  EXPECT_EQ(ddm->Save().fields, before.fields);
}

TEST(Eddm, SignalsDriftWhenErrorsComeCloserTogether) {
  StreamRng rng(5);
  const auto stream = Concat(BernoulliStream(rng, 5000, 0.05), BernoulliStream(rng, 5000, 0.5));
  auto eddm = MakeOrDie("eddm");
  const ReplayResult result = Replay(*eddm, stream);
  const long first = testing::FirstDriftFrom(result, 5000);
  ASSERT_GE(first, 0);
  EXPECT_LE(first - 5000, 200);
}

TEST(Eddm, FalseAlarmRateIsBoundedOnStationaryStream) {
  StreamRng rng(22);
  auto eddm = MakeOrDie("eddm");
  // EDDM with its default levels alarms far more often than DDM on stationary streams (it restarts after
  // every alarm and must re-learn the maximum); River's behaves the same. Measured 5 here, 2–100 per 100k
  // across seeds and error rates; an EDDM that alarms on every near pair of errors would give thousands.
  EXPECT_LE(Replay(*eddm, BernoulliStream(rng, 100000, 0.2)).drifts.size(), 20U);
  auto lenient = MakeOrDie("eddm:alpha=0.8,beta=0.75");
  StreamRng rng2(22);
  EXPECT_LE(Replay(*lenient, BernoulliStream(rng2, 100000, 0.2)).drifts.size(), 5U);
}

TEST(Eddm, NeedsWarmStartErrorsBeforeSignalling) {
  auto eddm = MakeOrDie("eddm:warm_start=30");
  // Thirty errors far apart, then errors back to back: no decision before the 31st error.
  int errors = 0;
  for (int i = 0; i < 2000 && errors < 30; ++i) {
    const double x = (i % 50 == 0) ? 1.0 : 0.0;
    errors += x == 1.0 ? 1 : 0;
    EXPECT_EQ(eddm->Update(x), Signal::kNone);
  }
}

}  // namespace
}  // namespace driftgate::detect

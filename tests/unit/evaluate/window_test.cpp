// The KPI window (README.md, "What it does"): the last `evaluation.window` pairs in arrival order; when a
// detector signals drift it restarts at the change point (the detector's ElementsSinceChange()).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "core/evaluate/evaluator.h"
#include "tests/unit/evaluate/evaluate_test_data.h"

namespace driftgate::evaluate {
namespace {

using testing::Concat;
using testing::Config;
using testing::EvaluateBatch;
using testing::Events;
using testing::Fresh;
using testing::kSecond;
using testing::kT0;
using testing::PeriodicErrors;
using testing::WithAccuracy;

// Regression pairs tagged by their position: predicted_value = first + i.
std::vector<kpi::Pair> Numbered(std::size_t n, std::size_t first = 0) {
  std::vector<kpi::Pair> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(testing::Regressed(static_cast<double>(first + i), 0.0));
  return out;
}

std::vector<double> Tags(const State& state) {
  std::vector<double> tags;
  for (const auto& p : state.window) tags.push_back(p.predicted_value);
  return tags;
}

std::vector<double> Range(std::size_t first, std::size_t end) {
  std::vector<double> out;
  for (std::size_t i = first; i < end; ++i) out.push_back(static_cast<double>(i));
  return out;
}

// 2000 pairs at 5 % errors then 600 at 60 %: ADWIN (defaults) drifts once, shortly after the change.
std::vector<kpi::Pair> AbruptChange() { return Concat(PeriodicErrors(2000, 1), PeriodicErrors(600, 12)); }

domain::ModelConfig AdwinConfig(std::vector<domain::KpiSpec> kpis, std::size_t window = 1000) {
  auto config = Config(kpi::Task::kBinary, std::move(kpis), window, 300);
  config.detectors = {testing::Detector("adwin")};
  return config;
}

TEST(EvaluatorWindow, NeverHoldsMoreThanTheConfiguredWindow) {
  const auto config = Config(kpi::Task::kBinary, {testing::Min(kpi::Metric::kAccuracy, 0.5)}, 700, 300);
  State state = Fresh(config);
  std::size_t total = 0;
  for (int batch = 0; batch < 10; ++batch) {
    const Outcome out = EvaluateBatch(
        config, state, Events(WithAccuracy(300, 290), kT0 + static_cast<std::int64_t>(total) * kSecond));
    total += 300;
    EXPECT_EQ(out.n, std::min<std::size_t>(total, 700)) << "batch " << batch;
    EXPECT_EQ(state.window.size(), out.n);
    ASSERT_EQ(out.kpis.size(), 1U);
    EXPECT_EQ(out.kpis[0].estimate.n, out.n);
  }
  // One batch much larger than the window.
  const Outcome big = EvaluateBatch(config, state, Events(WithAccuracy(5000, 4900)));
  EXPECT_EQ(big.n, 700U);
  EXPECT_EQ(state.window.size(), 700U);
}

TEST(EvaluatorWindow, KeepsTheMostRecentPairsInArrivalOrder) {
  const auto config = Config(kpi::Task::kRegression, {}, 3, 1);
  State state = Fresh(config);
  EXPECT_EQ(EvaluateBatch(config, state, Events(Numbered(2))).n, 2U);
  EXPECT_EQ(Tags(state), Range(0, 2));
  EXPECT_EQ(EvaluateBatch(config, state, Events(Numbered(3, 2))).n, 3U);
  EXPECT_EQ(Tags(state), Range(2, 5));
  // A batch several times the capacity.
  EXPECT_EQ(EvaluateBatch(config, state, Events(Numbered(1000, 5))).n, 3U);
  EXPECT_EQ(Tags(state), Range(1002, 1005));
}

TEST(EvaluatorWindow, KpisAreComputedOverTheWindowOnly) {
  const auto config = Config(kpi::Task::kBinary, {testing::Min(kpi::Metric::kAccuracy, 0.85)}, 200, 100);
  State state = Fresh(config);
  const Outcome bad = EvaluateBatch(config, state, Events(WithAccuracy(200, 0)));
  EXPECT_EQ(bad.action, Action::kRetrain);
  const Outcome good = EvaluateBatch(config, state, Events(WithAccuracy(200, 200), kT0 + 200 * kSecond));
  ASSERT_EQ(good.kpis.size(), 1U);
  EXPECT_EQ(good.kpis[0].estimate.n, 200U);
  EXPECT_DOUBLE_EQ(good.kpis[0].estimate.value, 1.0);
  EXPECT_EQ(good.action, Action::kNone);
}

TEST(EvaluatorWindow, AdwinDriftRaisesAlarmAndRestartsWindowAtTheChangePoint) {
  const auto config = AdwinConfig({});
  const auto pairs = AbruptChange();
  const auto oracle = testing::StandaloneDrifts(config.detectors[0], config.task, config.error_metric, pairs);
  ASSERT_EQ(oracle.size(), 1U);
  const std::size_t d = oracle[0].index;
  const std::size_t kept = oracle[0].kept;
  ASSERT_GE(d, 2000U);  // no false alarm before the change
  ASSERT_GT(kept, 0U);

  State state = Fresh(config);
  const auto events = Events(pairs);
  const Outcome out = EvaluateBatch(config, state, events);

  const std::size_t expected_n = kept + (pairs.size() - 1 - d);
  EXPECT_EQ(out.n, expected_n);
  EXPECT_LT(out.n, 1000U);
  EXPECT_EQ(state.window.size(), expected_n);
  const auto drifts = testing::Drifts(out);
  ASSERT_EQ(drifts.size(), 1U);
  EXPECT_EQ(drifts[0]->detector, "adwin");
  EXPECT_EQ(drifts[0]->detector_index, 0U);
  EXPECT_EQ(drifts[0]->at_us, events[d].ts_us);
  EXPECT_EQ(drifts[0]->window_kept, kept);
  EXPECT_EQ(out.action, Action::kWarn);
  EXPECT_EQ(out.reason_code, "warn:detector:adwin");
  EXPECT_TRUE(out.decision_due);
}

TEST(EvaluatorWindow, WindowAfterDriftIsTheSameWhateverTheBatching) {
  const auto config = AdwinConfig({});
  const auto pairs = AbruptChange();
  const auto events = Events(pairs);
  State whole = Fresh(config);
  const Outcome one = EvaluateBatch(config, whole, events);

  State batched = Fresh(config);
  Outcome last;
  std::size_t drift_alarms = 0;
  for (std::size_t i = 0; i < events.size(); i += 100) {
    const std::vector<LabeledEvent> batch(
        events.begin() + static_cast<std::ptrdiff_t>(i),
        events.begin() + static_cast<std::ptrdiff_t>(std::min(i + 100, events.size())));
    last = EvaluateBatch(config, batched, batch);
    drift_alarms += testing::Drifts(last).size();
  }
  EXPECT_EQ(drift_alarms, 1U);
  EXPECT_EQ(last.n, one.n);
  EXPECT_EQ(batched.window.size(), whole.window.size());
}

TEST(EvaluatorWindow, KpiAfterDriftReflectsOnlyTheNewRegime) {
  const auto config = AdwinConfig({testing::Min(kpi::Metric::kAccuracy, 0.85)});
  const auto pairs = AbruptChange();
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(pairs));
  ASSERT_EQ(testing::Drifts(out).size(), 1U);
  ASSERT_EQ(out.kpis.size(), 1U);
  // The accuracy over exactly the last n pairs.
  std::size_t correct = 0;
  for (std::size_t i = pairs.size() - out.n; i < pairs.size(); ++i)
    correct += pairs[i].predicted == pairs[i].actual;
  EXPECT_EQ(out.kpis[0].estimate.n, out.n);
  EXPECT_DOUBLE_EQ(out.kpis[0].estimate.value, static_cast<double>(correct) / static_cast<double>(out.n));
  EXPECT_LT(out.kpis[0].estimate.value, 0.5);
  // A confirmed breach outranks the detector warning.
  EXPECT_EQ(out.action, Action::kRetrain);
  EXPECT_EQ(out.reason_code, "retrain:accuracy");
  EXPECT_TRUE(out.decision_due);
}

TEST(EvaluatorWindow, DetectorThatResetsCompletelyEmptiesTheWindow) {
  auto config = Config(kpi::Task::kBinary, {}, 5000, 300);
  config.detectors = {testing::Detector("ddm")};
  const auto pairs = AbruptChange();
  const auto oracle = testing::StandaloneDrifts(config.detectors[0], config.task, config.error_metric, pairs);
  ASSERT_EQ(oracle.size(), 1U);
  ASSERT_GE(oracle[0].index, 2000U);
  EXPECT_EQ(oracle[0].kept, 0U);
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(pairs));
  EXPECT_EQ(out.n, pairs.size() - 1 - oracle[0].index);
  const auto drifts = testing::Drifts(out);
  ASSERT_EQ(drifts.size(), 1U);
  EXPECT_EQ(drifts[0]->detector, "ddm");
  EXPECT_EQ(drifts[0]->window_kept, 0U);
  EXPECT_EQ(out.reason_code, "warn:detector:ddm");
}

TEST(EvaluatorWindow, DetectorsDriftingOnTheSamePairKeepTheShortestNewRegime) {
  auto config = Config(kpi::Task::kBinary, {}, 5000, 300);
  // Two ADWINs that cut on the same pair but keep different widths; the wider one comes last.
  config.detectors = {testing::Detector("adwin", {{"max_buckets", 5.0}}),
                      testing::Detector("adwin", {{"max_buckets", 2.0}})};
  const auto pairs = AbruptChange();
  const auto narrow = testing::StandaloneDrifts(config.detectors[0], config.task, config.error_metric, pairs);
  const auto wide = testing::StandaloneDrifts(config.detectors[1], config.task, config.error_metric, pairs);
  ASSERT_EQ(narrow.size(), 1U);
  ASSERT_EQ(wide.size(), 1U);
  ASSERT_EQ(narrow[0].index, wide[0].index);
  ASSERT_LT(narrow[0].kept, wide[0].kept);

  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(pairs));
  EXPECT_EQ(out.n, narrow[0].kept + (pairs.size() - 1 - narrow[0].index));
  const auto drifts = testing::Drifts(out);
  ASSERT_EQ(drifts.size(), 2U);
  EXPECT_EQ(drifts[0]->detector_index, 0U);
  EXPECT_EQ(drifts[1]->detector_index, 1U);
  for (const auto* a : drifts) EXPECT_EQ(a->window_kept, narrow[0].kept);
  EXPECT_EQ(out.reason_code, "warn:detector:adwin");  // one name, listed once
}

// The reported window_kept is what the window kept, so never more than the window's capacity, and it does
// not depend on how the pairs were split into batches.
TEST(EvaluatorWindow, WindowKeptNeverExceedsTheWindowCapacity) {
  const auto config = AdwinConfig({}, 50);
  const auto pairs = AbruptChange();
  const auto oracle = testing::StandaloneDrifts(config.detectors[0], config.task, config.error_metric, pairs);
  ASSERT_EQ(oracle.size(), 1U);
  ASSERT_GT(oracle[0].kept, 50U);  // ADWIN keeps more than the KPI window holds
  const auto events = Events(pairs);

  State whole = Fresh(config);
  const Outcome one = EvaluateBatch(config, whole, events);
  State single = Fresh(config);
  std::vector<Alarm> singles;
  for (const auto& ev : events) {
    const Outcome out = EvaluateBatch(config, single, std::vector<LabeledEvent>{ev});
    for (const auto* a : testing::Drifts(out)) singles.push_back(*a);
    EXPECT_LE(out.n, 50U);
  }
  const auto drifts = testing::Drifts(one);
  ASSERT_EQ(drifts.size(), 1U);
  ASSERT_EQ(singles.size(), 1U);
  EXPECT_LE(drifts[0]->window_kept, 50U);
  EXPECT_EQ(drifts[0]->window_kept, singles[0].window_kept);
  EXPECT_EQ(one.n, 50U);
}

}  // namespace
}  // namespace driftgate::evaluate

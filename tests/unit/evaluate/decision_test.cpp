// When a decision is due (README.md, "What it does": "A decision is written when the action or its reason
// changes"), not on every evaluation: on a change of reason code, on every retrain, on every new detector
// drift.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "core/evaluate/evaluator.h"
#include "tests/unit/evaluate/evaluate_test_data.h"

namespace driftgate::evaluate {
namespace {

using testing::AccuracyConfig;
using testing::EvaluateBatch;
using testing::Events;
using testing::Fresh;
using testing::kSecond;
using testing::kT0;
using testing::WithAccuracy;

// Feeds consecutive batches with increasing data time.
class Feeder {
 public:
  explicit Feeder(domain::ModelConfig config) : config_(std::move(config)), state_(Fresh(config_)) {}

  Outcome Feed(const std::vector<kpi::Pair>& pairs, const PolicyFacts& facts = PolicyFacts{}) {
    const Outcome out = EvaluateBatch(config_, state_, Events(pairs, next_ts_), facts);
    next_ts_ += static_cast<std::int64_t>(pairs.size()) * kSecond;
    return out;
  }
  const State& state() const { return state_; }

 private:
  domain::ModelConfig config_;
  State state_;
  std::int64_t next_ts_ = kT0;
};

TEST(EvaluatorDecision, DueWhenReasonChangesAndNotWhenItRepeats) {
  Feeder feeder(AccuracyConfig(0.85));  // window 1000, min_samples 300

  const Outcome first = feeder.Feed(WithAccuracy(100, 50));  // n 100, accuracy 0.5: unconfirmed
  EXPECT_EQ(first.reason_code, "warn:unconfirmed:accuracy");
  EXPECT_TRUE(first.decision_due);
  EXPECT_EQ(feeder.state().last_action, Action::kWarn);
  EXPECT_EQ(feeder.state().last_reason_code, "warn:unconfirmed:accuracy");

  const Outcome same = feeder.Feed(WithAccuracy(50, 25));  // n 150: still unconfirmed
  EXPECT_EQ(same.reason_code, "warn:unconfirmed:accuracy");
  EXPECT_FALSE(same.decision_due);

  const Outcome again = feeder.Feed(WithAccuracy(10, 5));  // n 160
  EXPECT_EQ(again.reason_code, "warn:unconfirmed:accuracy");
  EXPECT_FALSE(again.decision_due);

  const Outcome confirmed = feeder.Feed(WithAccuracy(200, 100));  // n 360, accuracy 0.5: confirmed
  EXPECT_EQ(confirmed.action, Action::kRetrain);
  EXPECT_TRUE(confirmed.decision_due);
}

TEST(EvaluatorDecision, RetrainIsAlwaysDueEvenWhenItRepeats) {
  Feeder feeder(AccuracyConfig(0.85));
  const Outcome a = feeder.Feed(WithAccuracy(400, 200));
  const Outcome b = feeder.Feed(WithAccuracy(10, 5));
  const Outcome c = feeder.Feed(WithAccuracy(10, 5));
  for (const Outcome* out : {&a, &b, &c}) {
    EXPECT_EQ(out->action, Action::kRetrain);
    EXPECT_EQ(out->reason_code, "retrain:accuracy");
    EXPECT_TRUE(out->decision_due);
  }
}

TEST(EvaluatorDecision, SuppressedIsDueOnceThenOnlyWhenItsReasonChanges) {
  Feeder feeder(AccuracyConfig(0.85));
  PolicyFacts in_flight;
  in_flight.retrain_in_flight = true;
  PolicyFacts budget_used;
  budget_used.retrains_last_24h = 3;

  const Outcome retrain = feeder.Feed(WithAccuracy(400, 200));
  EXPECT_EQ(retrain.action, Action::kRetrain);
  const Outcome s1 = feeder.Feed(WithAccuracy(10, 5), in_flight);
  EXPECT_EQ(s1.reason_code, "suppressed:in_flight");
  EXPECT_TRUE(s1.decision_due);
  const Outcome s2 = feeder.Feed(WithAccuracy(10, 5), in_flight);
  EXPECT_EQ(s2.reason_code, "suppressed:in_flight");
  EXPECT_FALSE(s2.decision_due);
  const Outcome s3 = feeder.Feed(WithAccuracy(10, 5), budget_used);
  EXPECT_EQ(s3.reason_code, "suppressed:budget");
  EXPECT_TRUE(s3.decision_due);
  const Outcome s4 = feeder.Feed(WithAccuracy(10, 5), budget_used);
  EXPECT_FALSE(s4.decision_due);
}

TEST(EvaluatorDecision, RecoveryToNoneIsDueOnceThenQuiet) {
  Feeder feeder(AccuracyConfig(0.85));
  const Outcome bad = feeder.Feed(WithAccuracy(100, 50));
  EXPECT_EQ(bad.action, Action::kWarn);
  const Outcome recovered = feeder.Feed(WithAccuracy(1000, 980));  // the window is now all good pairs
  EXPECT_EQ(recovered.action, Action::kNone);
  EXPECT_EQ(recovered.reason_code, "none:ok");
  EXPECT_TRUE(recovered.decision_due);
  const Outcome quiet = feeder.Feed(WithAccuracy(100, 98));
  EXPECT_EQ(quiet.action, Action::kNone);
  EXPECT_FALSE(quiet.decision_due);
}

TEST(EvaluatorDecision, ChangeOfUnconfirmedMetricSetIsDue) {
  // The reason code names the metrics: a second metric going wrong changes it.
  auto config = testing::Config(kpi::Task::kBinary, {testing::Min(kpi::Metric::kAccuracy, 0.85),
                                                     testing::Min(kpi::Metric::kRecall, 0.9)});
  Feeder feeder(config);
  // 100 pairs, all predicted "1": 80 right. accuracy 0.8 (wrong side), recall 1.0 (fine).
  std::vector<kpi::Pair> first;
  for (int i = 0; i < 100; ++i) first.push_back(testing::Classified("1", i % 5 == 0 ? "0" : "1"));
  const Outcome a = feeder.Feed(first);
  EXPECT_EQ(a.reason_code, "warn:unconfirmed:accuracy");
  EXPECT_TRUE(a.decision_due);
  // 20 more actual-positive pairs predicted "0": recall 80/100 = 0.8 now wrong side too; n 120 < 300.
  std::vector<kpi::Pair> second(20, testing::Classified("0", "1"));
  const Outcome b = feeder.Feed(second);
  EXPECT_EQ(b.action, Action::kWarn);
  EXPECT_EQ(b.reason_code, "warn:unconfirmed:accuracy,recall");
  EXPECT_TRUE(b.decision_due);
}

TEST(EvaluatorDecision, EveryNewDetectorDriftIsDueEvenWithTheSameReasonCode) {
  auto config = testing::Config(kpi::Task::kBinary, {});
  config.detectors = {testing::Detector("adwin")};
  // 5 % errors, 60 % errors, 5 % errors: ADWIN drifts once after each change.
  const auto up = testing::Concat(testing::PeriodicErrors(2000, 1), testing::PeriodicErrors(600, 12));
  const auto down = testing::PeriodicErrors(2000, 1);
  const auto oracle = testing::StandaloneDrifts(config.detectors[0], config.task, config.error_metric,
                                                testing::Concat(up, down));
  ASSERT_EQ(oracle.size(), 2U);
  ASSERT_GE(oracle[0].index, 2000U);
  ASSERT_LT(oracle[0].index, 2600U);
  ASSERT_GE(oracle[1].index, 2600U);

  Feeder feeder(config);
  const Outcome first = feeder.Feed(up);
  EXPECT_EQ(first.reason_code, "warn:detector:adwin");
  EXPECT_TRUE(first.decision_due);
  const Outcome second = feeder.Feed(down);
  EXPECT_EQ(second.reason_code, "warn:detector:adwin");
  EXPECT_EQ(testing::Drifts(second).size(), 1U);
  EXPECT_TRUE(second.decision_due);
  // Back to none without a drift: due once because the reason changed, then quiet.
  const Outcome calm = feeder.Feed(testing::PeriodicErrors(200, 1));
  EXPECT_EQ(calm.action, Action::kNone);
  EXPECT_TRUE(calm.decision_due);
  const Outcome quiet = feeder.Feed(testing::PeriodicErrors(200, 1));
  EXPECT_TRUE(testing::Drifts(quiet).empty());
  EXPECT_FALSE(quiet.decision_due);
}

}  // namespace
}  // namespace driftgate::evaluate

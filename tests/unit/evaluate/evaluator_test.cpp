// Breach confirmation (README.md, "What it does"): retrain only when n >= min_samples and the
// whole interval is past the threshold; otherwise at most warn. Min- and max-type KPIs, several KPIs at once,
// and the error value detectors consume.
#include "core/evaluate/evaluator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "core/kpi/intervals.h"
#include "tests/unit/evaluate/evaluate_test_data.h"

namespace driftgate::evaluate {
namespace {

using testing::AccuracyConfig;
using testing::Config;
using testing::EvaluateBatch;
using testing::Events;
using testing::Fresh;
using testing::KpiOf;
using testing::Max;
using testing::Min;
using testing::WithAbsErrors;
using testing::WithAccuracy;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Evaluator, ConfirmedBreachGivesRetrainNamingTheMetric) {
  const auto config = AccuracyConfig(0.85);
  State state = Fresh(config);
  // accuracy 0.70 over 1000 pairs: Wilson 95 % is about [0.67, 0.73], far below 0.85.
  const Outcome out = EvaluateBatch(config, state, Events(WithAccuracy(1000, 700)));
  EXPECT_EQ(out.action, Action::kRetrain);
  EXPECT_EQ(out.reason_code, "retrain:accuracy");
  EXPECT_TRUE(Contains(out.reason, "accuracy")) << out.reason;
  EXPECT_TRUE(Contains(out.reason, "0.85")) << out.reason;
  EXPECT_TRUE(out.decision_due);
  ASSERT_EQ(out.kpis.size(), 1U);
  const KpiResult& k = out.kpis[0];
  EXPECT_EQ(k.metric, kpi::Metric::kAccuracy);
  EXPECT_EQ(k.estimate.n, 1000U);
  EXPECT_DOUBLE_EQ(k.estimate.value, 0.7);
  EXPECT_LT(k.estimate.upper, 0.85);
  ASSERT_TRUE(k.threshold.has_value());
  EXPECT_DOUBLE_EQ(*k.threshold, 0.85);
  EXPECT_TRUE(k.is_min);
  EXPECT_TRUE(k.wrong_side);
  EXPECT_TRUE(k.confirmed);
}

TEST(Evaluator, ConfirmsBreachOnlyWhenWholeIntervalIsBelowMin) {
  // The largest number of correct pairs out of 1000 whose Wilson upper bound is still below 0.85: that
  // count confirms, one more correct pair puts the threshold inside the interval.
  std::size_t c = 0;
  for (std::size_t s = 700; s <= 850; ++s) {
    if (kpi::WilsonInterval(s, 1000, 0.95).upper < 0.85) c = s;
  }
  ASSERT_GT(c, 800U);
  ASSERT_LT(c, 850U);
  const auto config = AccuracyConfig(0.85);

  State below = Fresh(config);
  const Outcome confirmed = EvaluateBatch(config, below, Events(WithAccuracy(1000, c)));
  ASSERT_EQ(confirmed.kpis.size(), 1U);
  EXPECT_LT(confirmed.kpis[0].estimate.upper, 0.85);
  EXPECT_TRUE(confirmed.kpis[0].confirmed);
  EXPECT_EQ(confirmed.action, Action::kRetrain);

  State straddling = Fresh(config);
  const Outcome unconfirmed = EvaluateBatch(config, straddling, Events(WithAccuracy(1000, c + 1)));
  ASSERT_EQ(unconfirmed.kpis.size(), 1U);
  EXPECT_GE(unconfirmed.kpis[0].estimate.upper, 0.85);
  EXPECT_TRUE(unconfirmed.kpis[0].wrong_side);
  EXPECT_FALSE(unconfirmed.kpis[0].confirmed);
  EXPECT_EQ(unconfirmed.action, Action::kWarn);
  EXPECT_EQ(unconfirmed.reason_code, "warn:unconfirmed:accuracy");
}

TEST(Evaluator, IntervalStraddlingTheThresholdGivesWarnNotRetrain) {
  const auto config = AccuracyConfig(0.85);
  State state = Fresh(config);
  // accuracy 0.84 over 1000: Wilson about [0.816, 0.862] contains 0.85.
  const Outcome out = EvaluateBatch(config, state, Events(WithAccuracy(1000, 840)));
  ASSERT_EQ(out.kpis.size(), 1U);
  EXPECT_LT(out.kpis[0].estimate.lower, 0.85);
  EXPECT_GT(out.kpis[0].estimate.upper, 0.85);
  EXPECT_EQ(out.action, Action::kWarn);
  EXPECT_EQ(out.reason_code, "warn:unconfirmed:accuracy");
  EXPECT_TRUE(Contains(out.reason, "unconfirmed")) << out.reason;
  EXPECT_TRUE(out.decision_due);
}

TEST(Evaluator, FewerThanMinSamplesNeverRetrainsHoweverBadTheValue) {
  const auto config = AccuracyConfig(0.85);  // min_samples 300
  State state = Fresh(config);
  // 299 wrong pairs: accuracy 0, the interval far below 0.85, but n < min_samples.
  const Outcome out = EvaluateBatch(config, state, Events(WithAccuracy(299, 0)));
  EXPECT_EQ(out.n, 299U);
  ASSERT_EQ(out.kpis.size(), 1U);
  EXPECT_LT(out.kpis[0].estimate.upper, 0.85);
  EXPECT_FALSE(out.kpis[0].confirmed);
  EXPECT_EQ(out.action, Action::kWarn);
  EXPECT_EQ(out.reason_code, "warn:unconfirmed:accuracy");
  EXPECT_TRUE(Contains(out.reason, "unconfirmed")) << out.reason;
  EXPECT_TRUE(Contains(out.reason, "min_samples")) << out.reason;

  // The 300th pair reaches min_samples: now confirmed.
  const Outcome at_min =
      EvaluateBatch(config, state, Events(WithAccuracy(1, 0), testing::kT0 + 299 * testing::kSecond));
  EXPECT_EQ(at_min.n, 300U);
  EXPECT_EQ(at_min.action, Action::kRetrain);
}

TEST(Evaluator, FewSamplesWithBadValueWarnsUnconfirmed) {
  const auto config = AccuracyConfig(0.85);
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(WithAccuracy(100, 50)));
  EXPECT_EQ(out.action, Action::kWarn);
  EXPECT_EQ(out.reason_code, "warn:unconfirmed:accuracy");
  EXPECT_NE(out.action, Action::kRetrain);
}

TEST(Evaluator, HealthyKpiGivesNone) {
  const auto config = AccuracyConfig(0.85);
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(WithAccuracy(1000, 950)));
  EXPECT_EQ(out.action, Action::kNone);
  EXPECT_EQ(out.reason_code, "none:ok");
  ASSERT_EQ(out.kpis.size(), 1U);
  EXPECT_FALSE(out.kpis[0].wrong_side);
  EXPECT_FALSE(out.kpis[0].confirmed);
}

TEST(Evaluator, PointValueAboveMinWithIntervalReachingBelowIsNone) {
  const auto config = AccuracyConfig(0.85);
  State state = Fresh(config);
  // accuracy 0.86 over 1000: the interval reaches below 0.85 but the value itself is fine.
  const Outcome out = EvaluateBatch(config, state, Events(WithAccuracy(1000, 860)));
  ASSERT_EQ(out.kpis.size(), 1U);
  EXPECT_LT(out.kpis[0].estimate.lower, 0.85);
  EXPECT_EQ(out.action, Action::kNone);
}

TEST(Evaluator, ConfirmsMaxTypeKpiWhenWholeIntervalIsAboveMax) {
  const auto config = Config(kpi::Task::kRegression, {Max(kpi::Metric::kMae, 1.0)}, 1000, 300);
  State state = Fresh(config);
  // Absolute errors 1.5, 2.5, ...: mae 2.0, t interval about [1.95, 2.05].
  const Outcome out = EvaluateBatch(config, state, Events(WithAbsErrors(400, {1.5, 2.5})));
  ASSERT_EQ(out.kpis.size(), 1U);
  const KpiResult& k = out.kpis[0];
  EXPECT_EQ(k.metric, kpi::Metric::kMae);
  EXPECT_NEAR(k.estimate.value, 2.0, 1e-12);
  EXPECT_GT(k.estimate.lower, 1.0);
  EXPECT_FALSE(k.is_min);
  ASSERT_TRUE(k.threshold.has_value());
  EXPECT_DOUBLE_EQ(*k.threshold, 1.0);
  EXPECT_TRUE(k.wrong_side);
  EXPECT_TRUE(k.confirmed);
  EXPECT_EQ(out.action, Action::kRetrain);
  EXPECT_EQ(out.reason_code, "retrain:mae");
  EXPECT_TRUE(Contains(out.reason, "mae")) << out.reason;
}

TEST(Evaluator, MaxTypeKpiWithIntervalReachingBelowMaxWarns) {
  const auto config = Config(kpi::Task::kRegression, {Max(kpi::Metric::kMae, 1.0)}, 1000, 300);
  State state = Fresh(config);
  // Absolute errors 0.1, 2.0, ...: mae 1.05, interval about [0.96, 1.14] contains 1.0.
  const Outcome out = EvaluateBatch(config, state, Events(WithAbsErrors(400, {0.1, 2.0})));
  ASSERT_EQ(out.kpis.size(), 1U);
  EXPECT_GT(out.kpis[0].estimate.value, 1.0);
  EXPECT_LT(out.kpis[0].estimate.lower, 1.0);
  EXPECT_FALSE(out.kpis[0].confirmed);
  EXPECT_EQ(out.action, Action::kWarn);
  EXPECT_EQ(out.reason_code, "warn:unconfirmed:mae");
}

TEST(Evaluator, MaxTypeKpiBelowMaxIsNone) {
  const auto config = Config(kpi::Task::kRegression, {Max(kpi::Metric::kMae, 1.0)}, 1000, 300);
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(WithAbsErrors(400, {0.2, 0.4})));
  EXPECT_EQ(out.action, Action::kNone);
}

TEST(Evaluator, MaxTypeKpiWithFewSamplesWarnsUnconfirmed) {
  const auto config = Config(kpi::Task::kRegression, {Max(kpi::Metric::kMae, 1.0)}, 1000, 300);
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(WithAbsErrors(100, {1.5, 2.5})));
  ASSERT_EQ(out.kpis.size(), 1U);
  EXPECT_GT(out.kpis[0].estimate.lower, 1.0);
  EXPECT_EQ(out.action, Action::kWarn);
  EXPECT_EQ(out.reason_code, "warn:unconfirmed:mae");
}

// 1000 binary pairs: 300 true positives, 400 true negatives, 300 false negatives, no false positive.
// accuracy 0.70, precision 1.0 (300/300), recall 0.5 (300/600).
std::vector<kpi::Pair> MixedBinary() {
  std::vector<kpi::Pair> pairs;
  for (int i = 0; i < 300; ++i) {
    pairs.push_back(testing::Classified("1", "1"));
    pairs.push_back(testing::Classified("0", "1"));
  }
  for (int i = 0; i < 400; ++i) pairs.push_back(testing::Classified("0", "0"));
  return pairs;
}

TEST(Evaluator, RetrainNamesOnlyTheConfirmedKpi) {
  const auto config = Config(
      kpi::Task::kBinary,
      {Min(kpi::Metric::kAccuracy, 0.85), Min(kpi::Metric::kPrecision, 0.9), Min(kpi::Metric::kRecall, 0.4)});
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(MixedBinary()));
  ASSERT_EQ(out.kpis.size(), 3U);
  EXPECT_TRUE(KpiOf(out, kpi::Metric::kAccuracy).confirmed);
  EXPECT_FALSE(KpiOf(out, kpi::Metric::kPrecision).wrong_side);
  EXPECT_FALSE(KpiOf(out, kpi::Metric::kRecall).wrong_side);
  EXPECT_EQ(out.action, Action::kRetrain);
  EXPECT_EQ(out.reason_code, "retrain:accuracy");
  EXPECT_TRUE(Contains(out.reason, "accuracy")) << out.reason;
  EXPECT_FALSE(Contains(out.reason, "precision")) << out.reason;
  EXPECT_FALSE(Contains(out.reason, "recall")) << out.reason;
}

TEST(Evaluator, RetrainNamesEveryConfirmedKpiButNotAnUnconfirmedOne) {
  // recall 0.5: Wilson about [0.46, 0.54]. min 0.6 confirms; min 0.52 is only on the wrong side.
  const auto both =
      Config(kpi::Task::kBinary, {Min(kpi::Metric::kAccuracy, 0.85), Min(kpi::Metric::kRecall, 0.6)});
  State s1 = Fresh(both);
  const Outcome two = EvaluateBatch(both, s1, Events(MixedBinary()));
  EXPECT_EQ(two.action, Action::kRetrain);
  EXPECT_EQ(two.reason_code, "retrain:accuracy,recall");

  const auto one =
      Config(kpi::Task::kBinary, {Min(kpi::Metric::kAccuracy, 0.85), Min(kpi::Metric::kRecall, 0.52)});
  State s2 = Fresh(one);
  const Outcome out = EvaluateBatch(one, s2, Events(MixedBinary()));
  EXPECT_TRUE(KpiOf(out, kpi::Metric::kRecall).wrong_side);
  EXPECT_FALSE(KpiOf(out, kpi::Metric::kRecall).confirmed);
  EXPECT_EQ(out.action, Action::kRetrain);
  EXPECT_EQ(out.reason_code, "retrain:accuracy");
}

TEST(Evaluator, ComputedOnlyKpiNeverBreaches) {
  domain::KpiSpec computed;
  computed.metric = kpi::Metric::kAccuracy;
  const auto config = Config(kpi::Task::kBinary, {computed});
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(WithAccuracy(1000, 0)));
  ASSERT_EQ(out.kpis.size(), 1U);
  EXPECT_FALSE(out.kpis[0].threshold.has_value());
  EXPECT_FALSE(out.kpis[0].wrong_side);
  EXPECT_FALSE(out.kpis[0].confirmed);
  EXPECT_EQ(out.action, Action::kNone);
}

TEST(Evaluator, ErrorValueIsMisclassificationForClassification) {
  for (const auto metric : {domain::ErrorMetric::kAbsolute, domain::ErrorMetric::kSquared}) {
    EXPECT_EQ(ErrorValue(kpi::Task::kBinary, metric, testing::Classified("1", "1")), 0.0);
    EXPECT_EQ(ErrorValue(kpi::Task::kBinary, metric, testing::Classified("1", "0")), 1.0);
    EXPECT_EQ(ErrorValue(kpi::Task::kMulticlass, metric, testing::Classified("cat", "cat")), 0.0);
    EXPECT_EQ(ErrorValue(kpi::Task::kMulticlass, metric, testing::Classified("cat", "dog")), 1.0);
  }
}

TEST(Evaluator, ErrorValueIsAbsoluteOrSquaredErrorForRegression) {
  const auto over = testing::Regressed(4.0, 2.5);   // error +1.5
  const auto under = testing::Regressed(1.0, 4.0);  // error -3
  EXPECT_DOUBLE_EQ(ErrorValue(kpi::Task::kRegression, domain::ErrorMetric::kAbsolute, over), 1.5);
  EXPECT_DOUBLE_EQ(ErrorValue(kpi::Task::kRegression, domain::ErrorMetric::kAbsolute, under), 3.0);
  EXPECT_DOUBLE_EQ(ErrorValue(kpi::Task::kRegression, domain::ErrorMetric::kSquared, over), 2.25);
  EXPECT_DOUBLE_EQ(ErrorValue(kpi::Task::kRegression, domain::ErrorMetric::kSquared, under), 9.0);
  EXPECT_DOUBLE_EQ(
      ErrorValue(kpi::Task::kRegression, domain::ErrorMetric::kSquared, testing::Regressed(2.0, 2.0)), 0.0);
}

TEST(Evaluator, ActionNamesMatchTheApi) {
  EXPECT_EQ(ActionName(Action::kNone), "none");
  EXPECT_EQ(ActionName(Action::kWarn), "warn");
  EXPECT_EQ(ActionName(Action::kRetrain), "retrain");
  EXPECT_EQ(ActionName(Action::kSuppressed), "suppressed");
}

}  // namespace
}  // namespace driftgate::evaluate

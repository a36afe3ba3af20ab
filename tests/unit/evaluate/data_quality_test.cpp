// Data quality of a drift check's window (core/evaluate/data_quality.h): per-feature rates against the
// reference, the incident rule (max_rate absolute and min_ratio x the reference), and its use by label-free
// estimates (a confirmed estimated breach during an incident is suppressed, suppressed:data_quality).
#include "core/evaluate/data_quality.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/evaluate/estimated.h"
#include "core/evaluate/evaluator.h"
#include "tests/unit/evaluate/evaluate_test_data.h"

namespace driftgate::evaluate {
namespace {

std::vector<FeatureRow> Rows(std::size_t n, const std::function<FeatureRow(std::size_t)>& make) {
  std::vector<FeatureRow> rows;
  for (std::size_t i = 0; i < n; ++i) rows.push_back(make(i));
  return rows;
}

std::vector<const FeatureRow*> Ptrs(const std::vector<FeatureRow>& rows) {
  std::vector<const FeatureRow*> p;
  for (const auto& r : rows) p.push_back(&r);
  return p;
}

// amount in [0, 100], country in {DE, FR}.
std::vector<FeatureRow> Reference() {
  return Rows(100, [](std::size_t i) {
    return FeatureRow{{"amount", static_cast<double>(i)}, {"country", std::string(i % 2 ? "DE" : "FR")}};
  });
}

TEST(DataQuality, CleanWindowIsNoIncident) {
  const auto ref = Reference();
  const auto cur = Reference();
  const auto v = AssessQuality(Profile(Ptrs(ref)), Ptrs(cur), domain::DataQualitySpec{});
  EXPECT_FALSE(v.incident);
  ASSERT_EQ(v.features.size(), 2u);
}

TEST(DataQuality, SixtyPercentNullsBreakTheFeature) {
  const auto ref = Reference();
  const auto cur = Rows(100, [](std::size_t i) {
    FeatureRow r{{"country", std::string("DE")}};
    if (i % 10 >= 6)
      r.emplace_back("amount", 5.0);
    else
      r.emplace_back("amount", domain::FeatureValue{});  // null
    return r;
  });
  const auto v = AssessQuality(Profile(Ptrs(ref)), Ptrs(cur), domain::DataQualitySpec{});
  EXPECT_TRUE(v.incident);
  EXPECT_EQ(v.broken_features, std::vector<std::string>{"amount"});
  EXPECT_DOUBLE_EQ(v.features[0].missing_rate, 0.6);
}

TEST(DataQuality, TypeErrorsOutOfRangeAndUnseenCategories) {
  const auto ref = Reference();
  // amount: 30% strings, 30% at 200 (past 99 + 10% of 99); country: 30% "XX".
  const auto cur = Rows(100, [](std::size_t i) {
    FeatureRow r;
    if (i < 30)
      r.emplace_back("amount", std::string("n/a"));
    else if (i < 60)
      r.emplace_back("amount", 200.0);
    else
      r.emplace_back("amount", 108.0);  // inside 99 + 9.9
    r.emplace_back("country", std::string(i < 30 ? "XX" : "DE"));
    return r;
  });
  const auto v = AssessQuality(Profile(Ptrs(ref)), Ptrs(cur), domain::DataQualitySpec{});
  ASSERT_TRUE(v.incident);
  EXPECT_EQ(v.broken_features, (std::vector<std::string>{"amount", "country"}));
  EXPECT_DOUBLE_EQ(v.features[0].type_error_rate, 0.3);
  EXPECT_DOUBLE_EQ(v.features[0].out_of_range_rate, 0.3);
  EXPECT_DOUBLE_EQ(v.features[1].unseen_rate, 0.3);
}

TEST(DataQuality, ARateTheReferenceAlreadyHadIsNoIncident) {
  // 30% missing in the reference too: 0.3 is not 5x 0.3.
  const auto ref = Rows(100, [](std::size_t i) {
    return i < 30 ? FeatureRow{} : FeatureRow{{"amount", static_cast<double>(i)}};
  });
  const auto v = AssessQuality(Profile(Ptrs(ref)), Ptrs(ref), domain::DataQualitySpec{});
  EXPECT_FALSE(v.incident);
  EXPECT_DOUBLE_EQ(v.features[0].missing_rate, 0.3);
}

// The label path judges the quality of its own pairs (input_veto.h, tests in input_veto_test.cpp): a drift
// check's verdict, which may be days old and covers other predictions, no longer vetoes it.
TEST(EvaluatorDataQuality, DriftCheckVerdictAloneDoesNotVetoALabelConfirmedBreach) {
  const auto config = testing::AccuracyConfig();
  State state = testing::Fresh(config);
  PolicyFacts facts;
  facts.data_quality_incident = true;
  facts.broken_features = {"amount"};
  const Outcome out =
      testing::EvaluateBatch(config, state, testing::Events(testing::WithAccuracy(1000, 700)), facts);
  EXPECT_EQ(out.action, Action::kRetrain);
  EXPECT_NE(out.reason.find("no input-quality verdict was possible"), std::string::npos) << out.reason;
}

kpi::Estimate Est(double value, double lower, double upper) {
  return kpi::Estimate{.value = value, .lower = lower, .upper = upper, .n = 1000};
}

TEST(JudgeEstimated, EstimatedBreachWarnsUnlessPolicyAllows) {
  auto config = testing::AccuracyConfig();  // accuracy min 0.85
  const std::vector<std::pair<kpi::Metric, kpi::Estimate>> breach{
      {kpi::Metric::kAccuracy, Est(0.7, 0.67, 0.73)}};
  auto out = JudgeEstimated(config, breach, PolicyFacts{}, 0);
  EXPECT_EQ(out.action, Action::kWarn);
  EXPECT_EQ(out.reason_code, "warn:estimated:accuracy");
  config.policy.allow_estimated = true;
  out = JudgeEstimated(config, breach, PolicyFacts{}, 0);
  EXPECT_EQ(out.action, Action::kRetrain);
  PolicyFacts broken;
  broken.data_quality_incident = true;
  broken.broken_features = {"amount"};
  out = JudgeEstimated(config, breach, broken, 0);
  EXPECT_EQ(out.reason_code, "suppressed:data_quality");
}

TEST(JudgeEstimated, IntervalReachingTheThresholdIsNoBreach) {
  const auto config = testing::AccuracyConfig();
  const auto out =
      JudgeEstimated(config, {{kpi::Metric::kAccuracy, Est(0.83, 0.80, 0.86)}}, PolicyFacts{}, 0);
  EXPECT_EQ(out.action, Action::kNone);
  EXPECT_EQ(out.reason_code, "none:ok");
}

}  // namespace
}  // namespace driftgate::evaluate

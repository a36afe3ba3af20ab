// Regression KPIs against scikit-learn 1.2.1. Numbers printed by `/usr/bin/python3
// tests/data/kpi/reference.py`: mean_absolute_error, mean_squared_error(squared=False),
// mean_absolute_percentage_error, r2_score; t intervals from scipy.stats.t.ppf and np.std(ddof=1); the r2
// jackknife from explicit leave-one-out r2_score calls.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "core/kpi/metrics.h"
#include "tests/unit/kpi/kpi_test_data.h"

namespace driftgate::kpi {
namespace {

using testdata::ExpectEstimate;
using testdata::Regressed;

constexpr double kInf = std::numeric_limits<double>::infinity();

std::optional<Estimate> Regression(Metric metric, const std::vector<Pair>& pairs, double confidence = 0.95) {
  return Compute(metric, Task::kRegression, pairs, confidence);
}

// Section "# regression (pair 5: actual 0) n=50 conf=0.95". Pair 5 is (predicted 0.25, actual 0): its mape
// term is 0.25 / 2^-52, so the mape is ~2.25e13 (sklearn divides by max(|y|, float64 eps)) and its t
// interval's lower bound is clipped at 0.
TEST(RegressionKpi, MatchesSklearnWithAZeroActual) {
  const std::vector<Pair> pairs = testdata::RegressionPairs();
  ExpectEstimate(Regression(Metric::kMae, pairs),
                 {1.0073999999999999, 0.8528251774229392, 1.1619748225770605});
  ExpectEstimate(Regression(Metric::kRmse, pairs),
                 {1.1422635422703467, 0.9932815184158728, 1.2739402753557396});
  ExpectEstimate(Regression(Metric::kMape, pairs), {22517998136853.06, 0.0, 67769609522945.94});
  ExpectEstimate(Regression(Metric::kR2, pairs),
                 {0.9659024482132395, 0.9543539988924415, 0.9774508975340374});
}

// Section "# regression positive actuals n=40 conf=0.95".
TEST(RegressionKpi, MatchesSklearnWithPositiveActuals) {
  const std::vector<Pair> pairs = testdata::PositiveRegressionPairs();
  ExpectEstimate(Regression(Metric::kMae, pairs),
                 {0.4389137499999999, 0.3355358932970006, 0.5422916067029991});
  ExpectEstimate(Regression(Metric::kRmse, pairs),
                 {0.5426957110688271, 0.42477603153582333, 0.6392203005675562});
  ExpectEstimate(Regression(Metric::kMape, pairs), {0.04525, 0.03587011951658246, 0.054629880483417534});
  ExpectEstimate(Regression(Metric::kR2, pairs),
                 {0.9625967921825511, 0.9447590257540284, 0.9804345586110739});
}

// Section "# regression positive actuals n=40 conf=0.99".
TEST(RegressionKpi, NinetyNinePercentIntervalsAreWider) {
  const std::vector<Pair> pairs = testdata::PositiveRegressionPairs();
  ExpectEstimate(Regression(Metric::kMae, pairs, 0.99),
                 {0.4389137499999999, 0.3005148184451212, 0.5773126815548786});
  ExpectEstimate(Regression(Metric::kRmse, pairs, 0.99),
                 {0.5426957110688271, 0.37654577578144166, 0.6687679331174246});
  ExpectEstimate(Regression(Metric::kMape, pairs, 0.99), {0.04525, 0.0326925193322877, 0.0578074806677123});
  ExpectEstimate(Regression(Metric::kR2, pairs, 0.99),
                 {0.9625967921825511, 0.9391539933153913, 0.986039591049711});
}

TEST(RegressionKpi, ExactZeroActualWithExactPredictionAddsNothingToMape) {
  const std::vector<Pair> pairs = {Regressed(0.0, 0.0), Regressed(1.1, 1.0)};
  EXPECT_NEAR(Regression(Metric::kMape, pairs)->value, 0.05, 1e-15);
}

TEST(RegressionKpi, R2IsUndefinedForConstantActualsButErrorsAreNot) {
  // Three 0.1s: a computed SS_tot would be ~1e-33, not 0; the check is on the values.
  const std::vector<Pair> pairs = {Regressed(0.2, 0.1), Regressed(0.0, 0.1), Regressed(0.1, 0.1)};
  EXPECT_FALSE(Regression(Metric::kR2, pairs).has_value());
  EXPECT_TRUE(Regression(Metric::kMae, pairs).has_value());
  EXPECT_TRUE(Regression(Metric::kMape, pairs).has_value());
}

TEST(RegressionKpi, EqualErrorsGiveZeroWidthTInterval) {
  const std::vector<Pair> pairs = {Regressed(1.5, 1.0), Regressed(2.5, 2.0), Regressed(2.5, 3.0)};
  ExpectEstimate(Regression(Metric::kMae, pairs), {0.5, 0.5, 0.5});
  ExpectEstimate(Regression(Metric::kRmse, pairs), {0.5, 0.5, 0.5});
}

// intervals.h: n = 1 has no sample variance (t with 0 df), so a loss keeps [0, +inf) instead of a NaN.
TEST(RegressionKpi, SinglePairLossIntervalIsZeroToInfinity) {
  for (const Metric metric : {Metric::kMae, Metric::kRmse, Metric::kMape}) {
    const std::optional<Estimate> estimate = Regression(metric, {Regressed(3.0, 2.0)});
    ASSERT_TRUE(estimate.has_value()) << MetricName(metric);
    EXPECT_DOUBLE_EQ(estimate->lower, 0.0) << MetricName(metric);
    EXPECT_EQ(estimate->upper, kInf) << MetricName(metric);
  }
  EXPECT_FALSE(Regression(Metric::kR2, {Regressed(3.0, 2.0)}).has_value());  // one actual is constant
}

// Leaving out the single 7 leaves constant actuals: that replicate is undefined, so r2 keeps (-inf, 1].
TEST(RegressionKpi, R2WithAnUndefinedReplicateKeepsItsWholeRange) {
  const std::vector<Pair> pairs = {Regressed(5.1, 5.0), Regressed(4.8, 5.0), Regressed(5.0, 5.0),
                                   Regressed(6.5, 7.0)};
  const std::optional<Estimate> r2 = Regression(Metric::kR2, pairs);
  ASSERT_TRUE(r2.has_value());
  // SS_res = 0.01 + 0.04 + 0 + 0.25 = 0.30, SS_tot = 3 * 0.25 + 2.25 = 3.
  EXPECT_NEAR(r2->value, 0.9, 1e-12);
  EXPECT_EQ(r2->lower, -kInf);
  EXPECT_DOUBLE_EQ(r2->upper, 1.0);
}

}  // namespace
}  // namespace driftgate::kpi

// CBPE (core/kpi/cbpe.h): the isotonic calibration reproduces scikit-learn's IsotonicRegression, the
// expected confusion matrix is the stated sums, and on a stream with covariate shift and an unchanged
// concept the estimated accuracy tracks the realized one within its interval (NannyML's claim for CBPE),
// and that interval's width — Bernoulli term and calibration-error term — equals an independent
// computation (make_cbpe.py section 3).
//
// Reference values: tests/data/cbpe/make_cbpe.py, run once with Debian's /usr/bin/python3 (scikit-learn
// 1.2.1, numpy 1.24.2): `/usr/bin/python3 tests/data/cbpe/make_cbpe.py`. It draws the same stream with the
// same generator (splitmix64) and computes the calibration and the expected accuracy with
// sklearn.isotonic.IsotonicRegression(out_of_bounds="clip") — independently of this code.
#include "core/kpi/cbpe.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

namespace driftgate::kpi {
namespace {

class SplitMix {
 public:
  explicit SplitMix(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }

 private:
  std::uint64_t s_;
};

double Score(double x) { return 0.3 + 0.4 * x * x; }

TEST(IsotonicCalibration, MatchesSklearnOnSmallSetWithTies) {
  const std::vector<double> xs{0.1, 0.2, 0.2, 0.3, 0.4, 0.5, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9};
  const std::vector<int> ys{0, 1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1};
  const auto c = IsotonicCalibration::Fit(xs, ys);
  ASSERT_TRUE(c);
  const std::vector<double> q{0.0, 0.1, 0.15, 0.2, 0.25, 0.3, 0.45, 0.55, 0.65, 0.75, 0.85, 0.9, 1.0};
  // IsotonicRegression(out_of_bounds="clip").fit(xs, ys).predict(q)
  const std::vector<double> sklearn{0.0,
                                    0.0,
                                    0.1666666666666666,
                                    0.3333333333333333,
                                    0.3333333333333333,
                                    0.3333333333333333,
                                    0.6,
                                    0.6,
                                    0.6,
                                    0.8,
                                    1.0,
                                    1.0,
                                    1.0};
  for (std::size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(c->Predict(q[i]), sklearn[i], 1e-12) << q[i];
}

TEST(IsotonicCalibration, NeedsTwoClassesAndTwoScores) {
  EXPECT_FALSE(IsotonicCalibration::Fit(std::vector<double>{0.1, 0.2}, std::vector<int>{1, 1}));
  EXPECT_FALSE(IsotonicCalibration::Fit(std::vector<double>{0.5, 0.5}, std::vector<int>{0, 1}));
}

TEST(ExpectConfusion, SumsCalibratedProbabilities) {
  const std::vector<EstimatedInput> in{
      {true, 0.9, 0.9}, {true, 0.6, 0.6}, {false, 0.2, 0.2}, {false, 0.5, 0.5}};
  const ExpectedConfusion c = ExpectConfusion(in);
  EXPECT_DOUBLE_EQ(c.tp, 1.5);
  EXPECT_DOUBLE_EQ(c.fp, 0.5);
  EXPECT_DOUBLE_EQ(c.fn, 0.7);
  EXPECT_DOUBLE_EQ(c.tn, 1.3);
  EXPECT_DOUBLE_EQ(c.var_tp, 0.9 * 0.1 + 0.6 * 0.4);
  EXPECT_DOUBLE_EQ(c.var_fn, 0.2 * 0.8 + 0.5 * 0.5);
  EXPECT_DOUBLE_EQ(EstimateMetric(Metric::kAccuracy, in, 0.95)->value, (1.5 + 1.3) / 4);
  EXPECT_DOUBLE_EQ(EstimateMetric(Metric::kPrecision, in, 0.95)->value, 1.5 / 2);
  EXPECT_DOUBLE_EQ(EstimateMetric(Metric::kRecall, in, 0.95)->value, 1.5 / 2.2);
  EXPECT_DOUBLE_EQ(EstimateMetric(Metric::kF1, in, 0.95)->value, 3.0 / (3.0 + 0.5 + 0.7));
  // Expected AUC: sum_{i,j} p_i (1 - p_j) [s_i > s_j] (ties and i = j count 1/2) / (sum p)(sum 1 - p).
  double u = 0, pos = 0, neg = 0;
  for (const auto& a : in) {
    pos += a.probability;
    neg += 1 - a.probability;
    for (const auto& b : in) {
      const double w = a.score > b.score ? 1.0 : a.score == b.score ? 0.5 : 0.0;
      u += a.probability * (1 - b.probability) * w;
    }
  }
  EXPECT_NEAR(EstimateMetric(Metric::kRocAuc, in, 0.95)->value, u / (pos * neg), 1e-12);
  EXPECT_FALSE(EstimateMetric(Metric::kLogLoss, in, 0.95));
}

// The check NannyML states for CBPE: with P(y|x) fixed and only the distribution of x shifting, the
// estimate computed without labels tracks the realized accuracy — here every window's realized accuracy
// lies inside the estimated 95% interval (label sampling + calibration error, cbpe.h), and the estimate
// equals the one computed with scikit-learn's calibration to 1e-9. The windows move from x ~ U(0, 1) to
// x within 0.5 +- 0.1, so the true accuracy falls from 0.75 to about 0.55 with no label seen.
TEST(Cbpe, EstimatedAccuracyTracksRealizedUnderCovariateShift) {
  SplitMix rng(20261123);
  std::vector<double> ref_scores;
  std::vector<int> ref_labels;
  for (int i = 0; i < 5000; ++i) {
    const double x = rng.Uniform();
    ref_labels.push_back(rng.Uniform() < x ? 1 : 0);
    ref_scores.push_back(Score(x));
  }
  const auto c = IsotonicCalibration::Fit(ref_scores, ref_labels);
  ASSERT_TRUE(c);
  const std::vector<double> q{0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7};
  const std::vector<double> sklearn_q{
      0.0, 0.3425196850393701, 0.53, 0.6577946768060836, 0.7091412742382271, 0.8693467336683417, 1.0};
  for (std::size_t i = 0; i < q.size(); ++i) EXPECT_NEAR(c->Predict(q[i]), sklearn_q[i], 1e-12) << q[i];

  struct Window {
    double width, sklearn_expected, realized;
    // make_cbpe.py section 3: interval widths at 0.95, Bernoulli term only (bare) and with the
    // calibration's error, for accuracy and recall — the same delta method, differentiated numerically.
    double accuracy_bare, accuracy_width, recall_bare, recall_width;
  };
  // make_cbpe.py: expected_accuracy (sklearn calibration) and realized_accuracy per window.
  const std::vector<Window> windows{{1.0, 0.7603326559148716, 0.758, 0.03508243880527698, 0.04064895643633917,
                                     0.03912799844692666, 0.04535536225687625},
                                    {0.7, 0.6849650306951994, 0.6645, 0.03961994608317914,
                                     0.04841833908117104, 0.042696717624767275, 0.05237102933886495},
                                    {0.4, 0.6096023566643312, 0.597, 0.042217705066124524,
                                     0.05600456357543013, 0.04325531178076781, 0.05757068558103456},
                                    {0.2, 0.5398439069017739, 0.5465, 0.0435151518303158, 0.06311222328163744,
                                     0.04389004553838997, 0.06370242293600721}};
  for (const auto& w : windows) {
    std::vector<EstimatedInput> inputs;
    int correct = 0;
    for (int i = 0; i < 2000; ++i) {
      const double x = 0.5 + (rng.Uniform() - 0.5) * w.width;
      const int y = rng.Uniform() < x ? 1 : 0;
      const double s = Score(x);
      const bool positive = s >= 0.4;
      correct += (positive ? 1 : 0) == y;
      inputs.push_back({.predicted_positive = positive, .probability = c->Predict(s), .score = s});
    }
    const double realized = correct / 2000.0;
    ASSERT_DOUBLE_EQ(realized, w.realized) << "the generator must match make_cbpe.py";
    const auto e = EstimateMetric(Metric::kAccuracy, inputs, 0.95, &*c);
    ASSERT_TRUE(e);
    // Without the calibration's error the interval is narrower (Bernoulli variance only).
    const auto bare = EstimateMetric(Metric::kAccuracy, inputs, 0.95);
    EXPECT_DOUBLE_EQ(bare->value, e->value);
    EXPECT_LT(bare->upper - bare->lower, e->upper - e->lower);
    // The widths themselves, against the independent computation (1e-9: its numerical derivatives).
    EXPECT_NEAR(bare->upper - bare->lower, w.accuracy_bare, 1e-9) << "width " << w.width;
    EXPECT_NEAR(e->upper - e->lower, w.accuracy_width, 1e-9) << "width " << w.width;
    const auto recall = EstimateMetric(Metric::kRecall, inputs, 0.95, &*c);
    const auto recall_bare = EstimateMetric(Metric::kRecall, inputs, 0.95);
    ASSERT_TRUE(recall && recall_bare);
    EXPECT_NEAR(recall_bare->upper - recall_bare->lower, w.recall_bare, 1e-9) << "width " << w.width;
    EXPECT_NEAR(recall->upper - recall->lower, w.recall_width, 1e-9) << "width " << w.width;
    EXPECT_NEAR(e->value, w.sklearn_expected, 1e-9) << "width " << w.width;
    EXPECT_LE(e->lower, realized) << "width " << w.width;
    EXPECT_GE(e->upper, realized) << "width " << w.width;
    EXPECT_EQ(e->n, 2000u);
  }
}

}  // namespace
}  // namespace driftgate::kpi

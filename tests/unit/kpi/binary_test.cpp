// Binary-task KPIs against scikit-learn 1.2.1 values and independent numpy/scipy intervals. Every number
// below was printed by `/usr/bin/python3 tests/data/kpi/reference.py` (section named in each test), which
// also holds the data generators mirrored in kpi_test_data.h.
#include <gtest/gtest.h>

#include <limits>
#include <vector>

#include "core/kpi/metrics.h"
#include "tests/unit/kpi/kpi_test_data.h"

namespace driftgate::kpi {
namespace {

using testdata::Classified;
using testdata::ExpectEstimate;

std::optional<Estimate> Binary(Metric metric, const std::vector<Pair>& pairs, double confidence = 0.95) {
  return Compute(metric, Task::kBinary, pairs, confidence);
}

// reference.py "# binary n=120 tp=36 fp=26 fn=12 conf=0.95": sklearn accuracy/precision/recall_score with
// Wilson via scipy.stats.norm.ppf; f1_score with a jackknife over 120 explicit leave-one-out sklearn calls.
TEST(BinaryKpi, ProportionsMatchSklearnWithWilsonIntervals) {
  const std::vector<Pair> pairs = testdata::BinaryPairs();
  ExpectEstimate(Binary(Metric::kAccuracy, pairs),
                 {0.6833333333333333, 0.5955213183551313, 0.7597716539580108});
  ExpectEstimate(Binary(Metric::kPrecision, pairs),
                 {0.5806451612903226, 0.4566558474484658, 0.6952241409222806});
  ExpectEstimate(Binary(Metric::kRecall, pairs), {0.75, 0.6121562719049204, 0.8507936632620209});
  EXPECT_EQ(Binary(Metric::kPrecision, pairs)->n, 120u);
}

TEST(BinaryKpi, F1MatchesSklearnWithJackknifeInterval) {
  ExpectEstimate(Binary(Metric::kF1, testdata::BinaryPairs()),
                 {0.6545454545454547, 0.5504665995305658, 0.7586243095603435});
}

// Same data at confidence 0.90 (reference.py "# binary ... conf=0.9").
TEST(BinaryKpi, NinetyPercentIntervalsUseTheirOwnQuantiles) {
  const std::vector<Pair> pairs = testdata::BinaryPairs();
  ExpectEstimate(Binary(Metric::kAccuracy, pairs, 0.90),
                 {0.6833333333333333, 0.610099133976134, 0.7484828726832519});
  ExpectEstimate(Binary(Metric::kPrecision, pairs, 0.90),
                 {0.5806451612903226, 0.4763141127967017, 0.6782321511890785});
  ExpectEstimate(Binary(Metric::kRecall, pairs, 0.90), {0.75, 0.6357518625712728, 0.8375691663558229});
  ExpectEstimate(Binary(Metric::kF1, pairs, 0.90),
                 {0.6545454545454547, 0.5671997259960749, 0.7418911830948344});
  ExpectEstimate(Binary(Metric::kRocAuc, pairs, 0.90),
                 {0.8119383825417202, 0.7372370126632517, 0.8866397524201888});
  ExpectEstimate(Binary(Metric::kLogLoss, pairs, 0.90),
                 {0.8868888914604626, 0.27865900408335975, 1.4951187788375653});
}

// reference.py "# scored n=98 positives=41": sklearn roc_auc_score on the scored pairs (21 score levels, so
// many ties), DeLong variance from the O(m n) pairwise kernel; log_loss(labels=[0, 1]) with a t interval
// (scipy.stats.t.ppf, np.std(ddof=1)) over per-pair losses. Scores 0 and 1 occur, so clipping is exercised.
TEST(BinaryKpi, RocAucAndLogLossUseScoredPairsOnly) {
  const std::vector<Pair> pairs = testdata::BinaryPairs();
  const std::optional<Estimate> auc = Binary(Metric::kRocAuc, pairs);
  ExpectEstimate(auc, {0.8119383825417202, 0.7229262101765964, 0.9009505549068441});
  EXPECT_EQ(auc->n, 98u);
  const std::optional<Estimate> log_loss = Binary(Metric::kLogLoss, pairs);
  ExpectEstimate(log_loss, {0.8868888914604626, 0.1599921974048817, 1.6137855855160432});
  EXPECT_EQ(log_loss->n, 98u);
}

// reference.py "log_loss clipped": y = [1,0,1,0,1,0], p = [0,1,1,0,.5,.25]; sklearn 1.2 clips to
// [eps, 1 - eps], eps = np.finfo(np.float64).eps, so a confident miss costs -log(2^-52) = 36.04.
TEST(BinaryKpi, LogLossClipsCertainScoresAtFloat64Epsilon) {
  const std::vector<Pair> pairs = {Classified("0", "1", 0.0), Classified("1", "0", 1.0),
                                   Classified("1", "1", 1.0), Classified("0", "0", 0.0),
                                   Classified("1", "1", 0.5), Classified("0", "0", 0.25)};
  ExpectEstimate(Binary(Metric::kLogLoss, pairs), {12.17802267187434, 0.0, 31.57997162494032});
}

// reference.py "log_loss single class": log_loss([0,0,0], [.1,.2,.4], labels=[0, 1]).
TEST(BinaryKpi, LogLossIsDefinedWhenOnlyOneClassOccurs) {
  const std::vector<Pair> pairs = {Classified("0", "0", 0.1), Classified("0", "0", 0.2),
                                   Classified("0", "0", 0.4)};
  ExpectEstimate(Binary(Metric::kLogLoss, pairs), {0.2797765635793423, 0.0, 0.7979200657084367});
}

// reference.py "roc_auc all tied": every V10/V01 component is 1/2, so DeLong's variance is 0.
TEST(BinaryKpi, RocAucOfAllTiedScoresIsOneHalfWithZeroWidth) {
  const std::vector<Pair> pairs = {Classified("1", "1", 0.5), Classified("1", "0", 0.5),
                                   Classified("1", "1", 0.5), Classified("1", "0", 0.5),
                                   Classified("1", "0", 0.5)};
  ExpectEstimate(Binary(Metric::kRocAuc, pairs), {0.5, 0.5, 0.5});
}

// reference.py "# other classes negative": precision/recall/f1 on (label == "1"), accuracy_score on the raw
// labels (so actual "2" vs predicted "0" is a miss although both are negative).
TEST(BinaryKpi, ClassesOtherThanOneAreNegativeButAccuracyComparesLabels) {
  const std::vector<Pair> pairs = {Classified("1", "1"), Classified("2", "0"),     Classified("1", "2"),
                                   Classified("0", "2"), Classified("neg", "neg"), Classified("1", "1"),
                                   Classified("0", "1"), Classified("1", "1")};
  ExpectEstimate(Binary(Metric::kAccuracy, pairs), {0.5, 0.21521606221387757, 0.7847839377861224});
  EXPECT_DOUBLE_EQ(Binary(Metric::kPrecision, pairs)->value, 0.75);
  EXPECT_DOUBLE_EQ(Binary(Metric::kRecall, pairs)->value, 0.75);
  EXPECT_DOUBLE_EQ(Binary(Metric::kF1, pairs)->value, 0.75);
}

TEST(BinaryKpi, PositiveClassMetricsAreUndefinedWithoutTheirDenominator) {
  const std::vector<Pair> all_negative = {Classified("0", "0"), Classified("0", "0"), Classified("0", "0")};
  EXPECT_FALSE(Binary(Metric::kPrecision, all_negative).has_value());
  EXPECT_FALSE(Binary(Metric::kRecall, all_negative).has_value());
  EXPECT_FALSE(Binary(Metric::kF1, all_negative).has_value());  // TP + FP + FN = 0
  EXPECT_TRUE(Binary(Metric::kAccuracy, all_negative).has_value());

  const std::vector<Pair> no_predicted_positive = {Classified("0", "1"), Classified("0", "0")};
  EXPECT_FALSE(Binary(Metric::kPrecision, no_predicted_positive).has_value());
  EXPECT_DOUBLE_EQ(Binary(Metric::kRecall, no_predicted_positive)->value, 0.0);
  EXPECT_DOUBLE_EQ(Binary(Metric::kF1, no_predicted_positive)->value, 0.0);  // sklearn 1.2: 0, not undefined
}

TEST(BinaryKpi, ScoreMetricsAreUndefinedWithoutScoresOrWithOneScoredClass) {
  const std::vector<Pair> unscored = {Classified("1", "1"), Classified("0", "0")};
  EXPECT_FALSE(Binary(Metric::kRocAuc, unscored).has_value());
  EXPECT_FALSE(Binary(Metric::kLogLoss, unscored).has_value());

  // The only negative is unscored: the scored pairs hold one class.
  const std::vector<Pair> one_scored_class = {Classified("1", "1", 0.9), Classified("1", "1", 0.6),
                                              Classified("0", "0")};
  EXPECT_FALSE(Binary(Metric::kRocAuc, one_scored_class).has_value());
  EXPECT_TRUE(Binary(Metric::kLogLoss, one_scored_class).has_value());
}

// intervals.h: one informative pair leaves an undefined leave-one-out F1 (TP + FP + FN = 0), and a single
// positive leaves DeLong's S10 undefined; both keep the whole range [0, 1] instead of a NaN.
TEST(BinaryKpi, UnestimableSpreadGivesTheWholeUnitRange) {
  const std::vector<Pair> one_hit = {Classified("1", "1"), Classified("0", "0"), Classified("0", "0")};
  const std::optional<Estimate> f1 = Binary(Metric::kF1, one_hit);
  ASSERT_TRUE(f1.has_value());
  EXPECT_DOUBLE_EQ(f1->value, 1.0);
  EXPECT_DOUBLE_EQ(f1->lower, 0.0);
  EXPECT_DOUBLE_EQ(f1->upper, 1.0);

  const std::vector<Pair> one_positive = {Classified("1", "1", 0.9), Classified("0", "0", 0.1),
                                          Classified("0", "0", 0.2)};
  const std::optional<Estimate> auc = Binary(Metric::kRocAuc, one_positive);
  ASSERT_TRUE(auc.has_value());
  EXPECT_DOUBLE_EQ(auc->value, 1.0);
  EXPECT_DOUBLE_EQ(auc->lower, 0.0);
  EXPECT_DOUBLE_EQ(auc->upper, 1.0);
}

TEST(BinaryKpi, SinglePairLogLossHasInfiniteUpperBoundNotNaN) {
  const std::optional<Estimate> estimate = Binary(Metric::kLogLoss, {Classified("1", "1", 0.8)});
  ASSERT_TRUE(estimate.has_value());
  EXPECT_DOUBLE_EQ(estimate->lower, 0.0);
  EXPECT_EQ(estimate->upper, std::numeric_limits<double>::infinity());
}

}  // namespace
}  // namespace driftgate::kpi

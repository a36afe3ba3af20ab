// Multiclass KPIs against scikit-learn 1.2.1. Numbers printed by `/usr/bin/python3
// tests/data/kpi/reference.py`, section "# multiclass n=90 labels=['a', 'b', 'c', 'd', 'e', 'f'] conf=0.95":
// accuracy_score + Wilson (scipy.stats.norm.ppf); f1_score(average="macro" | "weighted") + a jackknife over
// 90 explicit leave-one-out sklearn calls (each on the labels left in the reduced sample).
#include <gtest/gtest.h>

#include <vector>

#include "core/kpi/metrics.h"
#include "tests/unit/kpi/kpi_test_data.h"

namespace driftgate::kpi {
namespace {

using testdata::Classified;
using testdata::ExpectEstimate;

std::optional<Estimate> Multiclass(Metric metric, const std::vector<Pair>& pairs) {
  return Compute(metric, Task::kMulticlass, pairs, 0.95);
}

TEST(MulticlassKpi, AccuracyMatchesSklearnWithWilsonInterval) {
  ExpectEstimate(Multiclass(Metric::kAccuracy, testdata::MulticlassPairs()),
                 {0.6, 0.4967030736405094, 0.6951098012466251});
}

// The data has "d" only among predictions (F1 0 in the macro mean, weight 0 in the weighted one), "e" once as
// an actual only and "f" once predicted right: leaving either pair out removes a class from the label union,
// which the O(1) replicates must reproduce.
TEST(MulticlassKpi, MacroF1AveragesOverLabelsInActualsOrPredictions) {
  ExpectEstimate(Multiclass(Metric::kMacroF1, testdata::MulticlassPairs()),
                 {0.4841520467836257, 0.2007109331543433, 0.7675931604129081});
}

TEST(MulticlassKpi, WeightedF1WeighsBySupport) {
  ExpectEstimate(Multiclass(Metric::kWeightedF1, testdata::MulticlassPairs()),
                 {0.6316530214424951, 0.5303903957161452, 0.732915647168845});
}

// Hand check: a class seen only in predictions drags macro F1 but not weighted F1.
// a: TP 1, FN 1 -> F1 2/3; b: FP 1 -> F1 0 (never actual). macro = 1/3, weighted = (2 * 2/3) / 2 = 2/3.
TEST(MulticlassKpi, PredictionOnlyClassCountsZeroInMacroAndNothingInWeighted) {
  const std::vector<Pair> pairs = {Classified("a", "a"), Classified("b", "a")};
  EXPECT_DOUBLE_EQ(Multiclass(Metric::kMacroF1, pairs)->value, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(Multiclass(Metric::kWeightedF1, pairs)->value, 2.0 / 3.0);
}

TEST(MulticlassKpi, SinglePairKeepsTheWholeUnitRange) {
  const std::optional<Estimate> macro = Multiclass(Metric::kMacroF1, {Classified("a", "a")});
  ASSERT_TRUE(macro.has_value());
  EXPECT_DOUBLE_EQ(macro->value, 1.0);
  EXPECT_DOUBLE_EQ(macro->lower, 0.0);
  EXPECT_DOUBLE_EQ(macro->upper, 1.0);
}

TEST(MulticlassKpi, PerfectPredictionsGiveZeroWidthJackknife) {
  const std::vector<Pair> pairs = {Classified("a", "a"), Classified("b", "b"), Classified("a", "a"),
                                   Classified("c", "c"), Classified("b", "b"), Classified("c", "c")};
  ExpectEstimate(Multiclass(Metric::kMacroF1, pairs), {1.0, 1.0, 1.0});
  ExpectEstimate(Multiclass(Metric::kWeightedF1, pairs), {1.0, 1.0, 1.0});
}

}  // namespace
}  // namespace driftgate::kpi

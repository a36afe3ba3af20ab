// Chi2Homogeneity against scipy 1.10.1 scipy.stats.chi2_contingency(np.array([ref, cur]),
// correction=False) -> (statistic, pvalue, dof, expected).
#include "core/stats/chi2.h"

#include <gtest/gtest.h>

#include <vector>

namespace driftgate::stats {
namespace {

void ExpectScipy(const std::vector<double>& ref, const std::vector<double>& cur, double statistic,
                 double p_value, int dof) {
  const Chi2Result result = Chi2Homogeneity(ref, cur);
  EXPECT_NEAR(result.statistic, statistic, 1e-12 * statistic);
  EXPECT_NEAR(result.p_value, p_value, 1e-9 * p_value);
  EXPECT_EQ(result.dof, dof);
}

TEST(Chi2Homogeneity, ThreeCategoriesMatchScipy) {
  // chi2_contingency([[10, 20, 30], [15, 15, 30]], correction=False) -> 1.7142857142857144, 0.42437284567695,
  // 2
  ExpectScipy({10, 20, 30}, {15, 15, 30}, 1.7142857142857144, 0.42437284567695, 2);
}

TEST(Chi2Homogeneity, TwoByTwoTableHasNoYatesCorrection) {
  // chi2_contingency([[45, 55], [60, 40]], correction=False) -> 4.511278195488721, 0.033672068856345896, 1
  // (with the default correction=True scipy would give 3.93...; this test fails if a correction sneaks in)
  ExpectScipy({45, 55}, {60, 40}, 4.511278195488721, 0.033672068856345896, 1);
}

TEST(Chi2Homogeneity, LargeCountsGiveSmallPValue) {
  // chi2_contingency([[1000, 2000, 3000, 1500, 2500], [1100, 1900, 3200, 1400, 2400]], correction=False)
  //   -> 19.26671241783271, 0.0006965574136473482, 4
  ExpectScipy({1000, 2000, 3000, 1500, 2500}, {1100, 1900, 3200, 1400, 2400}, 19.26671241783271,
              0.0006965574136473482, 4);
}

TEST(Chi2Homogeneity, ColumnsEmptyInBothRowsAreDropped) {
  // Same table as ThreeCategories with empty columns around it: scipy would reject the zero expected
  // frequency; dropping them leaves the same test.
  ExpectScipy({0, 10, 20, 0, 30}, {0, 15, 15, 0, 30}, 1.7142857142857144, 0.42437284567695, 2);
}

TEST(Chi2Homogeneity, SingleCategoryIsDegenerateWithPValueOne) {
  const Chi2Result result = Chi2Homogeneity(std::vector<double>{7, 0}, std::vector<double>{3, 0});
  EXPECT_EQ(result.statistic, 0.0);
  EXPECT_EQ(result.p_value, 1.0);
  EXPECT_EQ(result.dof, 0);
}

}  // namespace
}  // namespace driftgate::stats

// Two-proportion z-test. Reference (make_reference.py `cases`, scipy 1.10.1):
//   p1, p2 = k1/n1, k2/n2; P = (p1*n1 + p2*n2)/(n1 + n2)
//   z = (p1 - p2)/np.sqrt(P*(1 - P)*(1/n1 + 1/n2)); p = 2*scipy.stats.norm.sf(abs(z))
#include "core/stats/two_proportion.h"

#include <gtest/gtest.h>

namespace driftgate::stats {
namespace {

TEST(TwoProportionZTest, MatchesScipyNormalSurvival) {
  const ZResult result = TwoProportionZTest(60, 100, 45, 100);
  EXPECT_NEAR(result.statistic, 2.1239769762143657, 1e-13);
  EXPECT_NEAR(result.p_value, 0.033672068856345855, 1e-9 * 0.033672068856345855);
}

TEST(TwoProportionZTest, SignFollowsReferenceMinusCurrent) {
  const ZResult result = TwoProportionZTest(300, 1000, 420, 1200);
  EXPECT_NEAR(result.statistic, -2.4887132606416693, 1e-13);
  EXPECT_NEAR(result.p_value, 0.01282063201383778, 1e-9 * 0.01282063201383778);
}

TEST(TwoProportionZTest, TinyPValuesKeepTheirPrecision) {
  // 2*(1 - norm.cdf(z)) would give 0 here.
  const ZResult result = TwoProportionZTest(900, 1000, 100, 1000);
  EXPECT_NEAR(result.statistic, 35.77708763999664, 1e-12);
  EXPECT_NEAR(result.p_value, 2.509158096763144e-280, 1e-9 * 2.509158096763144e-280);
}

TEST(TwoProportionZTest, NoVariationGivesPValueOne) {
  const ZResult result = TwoProportionZTest(50, 50, 20, 20);
  EXPECT_EQ(result.statistic, 0.0);
  EXPECT_EQ(result.p_value, 1.0);
}

}  // namespace
}  // namespace driftgate::stats

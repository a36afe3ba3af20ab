// KsTwoSample against scipy 1.10.1 scipy.stats.ks_2samp(a, b) (defaults: method='auto',
// alternative='two-sided'). Samples: tests/unit/stats/lcg.h, mirrored by make_reference.py (`cases`).
#include "core/stats/ks.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/stats/lcg.h"

namespace driftgate::stats {
namespace {

using testdata::Bells;
using testdata::Grids;

struct Expected {
  double statistic;
  double p_value;
};

void ExpectScipy(const std::vector<double>& a, const std::vector<double>& b, Expected expected, bool exact,
                 double rel = 1e-9) {
  const KsResult result = KsTwoSample(a, b);
  EXPECT_DOUBLE_EQ(result.statistic, expected.statistic);
  EXPECT_NEAR(result.p_value, expected.p_value, rel * expected.p_value);
  EXPECT_EQ(result.exact, exact);
}

// ---- exact region: max(m, n) <= 10000

TEST(KsTwoSample, TinyUnequalSamplesWithSharedValuesUseTheExactDistribution) {
  // ks_2samp([1, 2, 3, 4, 5], [3, 4, 5, 6, 7, 8]) -> (0.5, 0.35714285714285715)
  ExpectScipy({1, 2, 3, 4, 5}, {3, 4, 5, 6, 7, 8}, {0.5, 0.35714285714285715}, true);
}

TEST(KsTwoSample, SeparatedSamplesHaveStatisticOneAndExactPValue) {
  // ks_2samp([1, 2, 3], [4, 5, 6]) -> (1.0, 0.09999999999999999)  (= 2 / C(6, 3))
  ExpectScipy({1, 2, 3}, {4, 5, 6}, {1.0, 0.09999999999999999}, true);
}

TEST(KsTwoSample, IdenticalSamplesGiveZeroAndPValueOne) {
  const KsResult result = KsTwoSample(std::vector<double>{1, 2, 2, 3}, std::vector<double>{3, 2, 1, 2});
  EXPECT_EQ(result.statistic, 0.0);
  EXPECT_EQ(result.p_value, 1.0);
}

TEST(KsTwoSample, EqualSizesShiftedDetectsDriftExactly) {
  // ks_2samp(bells(1, 50), bells(2, 50, 0.5)) -> (0.52, 1.5814255608393076e-06)
  ExpectScipy(Bells(1, 50), Bells(2, 50, 0.5), {0.52, 1.5814255608393076e-06}, true);
}

TEST(KsTwoSample, UnequalSizesFromOneDistributionGiveLargePValue) {
  // ks_2samp(bells(3, 100), bells(4, 73)) -> (0.12616438356164383, 0.4641768400837578)
  ExpectScipy(Bells(3, 100), Bells(4, 73), {0.12616438356164383, 0.4641768400837578}, true);
}

TEST(KsTwoSample, HeavyTiesAreCountedBeforeComparing) {
  // ks_2samp(grids(5, 200, 12), grids(6, 150, 12, 1.0)) -> (0.17666666666666667, 0.008445267376362503)
  ExpectScipy(Grids(5, 200, 12), Grids(6, 150, 12, 1.0), {0.17666666666666667, 0.008445267376362503}, true);
}

TEST(KsTwoSample, EqualSizesAtTheExactLimitUseTheSquareFormula) {
  // ks_2samp(bells(7, 10000), bells(8, 10000, 0.03)) -> (0.0167, 0.12295028892712498)
  ExpectScipy(Bells(7, 10000), Bells(8, 10000, 0.03), {0.0167, 0.12295028892712498}, true);
}

TEST(KsTwoSample, UnequalSizesAtTheExactLimitUseTheInsideRecursion) {
  // ks_2samp(bells(9, 10000), bells(10, 7001, 0.02)) -> (0.03201249821454078, 0.0004198778899604179)
  ExpectScipy(Bells(9, 10000), Bells(10, 7001, 0.02), {0.03201249821454078, 0.0004198778899604179}, true);
}

// ---- asymptotic region: kstwo.sf(D, round(m n / (m + n)))

TEST(KsTwoSample, JustAboveTheExactLimitSwitchesToKstwo) {
  // ks_2samp(bells(11, 10001), bells(12, 5000, 0.02)) -> (0.009820517948205154, 0.9015574018067269)
  ExpectScipy(Bells(11, 10001), Bells(12, 5000, 0.02), {0.009820517948205154, 0.9015574018067269}, false);
}

TEST(KsTwoSample, LargeEqualSamplesWithDriftGiveTinyPValue) {
  // ks_2samp(bells(13, 20000), bells(14, 20000, 0.05)) -> (0.029949999999999977, 3.160173167313752e-08)
  ExpectScipy(Bells(13, 20000), Bells(14, 20000, 0.05), {0.029949999999999977, 3.160173167313752e-08}, false);
}

TEST(KsTwoSample, VeryLargeSamplesFromOneDistributionUsePelzGood) {
  // ks_2samp(bells(15, 200000), bells(16, 300000)) -> (0.0019166666666666776, 0.7693283411310678)
  ExpectScipy(Bells(15, 200000), Bells(16, 300000), {0.0019166666666666776, 0.7693283411310678}, false);
}

TEST(KsTwoSample, VeryLargeSamplesWithSmallDriftUseTheSmirnovSum) {
  // ks_2samp(bells(17, 200000), bells(18, 300000, 0.01)) -> (0.00818999999999992, 2.028524263914904e-07)
  ExpectScipy(Bells(17, 200000), Bells(18, 300000, 0.01), {0.00818999999999992, 2.028524263914904e-07},
              false);
}

TEST(KsTwoSample, LargeReferenceAgainstSmallCurrentUsesSmallEffectiveN) {
  // ks_2samp(bells(19, 12000), bells(20, 30, 0.4)) -> (0.4476666666666667, 5.292310410983241e-06)
  ExpectScipy(Bells(19, 12000), Bells(20, 30, 0.4), {0.4476666666666667, 5.292310410983241e-06}, false);
}

TEST(KsTwoSample, SingleCurrentValueAgainstLargeReferenceUsesNOne) {
  // ks_2samp(bells(21, 15000), [0.3]) -> (0.6989333333333333, 0.6021333333333334)
  ExpectScipy(Bells(21, 15000), {0.3}, {0.6989333333333333, 0.6021333333333334}, false);
}

TEST(KsTwoSample, LargeSamplesWithTiesInTheAsymptoticRegion) {
  // ks_2samp(grids(22, 30000, 50), grids(23, 20000, 50)) -> (0.0063833333333334075, 0.7099468966553717)
  ExpectScipy(Grids(22, 30000, 50), Grids(23, 20000, 50), {0.0063833333333334075, 0.7099468966553717}, false);
}

TEST(KsTwoSample, IsSymmetricInItsArguments) {
  const std::vector<double> a = Bells(3, 100);
  const std::vector<double> b = Bells(4, 73, 0.2);
  const KsResult ab = KsTwoSample(a, b);
  const KsResult ba = KsTwoSample(b, a);
  EXPECT_EQ(ab.statistic, ba.statistic);
  EXPECT_EQ(ab.p_value, ba.p_value);
}

// ---- the exact distributions on their own

TEST(KsExact, SquareFormulaMatchesTheInsideRecursionForEqualSizes) {
  // Two different algorithms for Pr(D_{n,n} >= h/n).
  for (std::int64_t n : {5, 17, 60}) {
    for (std::int64_t h = 1; h <= n; h += 3) {
      EXPECT_NEAR(KsExactSfEqualSizes(n, h), KsExactSfInside(n, n, n, h), 1e-12) << n << " " << h;
    }
  }
}

TEST(KsExact, ZeroDistanceHasProbabilityOne) { EXPECT_EQ(KsExactSfEqualSizes(10, 0), 1.0); }

}  // namespace
}  // namespace driftgate::stats

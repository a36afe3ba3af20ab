// W1 against scipy 1.10.1 scipy.stats.wasserstein_distance(u, v); std against numpy.std (ddof=0).
#include "core/stats/wasserstein.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/unit/stats/lcg.h"

namespace driftgate::stats {
namespace {

TEST(Wasserstein, ShiftOfDisjointSamplesIsTheShift) {
  // wasserstein_distance([0, 1, 3], [5, 6, 8]) -> 5.0
  EXPECT_DOUBLE_EQ(Wasserstein(std::vector<double>{0, 1, 3}, std::vector<double>{5, 6, 8}), 5.0);
}

TEST(Wasserstein, UnequalSizesMatchScipy) {
  // wasserstein_distance([3.4, 3.9, 7.5, 7.8], [4.5, 1.4]) -> 2.7
  EXPECT_NEAR(Wasserstein(std::vector<double>{3.4, 3.9, 7.5, 7.8}, std::vector<double>{4.5, 1.4}), 2.7,
              1e-14);
}

TEST(Wasserstein, LargeSamplesMatchScipy) {
  // wasserstein_distance(bells(31, 1000), bells(32, 800, 0.3)) -> 0.319595944477325
  EXPECT_NEAR(Wasserstein(testdata::Bells(31, 1000), testdata::Bells(32, 800, 0.3)), 0.319595944477325,
              1e-9 * 0.319595944477325);
  // wasserstein_distance(bells(33, 5000), bells(34, 5000)) -> 0.006988537981191569
  EXPECT_NEAR(Wasserstein(testdata::Bells(33, 5000), testdata::Bells(34, 5000)), 0.006988537981191569,
              1e-9 * 0.006988537981191569);
}

TEST(Wasserstein, TiesContributeNothingBetweenEqualValues) {
  // wasserstein_distance(grids(35, 500, 4), grids(36, 400, 6)) -> 1.0035
  EXPECT_NEAR(Wasserstein(testdata::Grids(35, 500, 4), testdata::Grids(36, 400, 6)), 1.0035, 1e-12);
}

TEST(PopulationStd, MatchesNumpyStd) {
  // np.std(bells(41, 1001)) -> 0.5910652679031055
  EXPECT_NEAR(PopulationStd(testdata::Bells(41, 1001)), 0.5910652679031055, 1e-14);
  EXPECT_EQ(PopulationStd(std::vector<double>{2, 2, 2}), 0.0);
}

}  // namespace
}  // namespace driftgate::stats

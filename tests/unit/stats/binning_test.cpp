// Decile edges against numpy 1.24.2 np.quantile(x, [0.1, 0.2, ..., 0.9]) (method='linear'), and the
// right-closed bin rule of core/stats/binning.h.
#include "core/stats/binning.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/stats/lcg.h"

namespace driftgate::stats {
namespace {

void ExpectEdges(const std::vector<double>& values, const std::vector<double>& expected) {
  const std::vector<double> edges = Quantiles(values, kDecileLevels);
  ASSERT_EQ(edges.size(), expected.size());
  for (std::size_t i = 0; i < edges.size(); ++i) EXPECT_DOUBLE_EQ(edges[i], expected[i]) << "edge " << i;
}

TEST(Quantiles, IntegerVirtualIndicesPickOrderStatistics) {
  // np.quantile(np.arange(1.0, 12.0), levels) -> [2.0, 3.0, ..., 10.0]
  ExpectEdges({11, 3, 5, 1, 2, 4, 6, 8, 7, 10, 9}, {2, 3, 4, 5, 6, 7, 8, 9, 10});
}

TEST(Quantiles, InterpolatesLinearlyBetweenNeighbours) {
  // np.quantile([3.0, 1.0, 2.0], levels) -> [1.2, 1.4, 1.6, 1.8, 2.0, 2.2, 2.4, 2.6, 2.8]
  ExpectEdges({3, 1, 2}, {1.2, 1.4, 1.6, 1.8, 2.0, 2.2, 2.4, 2.6, 2.8});
}

TEST(Quantiles, MatchesNumpyOnAnUnsortedSample) {
  // np.quantile(bells(41, 1001), levels)
  ExpectEdges(testdata::Bells(41, 1001), {-0.7450211137398632, -0.4757903142822206, -0.3060007525398407,
                                          -0.1349121872732184, 0.009174634444372831, 0.15044056278981666,
                                          0.32172451775652267, 0.5101011450506436, 0.8080245993460222});
}

TEST(Quantiles, SingleValueGivesThatValueEverywhere) { ExpectEdges({4.5}, std::vector<double>(9, 4.5)); }

TEST(BinIndex, BinsAreRightClosedWithOpenOuterBins) {
  const std::vector<double> edges = {1.0, 2.0, 3.0};
  EXPECT_EQ(BinIndex(edges, -1e300), 0u);
  EXPECT_EQ(BinIndex(edges, 1.0), 0u);  // (-inf, 1]
  EXPECT_EQ(BinIndex(edges, 1.5), 1u);  // (1, 2]
  EXPECT_EQ(BinIndex(edges, 2.0), 1u);
  EXPECT_EQ(BinIndex(edges, 3.0), 2u);
  EXPECT_EQ(BinIndex(edges, 3.5), 3u);  // (3, inf)
}

TEST(DecileBinCounts, TiedEdgesLeaveEmptyBinsAndCountMatchesNumpy) {
  // edges = np.quantile(grids(35, 500, 4), levels) = [0, 0, 1, 1, 1, 2, 2, 3, 3];
  // np.bincount(np.searchsorted(edges, x, side='left'), minlength=10) for both samples.
  const BinCounts counts = DecileBinCounts(testdata::Grids(35, 500, 4), testdata::Grids(36, 400, 6));
  EXPECT_EQ(counts.reference, (std::vector<double>{139, 0, 123, 0, 0, 120, 0, 118, 0, 0}));
  EXPECT_EQ(counts.current, (std::vector<double>{87, 0, 51, 0, 0, 65, 0, 65, 0, 132}));
  EXPECT_EQ(counts.reference_total, 500.0);
  EXPECT_EQ(counts.current_total, 400.0);
}

TEST(CategoryCounts, CountsOverTheUnionInLabelOrder) {
  const std::vector<std::string> reference = {"b", "a", "b", "c"};
  const std::vector<std::string> current = {"d", "b"};
  const BinCounts counts = CategoryCounts(reference, current);
  EXPECT_EQ(counts.reference, (std::vector<double>{1, 2, 1, 0}));  // a b c d
  EXPECT_EQ(counts.current, (std::vector<double>{0, 1, 0, 1}));
}

}  // namespace
}  // namespace driftgate::stats

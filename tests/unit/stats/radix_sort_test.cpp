#include "core/stats/radix_sort.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "tests/unit/stats/lcg.h"

namespace driftgate::stats {
namespace {

TEST(SortedCopy, MatchesStdSortOnLargeMixedSignData) {
  std::vector<double> values = testdata::Bells(7, 100000, 0.0, 1e6);
  testdata::Lcg lcg(8);
  for (std::size_t i = 0; i < values.size(); i += 7)
    values[i] = std::ldexp(lcg.Uniform() - 0.5, -1040);                                         // subnormal
  for (std::size_t i = 3; i < values.size(); i += 11) values[i] = std::floor(values[i] / 1e5);  // ties
  values[5] = std::numeric_limits<double>::infinity();
  values[6] = -std::numeric_limits<double>::infinity();
  values[9] = std::numeric_limits<double>::max();
  values[10] = std::numeric_limits<double>::lowest();
  std::vector<double> expected = values;
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(SortedCopy(values), expected);
}

TEST(SortedCopy, OrdersNegativeZeroBeforePositiveZero) {
  std::vector<double> values(5000, 0.0);
  for (std::size_t i = 0; i < values.size(); i += 2) values[i] = -0.0;
  const std::vector<double> sorted = SortedCopy(values);
  EXPECT_TRUE(std::signbit(sorted.front()));
  EXPECT_FALSE(std::signbit(sorted.back()));
  EXPECT_TRUE(std::is_sorted(sorted.begin(), sorted.end()));
}

TEST(SortedCopy, HandlesSmallAndConstantInputs) {
  EXPECT_EQ(SortedCopy(std::vector<double>{3, -1, 2}), (std::vector<double>{-1, 2, 3}));
  EXPECT_TRUE(SortedCopy(std::vector<double>{}).empty());
  EXPECT_EQ(SortedCopy(std::vector<double>(10000, 4.25)), std::vector<double>(10000, 4.25));
}

}  // namespace
}  // namespace driftgate::stats

// kstwo and smirnov against scipy 1.10.1 over grids that visit every method of kolmogorov.h.
// tests/data/stats/kstwo_sf.csv:   n, x, scipy.stats.kstwo.sf(x, n)      (make_reference.py kstwo)
// tests/data/stats/smirnov_sf.csv: n, x, scipy.special.smirnov(n, x)     (make_reference.py smirnov)
#include "core/stats/kolmogorov.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace driftgate::stats {
namespace {

struct Row {
  std::int64_t n = 0;
  double x = 0.0;
  double expected = 0.0;
};

std::vector<Row> ReadGrid(const std::string& name) {
  std::ifstream in(std::string(DRIFTGATE_TEST_DATA) + "/stats/" + name);
  std::vector<Row> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string n, x, expected;
    std::getline(fields, n, ',');
    std::getline(fields, x, ',');
    std::getline(fields, expected, ',');
    rows.push_back(
        Row{std::stoll(n), std::strtod(x.c_str(), nullptr), std::strtod(expected.c_str(), nullptr)});
  }
  return rows;
}

// Relative 1e-9, or absolute 1e-300 for values that underflow differently.
::testing::AssertionResult Close(double actual, double expected, double rel) {
  if (std::fabs(actual - expected) <= rel * std::fabs(expected) + 1e-300)
    return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual " << actual << " expected " << expected << " rel.err "
                                       << std::fabs(actual - expected) / std::fabs(expected);
}

TEST(KolmogorovSf, MatchesScipyKstwoOverEveryMethodRegion) {
  const std::vector<Row> rows = ReadGrid("kstwo_sf.csv");
  ASSERT_GT(rows.size(), 600u);
  for (const Row& row : rows) {
    EXPECT_TRUE(Close(KolmogorovSf(row.n, row.x), row.expected, 1e-9))
        << "kstwo.sf(" << row.x << ", " << row.n << ")";
  }
}

TEST(SmirnovSf, MatchesScipySpecialSmirnov) {
  const std::vector<Row> rows = ReadGrid("smirnov_sf.csv");
  ASSERT_GT(rows.size(), 100u);
  for (const Row& row : rows) {
    EXPECT_TRUE(Close(SmirnovSf(row.n, row.x), row.expected, 1e-9))
        << "smirnov(" << row.n << ", " << row.x << ")";
  }
}

TEST(KolmogorovSf, IsOneBelowHalfOverNAndZeroAtOne) {
  EXPECT_EQ(KolmogorovSf(10, 0.04), 1.0);
  EXPECT_EQ(KolmogorovSf(10, 1.0), 0.0);
  EXPECT_TRUE(std::isnan(KolmogorovSf(0, 0.5)));
}

TEST(KolmogorovCdf, DurbinAndPomeranzAgreeWhereBothApply) {
  // Two independent exact algorithms for the same probability.
  for (std::int64_t n : {10, 50, 140}) {
    for (double nxx : {0.8, 1.5, 3.0}) {
      const double x = std::sqrt(nxx / static_cast<double>(n));
      EXPECT_NEAR(KolmogorovCdfDurbin(n, x), KolmogorovCdfPomeranz(n, x), 1e-12) << n << " " << x;
    }
  }
}

}  // namespace
}  // namespace driftgate::stats

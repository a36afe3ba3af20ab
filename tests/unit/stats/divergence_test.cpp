// PSI and Jensen–Shannon on count vectors. Reference values from make_reference.py (`cases`):
//   psi:  rp = r/r.sum(); cp = c/c.sum(); rp[rp == 0] = 1e-4; cp[cp == 0] = 1e-4;
//         np.sum((cp - rp) * np.log(cp / rp))
//   js:   scipy.spatial.distance.jensenshannon(r / r.sum(), c / c.sum(), base=2)   (scipy 1.10.1)
#include "core/stats/divergence.h"

#include <gtest/gtest.h>

#include <vector>

namespace driftgate::stats {
namespace {

double Psi(const std::vector<double>& r, const std::vector<double>& c) {
  double rt = 0;
  double ct = 0;
  for (double x : r) rt += x;
  for (double x : c) ct += x;
  return PopulationStabilityIndex(r, rt, c, ct);
}

double Js(const std::vector<double>& r, const std::vector<double>& c) {
  double rt = 0;
  double ct = 0;
  for (double x : r) rt += x;
  for (double x : c) ct += x;
  return JensenShannonDistance(r, rt, c, ct);
}

// Decile counts of bells(31, 1000) vs bells(32, 800, 0.3).
const std::vector<double> kShiftRef = {100, 100, 100, 100, 100, 100, 100, 100, 100, 100};
const std::vector<double> kShiftCur = {31, 44, 56, 63, 58, 53, 70, 92, 132, 201};
// Category counts (DE ES FR IT PL) of a small categorical example; ES only in the reference, PL only in
// the current sample.
const std::vector<double> kCatRef = {40, 10, 30, 20, 0};
const std::vector<double> kCatCur = {25, 0, 30, 25, 20};

TEST(PopulationStabilityIndex, MatchesTheFormulaOnShiftedDeciles) {
  EXPECT_NEAR(Psi(kShiftRef, kShiftCur), 0.29914568211084575, 1e-12);
}

TEST(PopulationStabilityIndex, ReplacesZeroProportionsBy1eMinus4) {
  // Without the replacement the ES and PL terms would be infinite.
  EXPECT_NEAR(Psi(kCatRef, kCatCur), 2.2911628759853486, 1e-12);
}

TEST(PopulationStabilityIndex, IsZeroForIdenticalProportions) { EXPECT_EQ(Psi({1, 2, 3}, {2, 4, 6}), 0.0); }

TEST(JensenShannonDistance, MatchesScipyOnShiftedDeciles) {
  EXPECT_NEAR(Js(kShiftRef, kShiftCur), 0.22923842158698773, 1e-12);
}

TEST(JensenShannonDistance, MatchesScipyWithCategoriesMissingOnEitherSide) {
  EXPECT_NEAR(Js(kCatRef, kCatCur), 0.405716637570442, 1e-12);
}

TEST(JensenShannonDistance, IsOneForDisjointSupportsAndZeroForEqualOnes) {
  EXPECT_NEAR(Js({1, 0}, {0, 1}), 1.0, 1e-15);
  EXPECT_EQ(Js({3, 1}, {6, 2}), 0.0);
}

}  // namespace
}  // namespace driftgate::stats

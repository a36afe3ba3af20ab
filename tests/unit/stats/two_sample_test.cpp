// Run() end to end on samples, against scipy 1.10.1 / numpy 1.24.2 values (make_reference.py `cases`),
// plus names, thresholds, validation and Evidently's default test choice.
#include "core/stats/two_sample.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/stats/lcg.h"

namespace driftgate::stats {
namespace {

Sample Numbers(std::vector<double> values) { return Sample{std::move(values), {}, false}; }
Sample Labels(std::vector<std::string> labels) { return Sample{{}, std::move(labels), true}; }

Sample Repeat(std::initializer_list<std::pair<const char*, int>> counts) {
  Sample sample{{}, {}, true};
  for (const auto& [label, count] : counts) sample.labels.insert(sample.labels.end(), count, label);
  return sample;
}

TestResult MustRun(Test test, const Sample& ref, const Sample& cur, std::optional<double> threshold = {}) {
  Result<TestResult> result = stats::Run(test, ref, cur, threshold);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().message);
  return result.ok() ? *result : TestResult{};
}

// bells(31, 1000) vs bells(32, 800, 0.3): a visible shift.
const Sample kShiftRef = Numbers(testdata::Bells(31, 1000));
const Sample kShiftCur = Numbers(testdata::Bells(32, 800, 0.3));
// Categories DE 40, ES 10, FR 30, IT 20 vs DE 25, FR 30, IT 25, PL 20.
const Sample kCatRef = Repeat({{"DE", 40}, {"FR", 30}, {"IT", 20}, {"ES", 10}});
const Sample kCatCur = Repeat({{"DE", 25}, {"FR", 30}, {"IT", 25}, {"PL", 20}});

TEST(Run, KsOnNumbersReportsStatisticPValueAndDrift) {
  // ks_2samp(bells(1, 50), bells(2, 50, 0.5)) -> (0.52, 1.5814255608393076e-06)
  const TestResult r =
      MustRun(stats::Test::kKs, Numbers(testdata::Bells(1, 50)), Numbers(testdata::Bells(2, 50, 0.5)));
  EXPECT_EQ(r.test, stats::Test::kKs);
  EXPECT_DOUBLE_EQ(r.statistic, 0.52);
  ASSERT_TRUE(r.p_value.has_value());
  EXPECT_NEAR(*r.p_value, 1.5814255608393076e-06, 1e-9 * 1.5814255608393076e-06);
  EXPECT_EQ(r.threshold, 0.05);
  EXPECT_TRUE(r.drift);
}

TEST(Run, PsiOnNumbersUsesReferenceDeciles) {
  // decile counts as np.quantile + np.searchsorted(side='left'); psi formula in divergence_test.cpp
  const TestResult r = MustRun(stats::Test::kPsi, kShiftRef, kShiftCur);
  EXPECT_NEAR(r.statistic, 0.29914568211084575, 1e-12);
  EXPECT_FALSE(r.p_value.has_value());
  EXPECT_EQ(r.threshold, 0.1);
  EXPECT_TRUE(r.drift);
}

TEST(Run, PsiBelowThresholdIsNoDrift) {
  // bells(33, 5000) vs bells(34, 5000): psi = 0.00154572758547426
  const TestResult r =
      MustRun(stats::Test::kPsi, Numbers(testdata::Bells(33, 5000)), Numbers(testdata::Bells(34, 5000)));
  EXPECT_NEAR(r.statistic, 0.00154572758547426, 1e-12);
  EXPECT_FALSE(r.drift);
}

TEST(Run, JensenShannonOnNumbersMatchesScipy) {
  // jensenshannon(r/r.sum(), c/c.sum(), base=2) on the decile counts -> 0.22923842158698773
  EXPECT_NEAR(MustRun(stats::Test::kJensenShannon, kShiftRef, kShiftCur).statistic, 0.22923842158698773,
              1e-12);
  // bells(33, 5000) vs bells(34, 5000) -> 0.016694181258596636
  EXPECT_NEAR(MustRun(stats::Test::kJensenShannon, Numbers(testdata::Bells(33, 5000)),
                      Numbers(testdata::Bells(34, 5000)))
                  .statistic,
              0.016694181258596636, 1e-12);
}

TEST(Run, Chi2OnNumbersBinsByDecilesAndDropsEmptyBins) {
  // chi2_contingency on the non-empty decile columns, correction=False
  const TestResult shift = MustRun(stats::Test::kChi2, kShiftRef, kShiftCur);
  EXPECT_NEAR(shift.statistic, 127.82019855609927, 1e-9 * 127.82019855609927);
  EXPECT_NEAR(*shift.p_value, 3.3273843943127553e-23, 1e-9 * 3.3273843943127553e-23);
  const TestResult ties =
      MustRun(stats::Test::kChi2, Numbers(testdata::Grids(35, 500, 4)), Numbers(testdata::Grids(36, 400, 6)));
  EXPECT_NEAR(ties.statistic, 196.7770181373137, 1e-9 * 196.7770181373137);
  EXPECT_NEAR(*ties.p_value, 1.8524632652149444e-41, 1e-9 * 1.8524632652149444e-41);
  const TestResult same =
      MustRun(stats::Test::kChi2, Numbers(testdata::Bells(33, 5000)), Numbers(testdata::Bells(34, 5000)));
  EXPECT_NEAR(*same.p_value, 0.9202103410787964, 1e-9);
  EXPECT_FALSE(same.drift);
}

TEST(Run, CategoricalTestsUseTheUnionOfCategories) {
  // chi2_contingency([[40, 10, 30, 20, 0], [25, 0, 30, 25, 20]], correction=False) -> 34.01709401709402,
  // 7.391976250121397e-07; psi 2.2911628759853486; jensenshannon 0.405716637570442
  const TestResult chi2 = MustRun(stats::Test::kChi2, kCatRef, kCatCur);
  EXPECT_NEAR(chi2.statistic, 34.01709401709402, 1e-9 * 34.01709401709402);
  EXPECT_NEAR(*chi2.p_value, 7.391976250121397e-07, 1e-9 * 7.391976250121397e-07);
  EXPECT_NEAR(MustRun(stats::Test::kPsi, kCatRef, kCatCur).statistic, 2.2911628759853486, 1e-12);
  EXPECT_NEAR(MustRun(stats::Test::kJensenShannon, kCatRef, kCatCur).statistic, 0.405716637570442, 1e-12);
}

TEST(Run, WassersteinAndItsNormedVariantMatchScipy) {
  // wasserstein_distance(...) -> 0.319595944477325; / max(np.std(ref), 0.001) -> 0.5634149070172263
  EXPECT_NEAR(MustRun(stats::Test::kWasserstein, kShiftRef, kShiftCur).statistic, 0.319595944477325, 1e-12);
  const TestResult normed = MustRun(stats::Test::kWassersteinNormed, kShiftRef, kShiftCur);
  EXPECT_NEAR(normed.statistic, 0.5634149070172263, 1e-12);
  EXPECT_TRUE(normed.drift);
}

TEST(Run, WassersteinNormedFloorsTheStdOfAConstantReference) {
  const TestResult r = MustRun(stats::Test::kWassersteinNormed, Numbers({1, 1, 1}), Numbers({1.002, 1.002}));
  EXPECT_NEAR(r.statistic, 0.002 / 0.001, 1e-9);
}

TEST(Run, ZTestComparesTheShareOfTheReferenceMajorityCategory) {
  // 60/100 "yes" vs 45/100 "yes": z = 2.1239769762143657, p = 0.033672068856345855
  const TestResult r =
      MustRun(stats::Test::kZ, Repeat({{"yes", 60}, {"no", 40}}), Repeat({{"yes", 45}, {"no", 55}}));
  EXPECT_NEAR(r.statistic, 2.1239769762143657, 1e-12);
  EXPECT_NEAR(*r.p_value, 0.033672068856345855, 1e-9 * 0.033672068856345855);
  EXPECT_TRUE(r.drift);
  // Same on numbers 0/1.
  std::vector<double> ref(100, 1.0);
  std::fill(ref.begin() + 60, ref.end(), 0.0);
  std::vector<double> cur(100, 1.0);
  std::fill(cur.begin() + 45, cur.end(), 0.0);
  EXPECT_NEAR(*MustRun(stats::Test::kZ, Numbers(ref), Numbers(cur)).p_value, 0.033672068856345855,
              1e-9 * 0.0336);
}

TEST(Run, ExplicitThresholdDecidesDrift) {
  const TestResult strict = MustRun(stats::Test::kPsi, kShiftRef, kShiftCur, 0.5);
  EXPECT_EQ(strict.threshold, 0.5);
  EXPECT_FALSE(strict.drift);
  const TestResult lenient =
      MustRun(stats::Test::kKs, Numbers(testdata::Bells(3, 100)), Numbers(testdata::Bells(4, 73)), 0.5);
  EXPECT_TRUE(lenient.drift);  // p = 0.464 < 0.5
}

TEST(Run, RejectsEmptySamples) {
  const Result<TestResult> r = stats::Run(stats::Test::kKs, Numbers({}), Numbers({1.0}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(r.error().field, "reference");
  EXPECT_EQ(stats::Run(stats::Test::kPsi, Numbers({1.0}), Numbers({})).error().field, "current");
}

TEST(Run, RejectsNumericOnlyTestsOnCategories) {
  for (stats::Test test : {stats::Test::kKs, stats::Test::kWasserstein, stats::Test::kWassersteinNormed}) {
    const Result<TestResult> r = stats::Run(test, kCatRef, kCatCur);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().field, "test");
    EXPECT_NE(r.error().message.find(std::string(TestName(test))), std::string::npos) << r.error().message;
  }
}

TEST(Run, RejectsMixedKindsNonFiniteNumbersAndBadThresholds) {
  EXPECT_FALSE(stats::Run(stats::Test::kPsi, Numbers({1.0}), Labels({"a"})).ok());
  const Result<TestResult> nan = stats::Run(stats::Test::kKs, Numbers({1.0, std::nan("")}), Numbers({1.0}));
  ASSERT_FALSE(nan.ok());
  EXPECT_NE(nan.error().message.find("index 1"), std::string::npos) << nan.error().message;
  EXPECT_EQ(stats::Run(stats::Test::kKs, Numbers({1.0}), Numbers({2.0}), -0.1).error().field, "threshold");
}

TEST(TestNames, RoundTripAndUnknownNamesAreRejected) {
  for (stats::Test test :
       {stats::Test::kKs, stats::Test::kChi2, stats::Test::kPsi, stats::Test::kJensenShannon,
        stats::Test::kWasserstein, stats::Test::kWassersteinNormed, stats::Test::kZ}) {
    EXPECT_EQ(ParseTest(TestName(test)), test);
  }
  EXPECT_EQ(ParseTest("jensen_shannon"), stats::Test::kJensenShannon);
  EXPECT_EQ(ParseTest("wasserstein_normed"), stats::Test::kWassersteinNormed);
  EXPECT_FALSE(ParseTest("KS").has_value());
  EXPECT_FALSE(ParseTest("t_test").has_value());
}

TEST(DefaultThreshold, IsFivePercentForPValuesAndPointOneForDistances) {
  EXPECT_EQ(DefaultThreshold(stats::Test::kKs), 0.05);
  EXPECT_EQ(DefaultThreshold(stats::Test::kChi2), 0.05);
  EXPECT_EQ(DefaultThreshold(stats::Test::kZ), 0.05);
  EXPECT_EQ(DefaultThreshold(stats::Test::kPsi), 0.1);
  EXPECT_EQ(DefaultThreshold(stats::Test::kWassersteinNormed), 0.1);
  EXPECT_TRUE(IsPValue(stats::Test::kZ));
  EXPECT_FALSE(IsPValue(stats::Test::kJensenShannon));
}

TEST(DefaultTestFor, FollowsEvidentlysRuleBySizeKindAndDistinctValues) {
  EXPECT_EQ(DefaultTestFor(Numbers(testdata::Bells(1, 1000))), stats::Test::kKs);
  EXPECT_EQ(DefaultTestFor(Numbers(testdata::Grids(2, 1000, 5))), stats::Test::kChi2);  // 5 distinct: not > 5
  EXPECT_EQ(DefaultTestFor(Numbers(testdata::Grids(2, 1000, 6))), stats::Test::kKs);
  EXPECT_EQ(DefaultTestFor(Numbers(testdata::Grids(3, 500, 2))), stats::Test::kZ);
  EXPECT_EQ(DefaultTestFor(kCatRef), stats::Test::kChi2);
  EXPECT_EQ(DefaultTestFor(Repeat({{"yes", 600}, {"no", 400}})), stats::Test::kZ);
  EXPECT_EQ(DefaultTestFor(Numbers(testdata::Bells(1, 1001))), stats::Test::kWassersteinNormed);
  EXPECT_EQ(DefaultTestFor(Numbers(testdata::Grids(3, 1001, 2))), stats::Test::kWassersteinNormed);
  EXPECT_EQ(DefaultTestFor(Repeat({{"yes", 601}, {"no", 400}})), stats::Test::kJensenShannon);
}

}  // namespace
}  // namespace driftgate::stats

// Interval primitives of core/kpi/intervals.h. Quantiles and Wilson bounds from
//   /usr/bin/python3 -c "import scipy.stats as st; print(st.norm.ppf(0.975), st.t.ppf(0.975, 10), ...)"
// with Wilson written out as in tests/data/kpi/reference.py wilson().
#include "core/kpi/intervals.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "tests/unit/kpi/kpi_test_data.h"

namespace driftgate::kpi {
namespace {

using testdata::ExpectClose;

TEST(Intervals, CriticalValuesMatchScipy) {
  ExpectClose(NormalCritical(0.95), 1.959963984540054);        // st.norm.ppf(0.975)
  ExpectClose(NormalCritical(0.999), 3.2905267314919255);      // st.norm.ppf(1 - 0.0005)
  ExpectClose(StudentCritical(0.95, 10), 2.2281388519649385);  // st.t.ppf(0.975, 10)
  ExpectClose(StudentCritical(0.99, 1), 63.65674116287399);    // st.t.ppf(0.995, 1)
}

TEST(Intervals, WilsonStaysInsideTheUnitIntervalAtTheEdges) {
  const Interval none = WilsonInterval(0, 10, 0.95);
  ExpectClose(none.lower, 0.0);
  ExpectClose(none.upper, 0.2775327998628892);
  const Interval all = WilsonInterval(10, 10, 0.95);
  ExpectClose(all.lower, 0.7224672001371107);
  ExpectClose(all.upper, 0.9999999999999999);
  EXPECT_LE(all.upper, 1.0);
  const Interval some = WilsonInterval(3, 7, 0.95);
  ExpectClose(some.lower, 0.15821985525146975);
  ExpectClose(some.upper, 0.7495416354723428);
}

TEST(Intervals, WeightedAccumulatorEqualsRepeatedValues) {
  MeanAccumulator weighted;
  weighted.Add(1.0, 3.0);
  weighted.Add(4.0, 2.0);
  MeanAccumulator repeated;
  for (const double x : {1.0, 1.0, 1.0, 4.0, 4.0}) repeated.Add(x);
  ExpectClose(weighted.count(), 5.0);
  ExpectClose(weighted.mean(), repeated.mean());  // 2.2
  ExpectClose(weighted.m2(), repeated.m2());      // 3 * 1.44 + 2 * 3.24 = 10.8
  ExpectClose(weighted.m2(), 10.8);
}

TEST(Intervals, MeanTIntervalOfOneValueIsUnbounded) {
  MeanAccumulator one;
  one.Add(2.0);
  const Interval ci = MeanTInterval(one, 0.95);
  EXPECT_EQ(ci.lower, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(ci.upper, std::numeric_limits<double>::infinity());
}

// mean 2, s = 1, n = 3: 2 -+ t_{0.975, 2} / sqrt(3), st.t.ppf(0.975, 2) = 4.302652729911275.
TEST(Intervals, MeanTIntervalUsesNMinusOneDegreesOfFreedom) {
  MeanAccumulator acc;
  for (const double x : {1.0, 2.0, 3.0}) acc.Add(x);
  const Interval ci = MeanTInterval(acc, 0.95);
  ExpectClose(ci.lower, 2.0 - 4.302652729911275 / std::sqrt(3.0));
  ExpectClose(ci.upper, 2.0 + 4.302652729911275 / std::sqrt(3.0));
}

// The midrank algorithm against the pairwise definition (DeLong et al. 1988): psi(x, y) = 1, 1/2, 0 for
// x > y, x == y, x < y; V10_i = mean_j psi(x_i, y_j), V01_j = mean_i psi(x_i, y_j).
TEST(Intervals, DeLongMidranksEqualThePairwiseDefinitionWithTies) {
  testdata::Lcg rng(99);
  std::vector<double> pos;
  std::vector<double> neg;
  for (int i = 0; i < 37; ++i) pos.push_back(static_cast<double>(rng.Next() % 9 + 2));
  for (int j = 0; j < 29; ++j) neg.push_back(static_cast<double>(rng.Next() % 9));

  std::vector<double> v10(pos.size(), 0.0);
  std::vector<double> v01(neg.size(), 0.0);
  for (std::size_t i = 0; i < pos.size(); ++i) {
    for (std::size_t j = 0; j < neg.size(); ++j) {
      const double psi = pos[i] > neg[j] ? 1.0 : (pos[i] == neg[j] ? 0.5 : 0.0);
      v10[i] += psi / static_cast<double>(neg.size());
      v01[j] += psi / static_cast<double>(pos.size());
    }
  }
  const auto mean = [](const std::vector<double>& v) {
    double s = 0.0;
    for (const double x : v) s += x;
    return s / static_cast<double>(v.size());
  };
  const auto sample_var = [&](const std::vector<double>& v) {
    const double m = mean(v);
    double s = 0.0;
    for (const double x : v) s += (x - m) * (x - m);
    return s / static_cast<double>(v.size() - 1);
  };
  const double auc = mean(v10);
  const double variance =
      sample_var(v10) / static_cast<double>(pos.size()) + sample_var(v01) / static_cast<double>(neg.size());

  const DeLongEstimate estimate = DeLong(pos, neg);
  ASSERT_TRUE(estimate.variance_defined);
  ExpectClose(estimate.auc, auc);
  ExpectClose(estimate.variance, variance);
  EXPECT_GT(estimate.variance, 0.0);
}

TEST(Intervals, DeLongVarianceIsUndefinedWithASinglePositive) {
  std::vector<double> pos = {0.7};
  std::vector<double> neg = {0.1, 0.9, 0.7};
  const DeLongEstimate estimate = DeLong(pos, neg);
  ExpectClose(estimate.auc, 0.5);  // beats 0.1, loses to 0.9, ties 0.7
  EXPECT_FALSE(estimate.variance_defined);
}

}  // namespace
}  // namespace driftgate::kpi

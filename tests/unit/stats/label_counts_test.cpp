// A categorical sample given by counts (Sample::label_counts), wholly or in part, tests exactly as the
// same labels listed one per value; a reference's kept spread (Sample::population_std) gives exactly the
// wasserstein_normed it would compute.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "core/stats/two_sample.h"
#include "core/stats/wasserstein.h"
#include "tests/unit/stats/lcg.h"

namespace driftgate::stats {
namespace {

using Counted = std::vector<std::pair<std::string, std::size_t>>;

Sample Listed(const Counted& counts) {
  Sample s{{}, {}, true};
  for (const auto& [label, count] : counts) s.labels.insert(s.labels.end(), count, label);
  return s;
}

Sample CountedSample(const Counted& counts) {
  Sample s{{}, {}, true};
  s.label_counts = counts;
  return s;
}

// The first `listed` distinct labels listed, the others counted.
Sample Mixed(const Counted& counts, std::size_t listed) {
  Sample s{{}, {}, true};
  for (std::size_t i = 0; i < counts.size(); ++i) {
    if (i < listed) {
      s.labels.insert(s.labels.end(), counts[i].second, counts[i].first);
    } else {
      s.label_counts.push_back(counts[i]);
    }
  }
  return s;
}

void ExpectSame(stats::Test test, const Sample& ref_a, const Sample& cur_a, const Sample& ref_b,
                const Sample& cur_b) {
  const auto a = stats::Run(test, ref_a, cur_a);
  const auto b = stats::Run(test, ref_b, cur_b);
  ASSERT_TRUE(a.ok() && b.ok()) << TestName(test);
  EXPECT_EQ(a->statistic, b->statistic) << TestName(test);
  EXPECT_EQ(a->p_value, b->p_value) << TestName(test);
  EXPECT_EQ(a->drift, b->drift) << TestName(test);
}

// Labels only one side has, a label sorting between the others, ties for the most frequent label (the
// z-test takes the smallest), a byte-order edge ("Z" < "a").
const Counted kReference = {{"DE", 40}, {"ES", 10}, {"FR", 40}, {"IT", 20}, {"Z", 3}, {"a", 7}};
const Counted kCurrent = {{"AT", 5}, {"DE", 25}, {"FR", 30}, {"IT", 25}, {"PL", 20}, {"a", 1}};

TEST(LabelCounts, EveryCategoricalTestGivesWhatListedLabelsGive) {
  for (stats::Test test :
       {stats::Test::kChi2, stats::Test::kPsi, stats::Test::kJensenShannon, stats::Test::kZ}) {
    const Sample ref = Listed(kReference), cur = Listed(kCurrent);
    ExpectSame(test, ref, cur, CountedSample(kReference), CountedSample(kCurrent));
    ExpectSame(test, ref, cur, Mixed(kReference, 2), Mixed(kCurrent, 4));
    ExpectSame(test, ref, cur, CountedSample(kReference), Listed(kCurrent));
  }
}

TEST(LabelCounts, SizeAndDefaultTestCountEveryValue) {
  EXPECT_EQ(CountedSample(kReference).size(), 120u);
  EXPECT_EQ(Mixed(kReference, 3).size(), 120u);
  // Small references choose by distinct values: two distinct -> z, more -> chi2; large -> jensen_shannon.
  EXPECT_EQ(DefaultTestFor(CountedSample({{"a", 5}, {"b", 9}})), stats::Test::kZ);
  EXPECT_EQ(DefaultTestFor(CountedSample(kReference)), stats::Test::kChi2);
  EXPECT_EQ(DefaultTestFor(Mixed({{"a", 5}, {"b", 9}, {"c", 2}}, 1)), stats::Test::kChi2);
  EXPECT_EQ(DefaultTestFor(CountedSample({{"a", 600}, {"b", 900}})), stats::Test::kJensenShannon);
}

TEST(LabelCounts, AnEmptyCountedSampleIsRefused) {
  const auto r = stats::Run(stats::Test::kChi2, CountedSample({}), CountedSample(kCurrent));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().field, "reference");
}

TEST(PopulationStd, AKeptSpreadGivesTheWassersteinNormedItWouldCompute) {
  Sample ref{testdata::Bells(31, 1000), {}, false};
  const Sample cur{testdata::Bells(32, 800, 0.3), {}, false};
  const auto computed = stats::Run(stats::Test::kWassersteinNormed, ref, cur);
  ref.population_std = PopulationStd(ref.numbers);
  const auto kept = stats::Run(stats::Test::kWassersteinNormed, ref, cur);
  ASSERT_TRUE(computed.ok() && kept.ok());
  EXPECT_EQ(computed->statistic, kept->statistic);
  ref.population_std = 2 * *ref.population_std;  // it is what the test divides by
  EXPECT_NE(stats::Run(stats::Test::kWassersteinNormed, ref, cur)->statistic, computed->statistic);
}

}  // namespace
}  // namespace driftgate::stats

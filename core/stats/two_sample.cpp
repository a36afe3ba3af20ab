// Dispatch from a Test to the kernels (ks.h, chi2.h, divergence.h, wasserstein.h, z_test.h), input
// validation, and Evidently's default test per feature (DESIGN.md "Two-sample tests").
#include "core/stats/two_sample.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <set>
#include <utility>

#include "core/stats/binning.h"
#include "core/stats/chi2.h"
#include "core/stats/divergence.h"
#include "core/stats/ks.h"
#include "core/stats/two_proportion.h"
#include "core/stats/wasserstein.h"

namespace driftgate::stats {
namespace {

constexpr std::array<std::pair<Test, std::string_view>, 7> kNames = {{
    {Test::kKs, "ks"},
    {Test::kChi2, "chi2"},
    {Test::kPsi, "psi"},
    {Test::kJensenShannon, "jensen_shannon"},
    {Test::kWasserstein, "wasserstein"},
    {Test::kWassersteinNormed, "wasserstein_normed"},
    {Test::kZ, "z"},
}};

// Evidently's cut-offs (DESIGN.md): small references get a test, large ones a distance.
constexpr std::size_t kSmallReference = 1000;
constexpr std::size_t kKsMinDistinct = 6;    // "> 5 distinct values"
constexpr std::size_t kChi2MinDistinct = 3;  // "> 2 distinct values"

bool NeedsNumbers(Test test) {
  return test == Test::kKs || test == Test::kWasserstein || test == Test::kWassersteinNormed;
}

Status Validate(Test test, const Sample& reference, const Sample& current, std::optional<double> threshold) {
  if (reference.size() == 0) return Error::Invalid("reference", "the reference sample is empty");
  if (current.size() == 0) return Error::Invalid("current", "the current sample is empty");
  if (reference.categorical != current.categorical) {
    return Error::Invalid("current", std::string("the reference sample is ") +
                                         (reference.categorical ? "categorical" : "numeric") +
                                         " but the current sample is " +
                                         (current.categorical ? "categorical" : "numeric"));
  }
  if (reference.categorical && NeedsNumbers(test)) {
    return Error::Invalid(
        "test", std::string(TestName(test)) + " applies to numeric samples only, not to categories");
  }
  if (!reference.categorical) {
    for (const auto* sample : {&reference, &current}) {
      const auto bad = std::find_if(sample->numbers.begin(), sample->numbers.end(),
                                    [](double x) { return !std::isfinite(x); });
      if (bad != sample->numbers.end()) {
        const char* name = sample == &reference ? "reference" : "current";
        return Error::Invalid(name, std::string("the ") + name +
                                        " sample holds a non-finite number at index " +
                                        std::to_string(bad - sample->numbers.begin()));
      }
    }
  }
  if (threshold && !(std::isfinite(*threshold) && *threshold >= 0.0)) {
    return Error::Invalid("threshold", "the threshold must be a finite number >= 0");
  }
  return Ok{};
}

BinCounts Counts(const Sample& reference, const Sample& current) {
  return reference.categorical ? CategoryCounts(reference.labels, current.labels)
                               : DecileBinCounts(reference.numbers, current.numbers);
}

// One-vs-rest counts for the z-test: the reference's most frequent category (ties: the smallest) against
// everything else, so a category that only the current sample has still counts as "rest".
template <class T>
ZResult ZTest(const std::vector<T>& reference, const std::vector<T>& current) {
  std::map<T, std::size_t> tally;
  for (const T& v : reference) ++tally[v];
  const auto majority = std::max_element(tally.begin(), tally.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
  const T& category = majority->first;
  const auto in_current = std::count(current.begin(), current.end(), category);
  return TwoProportionZTest(static_cast<double>(majority->second), static_cast<double>(reference.size()),
                            static_cast<double>(in_current), static_cast<double>(current.size()));
}

std::size_t DistinctUpTo(const Sample& sample, std::size_t cap) {
  if (sample.categorical) {
    std::set<std::string_view> seen;
    for (const std::string& label : sample.labels) {
      seen.insert(label);
      if (seen.size() >= cap) break;
    }
    return seen.size();
  }
  std::set<double> seen;
  for (double x : sample.numbers) {
    if (!std::isfinite(x)) continue;  // NaN breaks std::set ordering; Run rejects such samples anyway
    seen.insert(x);
    if (seen.size() >= cap) break;
  }
  return seen.size();
}

}  // namespace

std::optional<Test> ParseTest(std::string_view name) {
  for (const auto& [test, test_name] : kNames) {
    if (test_name == name) return test;
  }
  return std::nullopt;
}

std::string_view TestName(Test test) {
  for (const auto& [candidate, name] : kNames) {
    if (candidate == test) return name;
  }
  return "unknown";
}

double DefaultThreshold(Test test) { return IsPValue(test) ? 0.05 : 0.1; }

bool IsPValue(Test test) { return test == Test::kKs || test == Test::kChi2 || test == Test::kZ; }

Result<TestResult> Run(Test test, const Sample& reference, const Sample& current,
                       std::optional<double> threshold) {
  if (Status valid = Validate(test, reference, current, threshold); !valid.ok()) return valid.error();
  TestResult result;
  result.test = test;
  result.threshold = threshold.value_or(DefaultThreshold(test));
  switch (test) {
    case Test::kKs: {
      const KsResult ks = KsTwoSample(reference.numbers, current.numbers);
      result.statistic = ks.statistic;
      result.p_value = ks.p_value;
      break;
    }
    case Test::kChi2: {
      const BinCounts counts = Counts(reference, current);
      const Chi2Result chi2 = Chi2Homogeneity(counts.reference, counts.current);
      result.statistic = chi2.statistic;
      result.p_value = chi2.p_value;
      break;
    }
    case Test::kPsi: {
      const BinCounts counts = Counts(reference, current);
      result.statistic = PopulationStabilityIndex(counts.reference, counts.reference_total, counts.current,
                                                  counts.current_total);
      break;
    }
    case Test::kJensenShannon: {
      const BinCounts counts = Counts(reference, current);
      result.statistic = JensenShannonDistance(counts.reference, counts.reference_total, counts.current,
                                               counts.current_total);
      break;
    }
    case Test::kWasserstein:
      result.statistic = Wasserstein(reference.numbers, current.numbers);
      break;
    case Test::kWassersteinNormed:
      result.statistic = Wasserstein(reference.numbers, current.numbers) /
                         std::max(PopulationStd(reference.numbers), kWassersteinMinStd);
      break;
    case Test::kZ: {
      const ZResult z = reference.categorical ? ZTest(reference.labels, current.labels)
                                              : ZTest(reference.numbers, current.numbers);
      result.statistic = z.statistic;
      result.p_value = z.p_value;
      break;
    }
  }
  result.drift = result.p_value ? *result.p_value < result.threshold : result.statistic >= result.threshold;
  return result;
}

Test DefaultTestFor(const Sample& reference) {
  if (reference.size() <= kSmallReference) {
    const std::size_t distinct = DistinctUpTo(reference, kKsMinDistinct);
    if (!reference.categorical && distinct >= kKsMinDistinct) return Test::kKs;
    return distinct >= kChi2MinDistinct ? Test::kChi2 : Test::kZ;
  }
  return reference.categorical ? Test::kJensenShannon : Test::kWassersteinNormed;
}

}  // namespace driftgate::stats

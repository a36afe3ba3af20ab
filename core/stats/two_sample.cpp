// Dispatch from a Test to the kernels (ks.h, chi2.h, divergence.h, wasserstein.h, z_test.h), input
// validation, and Evidently's default test per feature (openapi.yaml, ModelConfig `drift`).
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

// Evidently's cut-offs (openapi.yaml, ModelConfig `drift`): small references a test, large a distance.
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

// A categorical sample's labels one per value: `labels` itself when nothing is counted, else the labels
// and the counted ones written out into `storage`.
const std::vector<std::string>& AllLabels(const Sample& sample, std::vector<std::string>& storage) {
  if (sample.label_counts.empty()) return sample.labels;
  storage = sample.labels;
  for (const auto& [label, count] : sample.label_counts) storage.insert(storage.end(), count, label);
  return storage;
}

BinCounts Counts(const Sample& reference, const Sample& current) {
  if (!reference.categorical) return DecileBinCounts(reference.numbers, current.numbers);
  if (reference.labels.empty() && current.labels.empty()) {
    return CategoryCounts(std::span(reference.label_counts), std::span(current.label_counts));
  }
  std::vector<std::string> reference_storage, current_storage;
  return CategoryCounts(AllLabels(reference, reference_storage), AllLabels(current, current_storage));
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

// The same for categorical samples, from their counts (ascending labels: the first maximum is the smallest).
ZResult CategoryZTest(const Sample& reference, const Sample& current) {
  if (!reference.labels.empty() || !current.labels.empty()) {
    std::vector<std::string> reference_storage, current_storage;
    return ZTest(AllLabels(reference, reference_storage), AllLabels(current, current_storage));
  }
  const auto& counts = reference.label_counts;
  const auto majority = std::max_element(counts.begin(), counts.end(),
                                         [](const auto& a, const auto& b) { return a.second < b.second; });
  std::size_t in_current = 0;
  for (const auto& [label, count] : current.label_counts) {
    if (label == majority->first) in_current = count;
  }
  return TwoProportionZTest(static_cast<double>(majority->second), static_cast<double>(reference.size()),
                            static_cast<double>(in_current), static_cast<double>(current.size()));
}

std::size_t DistinctUpTo(const Sample& sample, std::size_t cap) {
  if (sample.categorical) {
    if (sample.labels.empty()) return std::min(sample.label_counts.size(), cap);
    std::set<std::string_view> seen;
    for (const auto& [label, count] : sample.label_counts) {
      seen.insert(label);
      if (seen.size() >= cap) return seen.size();
    }
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
    case Test::kWassersteinNormed: {
      const double sd =
          reference.population_std ? *reference.population_std : PopulationStd(reference.numbers);
      result.statistic = Wasserstein(reference.numbers, current.numbers) / std::max(sd, kWassersteinMinStd);
      break;
    }
    case Test::kZ: {
      const ZResult z = reference.categorical ? CategoryZTest(reference, current)
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

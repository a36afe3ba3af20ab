// Two-sample tests for data drift: a reference sample against a current one (README.md, `driftgate compare`).
// Every test matches scipy's convention; the unit tests carry the scipy call that produced each value.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.h"

namespace driftgate::stats {

enum class Test { kKs, kChi2, kPsi, kJensenShannon, kWasserstein, kWassersteinNormed, kZ };

std::optional<Test> ParseTest(std::string_view name);  // ks, chi2, psi, jensen_shannon, wasserstein, ...
std::string_view TestName(Test test);
// Default threshold: p-value 0.05 for ks/chi2/z, distance 0.1 for the others.
double DefaultThreshold(Test test);
bool IsPValue(Test test);

// A sample is numeric or categorical (labels), never both.
struct Sample {
  std::vector<double> numbers;      // used when !categorical
  std::vector<std::string> labels;  // used when categorical
  bool categorical = false;
  // More labels of a categorical sample, each distinct one once with its count (ascending by label, no
  // zero count): a kept drift window holds its strings so, and a string per row would be most of a check's
  // cost. Every test gives the same result for a label listed in `labels` or counted here. (Declared after
  // `categorical`, so that {numbers, labels, categorical} still initializes a sample.)
  std::vector<std::pair<std::string, std::size_t>> label_counts{};
  // PopulationStd(numbers) when the owner of a sample tested many times (a kept reference) computed it
  // once; else wasserstein_normed computes it.
  std::optional<double> population_std{};
  std::size_t size() const {
    if (!categorical) return numbers.size();
    std::size_t n = labels.size();
    for (const auto& [label, count] : label_counts) n += count;
    return n;
  }
};

struct TestResult {
  Test test = Test::kKs;
  double statistic = 0.0;         // KS D, chi2 statistic, or the distance
  std::optional<double> p_value;  // p-value tests only
  double threshold = 0.0;
  bool drift = false;  // p_value < threshold, or distance >= threshold
};

// Runs `test` (threshold defaults to DefaultThreshold). InvalidArgument when a sample is empty or the test
// does not apply (ks/wasserstein on categories).
Result<TestResult> Run(Test test, const Sample& reference, const Sample& current,
                       std::optional<double> threshold = std::nullopt);

// Evidently's default per-feature choice (openapi.yaml, ModelConfig `drift`): reference <= 1000 rows: numeric
// with > 5 distinct values -> ks, else chi2 (> 2 distinct) or z (two-proportion z-test); > 1000 rows: numeric
// -> wasserstein_normed, else jensen_shannon.
Test DefaultTestFor(const Sample& reference);

// Parses a file's text with one value per line (blank trailing line allowed). A value that does not parse
// as a finite number makes the sample categorical unless `force_categorical`; "nan"/"inf" are categorical
// labels, never numbers. InvalidArgument on an empty input (message names the line when relevant).
Result<Sample> ParseSample(std::string_view text, bool force_categorical);

}  // namespace driftgate::stats

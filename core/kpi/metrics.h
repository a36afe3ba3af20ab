// Model KPIs over a window of labelled pairs, each with a two-sided confidence interval.
//
// Definitions are scikit-learn's (precision/recall/f1 of the positive class "1", mape as a fraction,
// log_loss with the natural log). Interval methods are stated per metric in kpi/intervals.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace driftgate::kpi {

enum class Task { kBinary, kMulticlass, kRegression };

enum class Metric {
  kAccuracy,
  kPrecision,
  kRecall,
  kF1,
  kRocAuc,
  kLogLoss,  // binary (accuracy also multiclass)
  kMacroF1,
  kWeightedF1,  // multiclass
  kMae,
  kRmse,
  kMape,
  kR2,  // regression
};

std::optional<Task> ParseTask(std::string_view name);  // binary_classification, ...
std::string_view TaskName(Task task);
std::optional<Metric> ParseMetric(std::string_view name);  // accuracy, precision, ..., r2
std::string_view MetricName(Metric metric);
bool MetricAppliesTo(Metric metric, Task task);
// True when larger is better (accuracy, f1, r2, ...); false for losses/errors (log_loss, mae, ...).
bool HigherIsBetter(Metric metric);

// One labelled prediction. Classification uses `predicted`/`actual` (canonical class strings: a number
// is written without a trailing ".0", so 1 and 1.0 and "1" are all class "1"); regression uses
// `predicted_value`/`actual_value`. `score` is the positive-class probability (binary), when sent.
struct Pair {
  std::string predicted{};
  std::string actual{};
  double predicted_value = 0.0;
  double actual_value = 0.0;
  std::optional<double> score{};
  // The prediction's input quality when it arrived (core/evaluate/input_quality.h): `input_judged` is false
  // when the model had no reference to judge it by; `input_faults` are its fault codes, ascending (empty:
  // none). KPIs ignore both; the evaluation's data-quality veto reads them (core/evaluate/input_veto.h).
  bool input_judged = false;
  std::vector<std::uint16_t> input_faults{};
};

struct Estimate {
  double value = 0.0;
  double lower = 0.0;
  double upper = 0.0;
  std::size_t n = 0;  // the pairs the value was computed over (scored pairs only for roc_auc/log_loss)
};

// The metric over `pairs` with its interval at two-sided `confidence` (e.g. 0.95). nullopt when the
// metric is undefined on these pairs: no pairs, no scored pair for roc_auc/log_loss, a single class for
// roc_auc, no positive prediction for precision, zero actual value anywhere for mape is NOT undefined
// (sklearn uses max(|y|, eps)), constant actuals for r2.
// Also nullopt, never an exception, when `metric` does not apply to `task` (MetricAppliesTo) or `confidence`
// is outside (0, 1). Per-metric rules: kpi/estimators.h; interval methods and degenerate cases:
// kpi/intervals.h (a bound may be +-infinity when the spread cannot be estimated, e.g. n = 1; never NaN).
std::optional<Estimate> Compute(Metric metric, Task task, std::span<const Pair> pairs, double confidence);

// The positive class of binary tasks.
inline constexpr std::string_view kPositiveClass = "1";

}  // namespace driftgate::kpi

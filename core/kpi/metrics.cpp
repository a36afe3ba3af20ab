// Names, applicability and the Compute dispatch of kpi/metrics.h; the estimators live in estimators.h.
#include "core/kpi/metrics.h"

#include <array>
#include <cmath>
#include <utility>

#include "core/kpi/estimators.h"

namespace driftgate::kpi {
namespace {

constexpr std::array<std::pair<Task, std::string_view>, 3> kTaskNames = {{
    {Task::kBinary, "binary_classification"},
    {Task::kMulticlass, "multiclass_classification"},
    {Task::kRegression, "regression"},
}};

constexpr std::array<std::pair<Metric, std::string_view>, 12> kMetricNames = {{
    {Metric::kAccuracy, "accuracy"},
    {Metric::kPrecision, "precision"},
    {Metric::kRecall, "recall"},
    {Metric::kF1, "f1"},
    {Metric::kRocAuc, "roc_auc"},
    {Metric::kLogLoss, "log_loss"},
    {Metric::kMacroF1, "macro_f1"},
    {Metric::kWeightedF1, "weighted_f1"},
    {Metric::kMae, "mae"},
    {Metric::kRmse, "rmse"},
    {Metric::kMape, "mape"},
    {Metric::kR2, "r2"},
}};

}  // namespace

std::optional<Task> ParseTask(std::string_view name) {
  for (const auto& [task, task_name] : kTaskNames) {
    if (task_name == name) return task;
  }
  return std::nullopt;
}

std::string_view TaskName(Task task) {
  for (const auto& [candidate, name] : kTaskNames) {
    if (candidate == task) return name;
  }
  return "unknown";
}

std::optional<Metric> ParseMetric(std::string_view name) {
  for (const auto& [metric, metric_name] : kMetricNames) {
    if (metric_name == name) return metric;
  }
  return std::nullopt;
}

std::string_view MetricName(Metric metric) {
  for (const auto& [candidate, name] : kMetricNames) {
    if (candidate == metric) return name;
  }
  return "unknown";
}

bool MetricAppliesTo(Metric metric, Task task) {
  switch (metric) {
    case Metric::kAccuracy:
      return task == Task::kBinary || task == Task::kMulticlass;
    case Metric::kPrecision:
    case Metric::kRecall:
    case Metric::kF1:
    case Metric::kRocAuc:
    case Metric::kLogLoss:
      return task == Task::kBinary;
    case Metric::kMacroF1:
    case Metric::kWeightedF1:
      return task == Task::kMulticlass;
    case Metric::kMae:
    case Metric::kRmse:
    case Metric::kMape:
    case Metric::kR2:
      return task == Task::kRegression;
  }
  return false;
}

bool HigherIsBetter(Metric metric) {
  switch (metric) {
    case Metric::kLogLoss:
    case Metric::kMae:
    case Metric::kRmse:
    case Metric::kMape:
      return false;
    default:
      return true;
  }
}

std::optional<Estimate> Compute(Metric metric, Task task, std::span<const Pair> pairs, double confidence) {
  // A metric of another task, no pairs or a level outside (0, 1) (NaN included) has no estimate; config
  // validation reports those to the user, Compute never throws.
  if (!MetricAppliesTo(metric, task) || pairs.empty() || !(confidence > 0.0 && confidence < 1.0)) {
    return std::nullopt;
  }
  switch (metric) {
    case Metric::kAccuracy:
      return EstimateAccuracy(pairs, confidence);
    case Metric::kPrecision:
      return EstimatePrecision(pairs, confidence);
    case Metric::kRecall:
      return EstimateRecall(pairs, confidence);
    case Metric::kF1:
      return EstimateF1(pairs, confidence);
    case Metric::kRocAuc:
      return EstimateRocAuc(pairs, confidence);
    case Metric::kLogLoss:
      return EstimateLogLoss(pairs, confidence);
    case Metric::kMacroF1:
      return EstimateMacroF1(pairs, confidence);
    case Metric::kWeightedF1:
      return EstimateWeightedF1(pairs, confidence);
    case Metric::kMae:
      return EstimateMae(pairs, confidence);
    case Metric::kRmse:
      return EstimateRmse(pairs, confidence);
    case Metric::kMape:
      return EstimateMape(pairs, confidence);
    case Metric::kR2:
      return EstimateR2(pairs, confidence);
  }
  return std::nullopt;
}

}  // namespace driftgate::kpi

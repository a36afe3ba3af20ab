// The pure parts of a data-drift check (service/drift/drift_monitor.h): typing a reference, summarizing a
// window against it, the data-drift verdict and the label-free estimate. No I/O, so the bench can time a
// whole check's computation (bench/drift_check_bench.cpp) and tests can call it directly.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/data_quality.h"
#include "core/kpi/metrics.h"
#include "core/stats/dataset_drift.h"
#include "core/stats/reconstruction.h"
#include "core/stats/two_sample.h"
#include "db/quality_repo.h"
#include "service/drift/drift_window.h"
#include "service/drift/window_columns.h"

namespace driftgate::service {

// Fewer values in either sample: the column is skipped.
inline constexpr std::size_t kMinValuesPerColumn = 10;

// A reference as checks use it: columns typed (a column with any label is categorical; numeric samples
// kept sorted), only those with at least kMinValuesPerColumn values (the others are never tested), the
// data-quality profile, and how many rows have a score.
struct ReferenceData {
  std::map<std::string, stats::Sample> columns;
  evaluate::ReferenceProfile quality;
  std::size_t scored = 0;  // reference rows with a score (the most a CBPE calibration can have)
  // The multivariate drift model fitted on the reference's features; null when disabled or not fittable
  // (core/stats/reconstruction.h), and the spec it was fitted with.
  std::shared_ptr<const stats::ReconstructionDrift> multivariate{};
  domain::MultivariateSpec multivariate_spec{};
  // The rows that carry a segment, by segment: each segment's own slice of the reference
  // (service/drift/segment_drift.h; filled by the drift monitor, not by BuildReference).
  std::map<std::string, std::vector<WindowRow>> segment_rows{};
};
ReferenceData BuildReference(const std::vector<WindowRow>& rows, kpi::Task task,
                             const domain::MultivariateSpec& multivariate = {});

// What a check needs of its window: its columns typed like the reference's (for the tests), the latest
// data time, the binary rows' scores and the data-quality verdict.
struct WindowSummary {
  std::int64_t at_us = 0;  // the latest data time in the window
  std::size_t size = 0;
  std::map<std::string, stats::Sample> samples;  // the reference's columns the window has values of
  std::vector<std::pair<bool, double>> scores;   // (predicted positive, score) of binary rows, for CBPE
  // (predicted class, class -> probability) of multiclass rows with scores, for multiclass CBPE.
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, double>>>> class_scores;
  evaluate::QualityVerdict quality;
  std::optional<stats::ReconstructionResult> multivariate;  // when the reference has a multivariate model
};
// `rows` (newest first) and their columns, kept as the window changed (service/drift/window_columns.h).
WindowSummary SummarizeWindow(const std::deque<WindowRow>& rows, const WindowColumns& columns,
                              const ReferenceData& reference, kpi::Task task,
                              const domain::DataQualitySpec& quality);
// The same, the columns collected here from the rows.
WindowSummary SummarizeWindow(const std::deque<WindowRow>& rows, const ReferenceData& reference,
                              kpi::Task task, const domain::DataQualitySpec& quality);

// The two-sample tests of every column both sides have enough values of. Consumes the window's samples.
// An empty result (no comparable column) has no features.
Result<stats::DatasetDrift> JudgeDataDrift(const ReferenceData& reference, WindowSummary& window,
                                           const domain::DriftSpec& spec);

// Labelled reference pairs (with a score) a CBPE calibration needs; fewer: no estimate.
inline constexpr std::size_t kMinCalibrationPairs = 100;

// Whether a metric has a label-free estimate for models of `task`: accuracy, precision, recall, f1 and
// roc_auc of binary models (CBPE), accuracy, macro_f1 and weighted_f1 of multiclass ones.
bool Estimable(kpi::Metric m, kpi::Task task = kpi::Task::kBinary);
// CBPE (core/kpi/cbpe.h) of the configured binary KPIs over `window` (predicted positive, score):
// calibrated on the labelled reference. Empty when not applicable or too few labelled reference pairs.
std::vector<std::pair<kpi::Metric, kpi::Estimate>> EstimateKpis(
    const domain::ModelConfig& config, const std::vector<db::LabelledReferenceRow>& reference,
    const std::vector<std::pair<bool, double>>& window);

}  // namespace driftgate::service

// Data drift per segment: at each data-drift check (service/drift/drift_monitor.h), the window's rows of each
// segment against the same segment's own slice of the reference, with the whole stream's tests
// (service/drift/drift_judgement.h: the same per-column choice of test, thresholds and dataset rule).
//
// - Which segments: those of the window's rows, at most `segments.max_segments` of them (the ones with the
//   most window rows, ties by name); a segment beyond that is listed as not judged, saying why.
// - A segment is judged when the reference holds at least `segments.min_samples` rows of it and the window
//   at least kMinValuesPerColumn; otherwise its result says which side has too few rows (and how many),
//   so no segment is left out silently.
// - Multiple testing (Bonferroni; Dunn 1961, "Multiple comparisons among means", JASA 56:52-64), as for the
//   segments' KPIs (core/evaluate/segments.h): with k segments judged in a check, a p-value test flags a
//   column of a segment at p < threshold / k, so that over all k segments the chance of flagging a given
//   stationary column stays at most the threshold. Distances (psi, jensen_shannon, wasserstein*) are not
//   probabilities and keep their thresholds. The reported p-values are the tests' own, unadjusted; the
//   reported threshold is the adjusted one.
// - A segment's result is stored as a data-drift event of its own, named by its segment (GET
//   .../drift?segment=). It writes no decision: a segment's data drift informs, like the whole stream's, and
//   only a confirmed KPI breach retrains.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/stats/dataset_drift.h"
#include "service/drift/drift_judgement.h"

namespace driftgate::service {

struct SegmentDrift {
  std::string segment{};
  std::size_t reference_rows = 0;
  std::size_t window_rows = 0;
  std::optional<stats::DatasetDrift> drift{};  // judged; empty features when no column was comparable
  std::string not_judged{};                    // why it was not judged (empty when judged)
};

struct SegmentsDrift {
  std::size_t judged = 0;                // k of the Bonferroni rule
  std::vector<SegmentDrift> segments{};  // by name
};

// The per-segment results of one check; `rows` is the check's window, newest first. Empty when the
// model's segments are off or no window row has a segment.
Result<SegmentsDrift> JudgeSegmentDrift(const domain::ModelConfig& config, const ReferenceData& reference,
                                        const std::deque<WindowRow>& rows);

// One drift event per segment of `drift`, at data time `at_us`; `source` the reference's (auto|uploaded).
void RecordSegmentDrift(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                        const std::string& source, const SegmentsDrift& drift);

}  // namespace driftgate::service

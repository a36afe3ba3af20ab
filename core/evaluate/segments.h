// Segments: the same judgement as the whole stream's, per value of the predictions' `segment`.
//
// - Every segment has its own KPI window: the last `evaluation.window` pairs whose prediction carried that
//   segment. The first `segments.max_segments` distinct values seen keep their own window; later values are
//   pooled as "(other)". Pairs without a segment belong to the whole stream only.
// - A segment's KPIs are the model's, unless `segments.kpis` names the segment.
// - Multiple testing (Bonferroni; Dunn 1961, "Multiple comparisons among means", JASA 56:52-64): with k
//   segments judged (k = the segments the state holds), each segment's intervals use the two-sided confidence
//   1 - (1 - evaluation.confidence) / k, so the chance that any healthy segment confirms a false breach stays
//   at most 1 - evaluation.confidence per evaluation, however many segments there are.
// - A segment breach is confirmed by the whole stream's rule (evaluator.h: the whole interval past the
//   threshold) with n >= segments.min_samples.
// - mode monitor: a confirmed breach is a `warn`. mode trigger: it is judged like the whole stream's — the
//   data-quality veto on the segment's own pairs (input_veto.h), a retrain in flight (also one requested by
//   this evaluation), the cooldown and the daily budget suppress it, in that order; otherwise `retrain`.
// - A segment decision is due when its reason code changes and on every retrain. A segment that stops
//   breaching writes no decision; its series and GET .../segments show it.
// Only the segments that received pairs in a batch are judged in it: the others' windows did not change.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/domain/model.h"
#include "core/evaluate/evaluator.h"

namespace driftgate::evaluate {

inline constexpr std::string_view kOtherSegment = "(other)";

// A segment's judgement after a batch.
struct SegmentResult {
  std::string segment{};
  std::size_t n = 0;
  std::vector<KpiResult> kpis{};
  std::string_view state = "ok";  // ok | warn (a point value past its threshold) | breach (confirmed)
};

// A decision about one segment, as Outcome's action/reason describe the whole stream's.
struct SegmentDecision {
  std::string segment{};
  Action action = Action::kNone;
  std::string reason{};
  std::string reason_code{};
  std::vector<KpiResult> kpis{};
};

struct SegmentsOutcome {
  std::size_t judged = 0;                    // k: segments in the state
  double confidence = 0;                     // the adjusted confidence of this evaluation's segment intervals
  std::vector<SegmentResult> results{};      // segments that received pairs, by name
  std::vector<SegmentDecision> decisions{};  // due decisions, by name
};

// The two-sided confidence for each of k segments (k >= 1).
double SegmentConfidence(double confidence, std::size_t k);

// The window `segment` goes to in `state` (itself, or "(other)" when max_segments are kept already).
std::string SegmentKey(const domain::SegmentsSpec& spec, const State& state, const std::string& segment);

// Feeds the segmented pairs of `events` to their windows and judges those segments; `whole` is the
// whole stream's outcome of the same batch (a retrain it requested is in flight for the segments).
// Mode off: clears the segments of `state` and returns nothing.
SegmentsOutcome EvaluateSegments(const domain::ModelConfig& config, State& state,
                                 std::span<const LabeledEvent> events, const PolicyFacts& facts,
                                 const Outcome& whole);

}  // namespace driftgate::evaluate

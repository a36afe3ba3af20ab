// One evaluation step of a model: labelled pairs in, a Decision out (README.md, "What
// it does"). Pure: the caller loads the state and the policy facts under the model's lock, calls
// Evaluate(), and stores the outcome and the state in the same transaction.
//
// - Each pair yields an error value (0/1 misclassification, or absolute/squared error for regression)
//   that every configured detector consumes in arrival order.
// - The KPI window holds the last `evaluation.window` pairs; when a detector signals drift it restarts at
//   the change point (the detector's ElementsSinceChange()).
// - A breach is confirmed when n >= min_samples and the whole interval is on the wrong side of the
//   threshold. Confirmed + policy allows → retrain; confirmed but broken input in the window's own pairs
//   that the clean pairs do not confirm (input_veto.h), in-flight retrain, cooldown or daily budget →
//   suppressed (checked in that order); detector drift or unconfirmed breach → warn; otherwise none.
// - A decision is due when the action or its reason code changes, on every retrain, and on every new
//   detector drift.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/input_quality.h"
#include "core/kpi/metrics.h"

namespace driftgate::evaluate {

enum class Action { kNone, kWarn, kRetrain, kSuppressed };
std::string_view ActionName(Action action);

// A labelled pair in arrival order, with its data time (the label's ts).
struct LabeledEvent {
  kpi::Pair pair;
  std::int64_t ts_us = 0;
  std::optional<std::string> segment{};  // the prediction's segment, when it had one
};

struct KpiResult {
  kpi::Metric metric = kpi::Metric::kAccuracy;
  kpi::Estimate estimate{};
  std::optional<double> threshold{};  // the KPI's min or max; nullopt for a computed-only KPI
  bool is_min = true;                 // threshold is a minimum (value must stay above)
  bool wrong_side = false;            // the point value is past the threshold
  bool confirmed = false;             // n >= min_samples and the whole interval is past it
};

struct Alarm {
  std::string detector{};  // detector type, e.g. "adwin"
  std::size_t detector_index = 0;
  detect::Signal signal = detect::Signal::kDrift;
  std::int64_t at_us = 0;       // data time of the pair that raised it
  std::size_t count = 1;        // warnings: how many warning signals in this batch
  std::size_t window_kept = 0;  // drift: pairs the KPI window kept (the new regime)
};

// Facts about retrains, read under the model's lock.
struct PolicyFacts {
  bool retrain_in_flight = false;                    // a retrain is requested or running
  std::optional<std::int64_t> last_retrain_at_us{};  // data time of the latest retrain request
  int retrains_last_24h = 0;                         // requested within 24 h of data time before now
  // The model's feature dictionary, naming the input-fault codes of the window's pairs for the data-quality
  // veto (input_veto.h). Needed only when some pair has a fault.
  FeatureDictionary input_features{};
  // For label-free estimates only (estimated.h), which have no pairs to judge: the verdict of the drift
  // check that made the estimate (core/evaluate/data_quality.h); a confirmed estimated breach while it
  // stands is suppressed (suppressed:data_quality). Evaluate() does not read these.
  bool data_quality_incident = false;
  std::vector<std::string> broken_features{};
};

// One segment's KPI window, oldest first, and the reason code of its last judgement (segments.h).
// `fed` counts the pairs ever pushed into it, so its pairs hold the positions fed - window.size() ... fed - 1
// of the segment's stream; `stored` is how many of those positions its storage holds already
// (service/evaluation/segment_windows.h writes only the rest). The evaluation itself reads neither.
struct SegmentWindow {
  std::vector<kpi::Pair> window{};
  std::string last_reason_code = "none:ok";
  std::uint64_t fed = 0;
  std::uint64_t stored = 0;
};

// Everything an evaluation remembers between label batches.
struct State {
  std::vector<std::unique_ptr<detect::Detector>> detectors{};  // one per config.detectors, same order
  std::vector<kpi::Pair> window{};                             // oldest first, at most evaluation.window
  Action last_action = Action::kNone;
  std::string last_reason_code = "none:ok";
  std::string fingerprint{};  // of the config parts the state depends on; a mismatch rebuilds detectors
  std::map<std::string, SegmentWindow> segments{};  // by segment value, "(other)" included (segments.h)
};

// A state for `config` with fresh detectors and an empty window.
Result<State> FreshState(const domain::ModelConfig& config);
// What the state depends on: detector specs, task, window size.
std::string Fingerprint(const domain::ModelConfig& config);
// Brings `state` in line with a changed config: fresh detectors, window trimmed to the new size.
Status Reconcile(const domain::ModelConfig& config, State& state);

struct Outcome {
  std::int64_t at_us = 0;  // data time: the latest ts among the events
  std::size_t n = 0;       // pairs in the window after this batch
  std::vector<KpiResult> kpis{};
  std::vector<Alarm> alarms{};  // drift signals, and per-detector warning summaries
  Action action = Action::kNone;
  std::string reason{};                  // human-readable why
  std::string reason_code{};             // what "the reason changed" compares
  bool decision_due = false;             // write a decision for this evaluation
  std::optional<std::string> segment{};  // a backtest's segment decision (segments.h); nullopt: whole stream
};

// A KPI estimate judged against its spec: past the threshold, and confirmed with n >= min_samples.
KpiResult JudgeKpi(const domain::KpiSpec& spec, const kpi::Estimate& estimate, std::size_t min_samples);
// "accuracy 0.71 [0.68, 0.74] below minimum 0.85 (n=1000)".
std::string DescribeKpi(const KpiResult& kpi);

// The error value detectors consume for one pair.
double ErrorValue(kpi::Task task, domain::ErrorMetric error_metric, const kpi::Pair& pair);

// Feeds `events` (non-empty, arrival order) through the detectors and the window, computes every KPI
// over the window and derives the action. Updates `state`.
Outcome Evaluate(const domain::ModelConfig& config, State& state, std::span<const LabeledEvent> events,
                 const PolicyFacts& facts);

}  // namespace driftgate::evaluate

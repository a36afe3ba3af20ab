// The data-quality veto of a confirmed KPI breach, judged on the pairs of the evaluation's own window: the
// input faults each prediction had when it arrived (input_quality.h) travel with its pair, so the verdict
// does not depend on when a periodic drift check last ran, on traffic rate, or on which replica took which
// request.
//
// Over the window's pairs judged at ingest, each (feature, fault kind) has a rate; an input is broken when
// its rate exceeds data_quality.max_rate and min_ratio x the reference's own rate for that kind (missing and
// type error; out of range and unseen have 0 there) — the rule of data_quality.h, applied to the pairs.
// A pair is broken when it has a fault of a broken input. When broken pairs are more than max_rate of the
// window, the KPIs are computed again over the clean pairs alone (broken pairs left out; pairs not judged
// stay in):
//   a KPI still confirmed over them → the model degraded on good data: the breach stands (retrain, unless
//                                     the policy suppresses it for another reason), saying so;
//   otherwise                       → suppressed, naming the broken features and their rates.
// No judged pair in the window → no verdict was possible (the model had no reference then): the breach
// stands and its reason says so.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/evaluate/evaluator.h"
#include "core/evaluate/input_quality.h"
#include "core/kpi/metrics.h"

namespace driftgate::evaluate {

struct BrokenInput {
  std::string feature{};
  Fault fault = Fault::kMissing;
  double rate = 0;      // share of the window's judged pairs
  double baseline = 0;  // the reference's own rate
};

struct InputVerdict {
  std::size_t pairs = 0;                  // in the window
  std::size_t judged = 0;                 // of them judged at ingest
  std::size_t broken_pairs = 0;           // judged pairs with a fault of a broken input
  std::vector<BrokenInput> broken{};      // by feature name, then fault kind
  std::vector<FaultCode> broken_codes{};  // ascending
  bool possible() const { return judged > 0; }
  bool IsBroken(const kpi::Pair& pair) const;
};

// The inputs of `window` judged with `spec` (disabled: nothing is broken); `features` names the codes (a
// position it lacks is named "#<position>" with baseline 0).
InputVerdict JudgeInputs(std::span<const kpi::Pair> window, const FeatureDictionary& features,
                         const domain::DataQualitySpec& spec);

enum class VetoOutcome {
  kNoVerdict,          // no pair judged: the breach stands
  kClean,              // broken pairs within max_rate (or the veto is disabled): the breach stands
  kCleanPairsConfirm,  // broken input, but the clean pairs confirm the breach: it stands
  kSuppress,           // broken input and the clean pairs do not confirm it
};

struct Veto {
  VetoOutcome outcome = VetoOutcome::kClean;
  std::string note{};  // appended to the breach's reason ("; ..."); empty for kClean
  InputVerdict verdict{};
};

// Judges a breach confirmed over `window` under `config` (its KPIs, evaluation and data_quality).
Veto JudgeBreach(const domain::ModelConfig& config, std::span<const kpi::Pair> window,
                 const FeatureDictionary& features);

}  // namespace driftgate::evaluate

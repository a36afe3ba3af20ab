// A policy backtest: stored pairs replayed through the live evaluator (Evaluate() itself, not a copy)
// with simulated retrain bookkeeping instead of the retrains table (README.md "Sustainability ledger and
// policy backtests"). Pure: the caller reads the pairs, grouped the way the live path evaluated them, and
// feeds one group per live evaluation.
//
// Simulated retrains, in data time (README.md "What it does"):
// - a `retrain` outcome is a retrain requested at the evaluation's data time (out.at_us);
// - it is in flight (requested/running: later confirmed breaches are `suppressed:in_flight`) until
//   `assume_retrain_us` of data time later, when it is assumed to have succeeded: the first evaluation
//   whose data time reaches that instant starts from a fresh state (fresh detectors, empty window), as
//   a reported success does live;
// - cooldown and the daily budget read the simulated requests exactly as kPolicyFacts reads the
//   retrains table: the latest request time, and the requests in (now − 24 h, now].
//
// breach_us_unserved: the data time spent in a confirmed breach that no retrain serves. An evaluation is
// unserved when some KPI's breach is confirmed and no retrain is requested or in flight after it — its
// action is `suppressed` by cooldown or budget (a confirmed breach is otherwise `retrain` or
// `suppressed:in_flight`). Each unserved evaluation is charged the data time until the next evaluation
// (t_next − t, with t the running maximum of the evaluations' data times, so out-of-order data never
// charges a negative span); the last evaluation is charged nothing.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/evaluator.h"

namespace driftgate::evaluate {

struct SimulatedRetrain {
  std::int64_t requested_at_us = 0;
  std::int64_t assumed_succeeded_at_us = 0;  // requested + assume_retrain_us
};

// The policy facts a list of requests gives at `now_us` (the in-flight flag is the caller's).
PolicyFacts FactsFromRequests(std::span<const SimulatedRetrain> retrains, bool in_flight,
                              std::int64_t now_us);

class Backtest {
 public:
  // Validates `config`'s detectors (a fresh state). `assume_retrain_us` >= 0. `features`: the model's
  // feature dictionary, naming the input faults of the stored pairs for the data-quality veto
  // (input_veto.h), which is replayed with `config`'s data_quality settings.
  static Result<Backtest> Start(const domain::ModelConfig& config, std::int64_t assume_retrain_us,
                                FeatureDictionary features = {});

  // One live evaluation's pairs (non-empty, in arrival order). Returns its outcome.
  const Outcome& Feed(std::span<const LabeledEvent> events);

  // Outcomes whose decision was due (what the live path writes to `decisions`), in order.
  const std::vector<Outcome>& decisions() const { return decisions_; }
  const std::vector<SimulatedRetrain>& retrains() const { return retrains_; }
  std::int64_t breach_us_unserved() const { return breach_us_unserved_; }
  std::size_t evaluations() const { return evaluations_; }
  std::size_t pairs() const { return pairs_; }

 private:
  Backtest(domain::ModelConfig config, State state, std::int64_t assume_retrain_us)
      : config_(std::move(config)), state_(std::move(state)), assume_retrain_us_(assume_retrain_us) {}

  domain::ModelConfig config_;
  State state_;
  std::int64_t assume_retrain_us_ = 0;
  FeatureDictionary features_{};
  std::vector<Outcome> decisions_{};
  std::vector<SimulatedRetrain> retrains_{};
  Outcome last_{};
  bool in_flight_ = false;
  bool unserved_ = false;      // the previous evaluation left a breach unserved
  std::int64_t clock_us_ = 0;  // running maximum of the evaluations' data times
  std::int64_t breach_us_unserved_ = 0;
  std::size_t evaluations_ = 0;
  std::size_t pairs_ = 0;
};

}  // namespace driftgate::evaluate

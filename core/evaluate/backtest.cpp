#include "core/evaluate/backtest.h"

#include <algorithm>

#include "core/evaluate/segments.h"

namespace driftgate::evaluate {
namespace {
constexpr std::int64_t kDayUs = 24LL * 3600 * 1'000'000;
}  // namespace

PolicyFacts FactsFromRequests(std::span<const SimulatedRetrain> retrains, bool in_flight,
                              std::int64_t now_us) {
  // Mirrors db/sql/retrains.h kPolicyFacts over the retrains table.
  PolicyFacts f;
  f.retrain_in_flight = in_flight;
  for (const auto& r : retrains) {
    f.last_retrain_at_us =
        f.last_retrain_at_us ? std::max(*f.last_retrain_at_us, r.requested_at_us) : r.requested_at_us;
    if (r.requested_at_us > now_us - kDayUs && r.requested_at_us <= now_us) ++f.retrains_last_24h;
  }
  return f;
}

Result<Backtest> Backtest::Start(const domain::ModelConfig& config, std::int64_t assume_retrain_us,
                                 FeatureDictionary features) {
  if (assume_retrain_us < 0)
    return Error::Invalid("assume_retrain_hours", "assume_retrain_hours: must be >= 0");
  auto state = FreshState(config);
  if (!state.ok()) return state.error();
  Backtest bt(config, std::move(state).value(), assume_retrain_us);
  bt.features_ = std::move(features);
  return bt;
}

const Outcome& Backtest::Feed(std::span<const LabeledEvent> events) {
  // The same "now" the live path passes to LoadPolicyFacts: the latest data time among the pairs.
  std::int64_t now_us = 0;
  for (const auto& e : events) now_us = std::max(now_us, e.ts_us);
  if (in_flight_ && now_us >= retrains_.back().assumed_succeeded_at_us) {
    // The assumed success: a fresh baseline, as RetrainsService does on a reported `succeeded`.
    state_ = std::move(FreshState(config_)).value();  // Start() validated the detectors
    in_flight_ = false;
  }
  PolicyFacts facts = FactsFromRequests(retrains_, in_flight_, now_us);
  facts.input_features = std::move(features_);  // lent for this evaluation, taken back below
  last_ = Evaluate(config_, state_, events, facts);
  const SegmentsOutcome segments = EvaluateSegments(config_, state_, events, facts, last_);
  features_ = std::move(facts.input_features);

  if (evaluations_ == 0) {
    clock_us_ = last_.at_us;
  } else {
    const std::int64_t next = std::max(clock_us_, last_.at_us);
    if (unserved_) breach_us_unserved_ += next - clock_us_;
    clock_us_ = next;
  }
  ++evaluations_;
  pairs_ += events.size();

  if (last_.action == Action::kRetrain) {
    retrains_.push_back(SimulatedRetrain{.requested_at_us = last_.at_us,
                                         .assumed_succeeded_at_us = last_.at_us + assume_retrain_us_});
    in_flight_ = true;
  }
  const bool confirmed =
      std::any_of(last_.kpis.begin(), last_.kpis.end(), [](const KpiResult& k) { return k.confirmed; });
  if (last_.decision_due) decisions_.push_back(last_);
  // Segment decisions after the whole stream's, as the live path writes them; a segment retrain is a
  // retrain like any other for the bookkeeping (breach_us_unserved stays the whole stream's).
  for (const auto& d : segments.decisions) {
    decisions_.push_back(Outcome{.at_us = last_.at_us,
                                 .n = 0,
                                 .kpis = d.kpis,
                                 .action = d.action,
                                 .reason = d.reason,
                                 .reason_code = d.reason_code,
                                 .decision_due = true,
                                 .segment = d.segment});
    if (d.action == Action::kRetrain) {
      retrains_.push_back(SimulatedRetrain{.requested_at_us = last_.at_us,
                                           .assumed_succeeded_at_us = last_.at_us + assume_retrain_us_});
      in_flight_ = true;
    }
  }
  unserved_ = confirmed && !in_flight_;
  return last_;
}

}  // namespace driftgate::evaluate

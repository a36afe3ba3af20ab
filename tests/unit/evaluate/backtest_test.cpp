// Policy backtests (core/evaluate/backtest.h): stored pairs through Evaluate() with simulated retrain
// bookkeeping — requests in data time, in flight until the assumed success, then a fresh baseline — and
// the data time a confirmed breach spends unserved.
#include "core/evaluate/backtest.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "tests/unit/evaluate/evaluate_test_data.h"

namespace driftgate::evaluate {
namespace {

using testing::AccuracyConfig;
using testing::Events;
using testing::kSecond;
using testing::kT0;
using testing::WithAccuracy;

constexpr std::int64_t kHour = 3600 * kSecond;
constexpr std::int64_t kDay = 24 * kHour;

// Batch k: 100 pairs at accuracy 0.70 (a confirmed breach of min 0.85 once n >= 300), data time
// kT0 + 100k s ... kT0 + (100k + 99) s.
std::vector<LabeledEvent> Batch(int k) { return Events(WithAccuracy(100, 70), kT0 + 100LL * k * kSecond); }

Backtest Started(const domain::ModelConfig& config, std::int64_t assume_us) {
  auto bt = Backtest::Start(config, assume_us);
  EXPECT_TRUE(bt.ok());
  return std::move(bt).value();
}

TEST(Backtest, RetrainIsInFlightUntilTheAssumedSuccessThenTheBaselineStartsFresh) {
  auto bt = Started(AccuracyConfig(), 1000 * kSecond);
  for (int k = 0; k < 2; ++k) EXPECT_EQ(bt.Feed(Batch(k)).action, Action::kWarn);  // n < min_samples
  const Outcome& first = bt.Feed(Batch(2));                                        // n = 300: confirmed
  EXPECT_EQ(first.action, Action::kRetrain);
  ASSERT_EQ(bt.retrains().size(), 1U);
  EXPECT_EQ(bt.retrains()[0].requested_at_us, kT0 + 299 * kSecond);
  EXPECT_EQ(bt.retrains()[0].assumed_succeeded_at_us, kT0 + 1299 * kSecond);
  for (int k = 3; k < 12; ++k) {
    const Outcome& out = bt.Feed(Batch(k));
    EXPECT_EQ(out.reason_code, "suppressed:in_flight") << k;
  }
  // Batch 12 reaches kT0 + 1299 s: the retrain succeeded; detectors and window start empty.
  const Outcome& fresh = bt.Feed(Batch(12));
  EXPECT_EQ(fresh.n, 100U);
  EXPECT_EQ(fresh.action, Action::kWarn);
  EXPECT_EQ(bt.breach_us_unserved(), 0) << "a breach with a retrain in flight is served";
}

TEST(Backtest, BreachSuppressedByCooldownIsUnservedUntilTheNextRetrain) {
  auto bt = Started(AccuracyConfig(), 1000 * kSecond);  // cooldown 3600 s, 3 per day
  for (int k = 0; k <= 38; ++k) bt.Feed(Batch(k));
  // Retrain at batch 2 (kT0 + 299 s); fresh baseline at batch 12; confirmed again at batch 14 but inside the
  // cooldown until kT0 + 3899 s = batch 38, which retrains. Batches 14..37 are unserved, each charged the
  // 100 s of data time to the next evaluation.
  ASSERT_EQ(bt.retrains().size(), 2U);
  EXPECT_EQ(bt.retrains()[1].requested_at_us, kT0 + 3899 * kSecond);
  EXPECT_EQ(bt.breach_us_unserved(), 24 * 100 * kSecond);
  EXPECT_EQ(bt.evaluations(), 39U);
  EXPECT_EQ(bt.pairs(), 3900U);
}

TEST(Backtest, ZeroDailyBudgetNeverRetrainsAndEveryConfirmedBreachIsUnserved) {
  auto config = AccuracyConfig();
  config.policy.max_retrains_per_day = 0;
  auto bt = Started(config, kHour);
  for (int k = 0; k < 10; ++k) bt.Feed(Batch(k));
  EXPECT_TRUE(bt.retrains().empty());
  // Confirmed from batch 2 (kT0 + 299 s) on; the last evaluation (kT0 + 999 s) is charged nothing.
  EXPECT_EQ(bt.breach_us_unserved(), 700 * kSecond);
  ASSERT_FALSE(bt.decisions().empty());
  EXPECT_EQ(bt.decisions().back().reason_code, "suppressed:budget");
}

TEST(Backtest, DecisionsAreTheDueOutcomesOnly) {
  auto bt = Started(AccuracyConfig(), kHour);
  for (int k = 0; k < 6; ++k) bt.Feed(Batch(k));
  // warn:unconfirmed (batch 0), retrain (2), suppressed:in_flight (3); the rest repeat their reason.
  ASSERT_EQ(bt.decisions().size(), 3U);
  EXPECT_EQ(bt.decisions()[0].action, Action::kWarn);
  EXPECT_EQ(bt.decisions()[1].action, Action::kRetrain);
  EXPECT_EQ(bt.decisions()[2].reason_code, "suppressed:in_flight");
}

TEST(Backtest, NegativeAssumedDurationIsRejected) {
  EXPECT_FALSE(Backtest::Start(AccuracyConfig(), -1).ok());
}

TEST(BacktestFacts, CountRequestsInTheLast24HoursOfDataTimeLikeThePolicyQuery) {
  const std::int64_t now = kT0 + 10 * kDay;
  const std::vector<SimulatedRetrain> retrains = {
      {.requested_at_us = now - kDay, .assumed_succeeded_at_us = 0},      // exactly 24 h ago: out
      {.requested_at_us = now - kDay + 1, .assumed_succeeded_at_us = 0},  // in
      {.requested_at_us = now, .assumed_succeeded_at_us = 0},             // in
  };
  const PolicyFacts f = FactsFromRequests(retrains, true, now);
  EXPECT_TRUE(f.retrain_in_flight);
  EXPECT_EQ(f.retrains_last_24h, 2);
  ASSERT_TRUE(f.last_retrain_at_us.has_value());
  EXPECT_EQ(*f.last_retrain_at_us, now);
  EXPECT_FALSE(FactsFromRequests({}, false, now).last_retrain_at_us.has_value());
}

}  // namespace
}  // namespace driftgate::evaluate

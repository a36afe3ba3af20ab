// Retrain policy (README.md, openapi.yaml `policy`): a confirmed breach inside the cooldown, over the daily
// budget, or while a retrain is still running gives `suppressed` with the reason; cooldowns count in data
// time (the labels' ts).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/evaluate/evaluator.h"
#include "tests/unit/evaluate/evaluate_test_data.h"

namespace driftgate::evaluate {
namespace {

using testing::AccuracyConfig;
using testing::EvaluateBatch;
using testing::Events;
using testing::Fresh;
using testing::kSecond;
using testing::kT0;
using testing::WithAccuracy;

// 1000 pairs at accuracy 0.70 (confirmed breach of min 0.85), one per second from kT0.
std::vector<LabeledEvent> BreachBatch() { return Events(WithAccuracy(1000, 700)); }
constexpr std::int64_t kLatest = kT0 + 999 * kSecond;  // data time of BreachBatch()

Outcome EvaluateBreach(const domain::ModelConfig& config, const PolicyFacts& facts) {
  State state = Fresh(config);
  return EvaluateBatch(config, state, BreachBatch(), facts);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(EvaluatorPolicy, ConfirmedBreachWithNoHistoryRetrains) {
  const Outcome out = EvaluateBreach(AccuracyConfig(), PolicyFacts{});
  EXPECT_EQ(out.action, Action::kRetrain);
  EXPECT_EQ(out.at_us, kLatest);
}

TEST(EvaluatorPolicy, RetrainInFlightSuppresses) {
  PolicyFacts facts;
  facts.retrain_in_flight = true;
  const Outcome out = EvaluateBreach(AccuracyConfig(), facts);
  EXPECT_EQ(out.action, Action::kSuppressed);
  EXPECT_EQ(out.reason_code, "suppressed:in_flight");
  EXPECT_TRUE(Contains(out.reason, "accuracy")) << out.reason;
  EXPECT_TRUE(out.decision_due);
}

TEST(EvaluatorPolicy, RetrainWithinCooldownSuppresses) {
  PolicyFacts facts;
  facts.last_retrain_at_us = kLatest - 3599 * kSecond;  // cooldown 3600 s
  const Outcome out = EvaluateBreach(AccuracyConfig(), facts);
  EXPECT_EQ(out.action, Action::kSuppressed);
  EXPECT_EQ(out.reason_code, "suppressed:cooldown");
  EXPECT_TRUE(Contains(out.reason, "cooldown")) << out.reason;
}

TEST(EvaluatorPolicy, CooldownEndsAfterCooldownSecondsOfDataTime) {
  PolicyFacts facts;
  facts.last_retrain_at_us = kLatest - 3600 * kSecond;
  EXPECT_EQ(EvaluateBreach(AccuracyConfig(), facts).action, Action::kRetrain);
  facts.last_retrain_at_us = kLatest - 2 * 3600 * kSecond;
  EXPECT_EQ(EvaluateBreach(AccuracyConfig(), facts).action, Action::kRetrain);
}

TEST(EvaluatorPolicy, CooldownCountsFromTheLatestEventTimestamp) {
  // The batch spans kT0 .. kT0 + 999 s. The last retrain 3000 s before the first event is inside the
  // cooldown measured from the first event, but 3999 s before the latest one: the evaluation happens at
  // the latest ts, so the cooldown is over.
  PolicyFacts facts;
  facts.last_retrain_at_us = kT0 - 3000 * kSecond;
  const Outcome out = EvaluateBreach(AccuracyConfig(), facts);
  EXPECT_EQ(out.at_us, kLatest);
  EXPECT_EQ(out.action, Action::kRetrain);
}

TEST(EvaluatorPolicy, CooldownUsesDataTimeEvenForOldBackfills) {
  // A backfill from 2020: data time decides, not the wall clock. Retrain 10 min (data time) before.
  const std::int64_t t2020 = 1'577'836'800'000'000;
  const auto config = AccuracyConfig();
  PolicyFacts facts;
  facts.last_retrain_at_us = t2020 + 999 * kSecond - 600 * kSecond;
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(WithAccuracy(1000, 700), t2020), facts);
  EXPECT_EQ(out.at_us, t2020 + 999 * kSecond);
  EXPECT_EQ(out.action, Action::kSuppressed);
  EXPECT_EQ(out.reason_code, "suppressed:cooldown");
}

TEST(EvaluatorPolicy, LatestTimestampWinsWhenEventsArriveOutOfOrder) {
  const auto config = AccuracyConfig();
  auto events = BreachBatch();
  events.front().ts_us = kLatest + 5000 * kSecond;  // the first event carries the latest ts
  PolicyFacts facts;
  facts.last_retrain_at_us = kLatest + 5000 * kSecond - 4000 * kSecond;  // 4000 s before the latest ts
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, events, facts);
  EXPECT_EQ(out.at_us, kLatest + 5000 * kSecond);
  EXPECT_EQ(out.action, Action::kRetrain);
}

TEST(EvaluatorPolicy, DailyBudgetUsedSuppresses) {
  PolicyFacts facts;
  facts.retrains_last_24h = 3;  // max_retrains_per_day 3
  const Outcome out = EvaluateBreach(AccuracyConfig(), facts);
  EXPECT_EQ(out.action, Action::kSuppressed);
  EXPECT_EQ(out.reason_code, "suppressed:budget");
  EXPECT_TRUE(Contains(out.reason, "budget")) << out.reason;

  facts.retrains_last_24h = 2;
  EXPECT_EQ(EvaluateBreach(AccuracyConfig(), facts).action, Action::kRetrain);
}

TEST(EvaluatorPolicy, ZeroRetrainsPerDayAlwaysSuppresses) {
  auto config = AccuracyConfig();
  config.policy.max_retrains_per_day = 0;
  const Outcome out = EvaluateBreach(config, PolicyFacts{});
  EXPECT_EQ(out.action, Action::kSuppressed);
  EXPECT_EQ(out.reason_code, "suppressed:budget");
}

TEST(EvaluatorPolicy, ZeroCooldownNeverSuppresses) {
  auto config = AccuracyConfig();
  config.policy.cooldown_seconds = 0;
  PolicyFacts facts;
  facts.last_retrain_at_us = kLatest;
  EXPECT_EQ(EvaluateBreach(config, facts).action, Action::kRetrain);
}

TEST(EvaluatorPolicy, PolicyNeverTurnsAHealthyOrUnconfirmedWindowIntoSuppressed) {
  const auto config = AccuracyConfig();
  PolicyFacts facts;
  facts.retrain_in_flight = true;
  facts.last_retrain_at_us = kLatest;
  facts.retrains_last_24h = 99;
  State healthy = Fresh(config);
  EXPECT_EQ(EvaluateBatch(config, healthy, Events(WithAccuracy(1000, 950)), facts).action, Action::kNone);
  State few = Fresh(config);
  EXPECT_EQ(EvaluateBatch(config, few, Events(WithAccuracy(100, 0)), facts).action, Action::kWarn);
}

}  // namespace
}  // namespace driftgate::evaluate

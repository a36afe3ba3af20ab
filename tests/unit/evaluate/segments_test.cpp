// Segments (core/evaluate/segments.h): windows per segment, "(other)" pooling, the Bonferroni level, and
// the policy a confirmed segment breach goes through.
#include "core/evaluate/segments.h"

#include <gtest/gtest.h>

#include <vector>

namespace driftgate::evaluate {
namespace {

domain::ModelConfig Config(domain::SegmentsMode mode) {
  domain::ModelConfig c;
  c.task = kpi::Task::kBinary;
  c.kpis = {domain::KpiSpec{.metric = kpi::Metric::kAccuracy, .min = 0.8}};
  c.evaluation.window = 200;
  c.segments.mode = mode;
  c.segments.min_samples = 100;
  c.segments.max_segments = 2;
  return c;
}

// `n` events of `segment`, `correct` of them correct, spread evenly; data time from `t0` seconds.
std::vector<LabeledEvent> Events(const std::string& segment, int n, int correct, std::int64_t t0 = 0) {
  std::vector<LabeledEvent> out;
  for (int i = 0; i < n; ++i) {
    LabeledEvent e;
    e.pair.predicted = "1";
    e.pair.actual = (i + 1) * correct / n > i * correct / n ? "1" : "0";
    e.ts_us = (t0 + i) * 1'000'000;
    e.segment = segment;
    out.push_back(e);
  }
  return out;
}

Outcome WholeNone() {
  Outcome o;
  o.at_us = 1'000'000'000;
  return o;
}

TEST(Segments, BonferroniSplitsTheErrorRateOverTheSegments) {
  EXPECT_DOUBLE_EQ(SegmentConfidence(0.95, 1), 0.95);
  EXPECT_NEAR(SegmentConfidence(0.95, 20), 0.9975, 1e-15);
  EXPECT_DOUBLE_EQ(SegmentConfidence(0.95, 0), 0.95);
}

TEST(Segments, ValuesBeyondMaxSegmentsArePooledAsOther) {
  const auto config = Config(domain::SegmentsMode::kMonitor);
  State state;
  std::vector<LabeledEvent> events = Events("a", 10, 10);
  for (auto& e : Events("b", 10, 10)) events.push_back(e);
  for (auto& e : Events("c", 10, 10)) events.push_back(e);
  for (auto& e : Events("d", 5, 5)) events.push_back(e);
  const auto out = EvaluateSegments(config, state, events, PolicyFacts{}, WholeNone());
  ASSERT_EQ(state.segments.size(), 3u);
  EXPECT_EQ(state.segments.at("(other)").window.size(), 15u);
  EXPECT_EQ(out.judged, 3u);
  EXPECT_NEAR(out.confidence, 1 - 0.05 / 3, 1e-15);
}

TEST(Segments, MonitorWarnsOnceAndTriggerRetrainsThenSuppressesInFlight) {
  for (const auto mode : {domain::SegmentsMode::kMonitor, domain::SegmentsMode::kTrigger}) {
    const auto config = Config(mode);
    State state;
    const auto first = EvaluateSegments(config, state, Events("eu", 200, 100), PolicyFacts{}, WholeNone());
    ASSERT_EQ(first.decisions.size(), 1u);
    EXPECT_EQ(first.decisions[0].segment, "eu");
    EXPECT_NE(first.decisions[0].reason.find("segment 'eu'"), std::string::npos);
    EXPECT_EQ(first.decisions[0].action,
              mode == domain::SegmentsMode::kMonitor ? Action::kWarn : Action::kRetrain);
    PolicyFacts facts;
    facts.retrain_in_flight = mode == domain::SegmentsMode::kTrigger;
    const auto again = EvaluateSegments(config, state, Events("eu", 50, 25, 200), facts, WholeNone());
    if (mode == domain::SegmentsMode::kMonitor) {
      EXPECT_TRUE(again.decisions.empty());  // same reason: no new decision
    } else {
      ASSERT_EQ(again.decisions.size(), 1u);
      EXPECT_EQ(again.decisions[0].action, Action::kSuppressed);
      EXPECT_EQ(again.decisions[0].reason_code, "suppressed:in_flight:segment=eu:accuracy");
    }
  }
}

TEST(Segments, AWholeStreamRetrainInTheSameBatchSuppressesTheSegments) {
  const auto config = Config(domain::SegmentsMode::kTrigger);
  State state;
  Outcome whole = WholeNone();
  whole.action = Action::kRetrain;
  const auto out = EvaluateSegments(config, state, Events("eu", 200, 100), PolicyFacts{}, whole);
  ASSERT_EQ(out.decisions.size(), 1u);
  EXPECT_EQ(out.decisions[0].action, Action::kSuppressed);
}

TEST(Segments, FewerThanMinSamplesNeverConfirmAndOffClearsEverything) {
  auto config = Config(domain::SegmentsMode::kTrigger);
  State state;
  const auto out = EvaluateSegments(config, state, Events("eu", 99, 0), PolicyFacts{}, WholeNone());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].state, "warn");
  EXPECT_TRUE(out.decisions.empty());
  config.segments.mode = domain::SegmentsMode::kOff;
  EXPECT_TRUE(
      EvaluateSegments(config, state, Events("eu", 10, 0), PolicyFacts{}, WholeNone()).results.empty());
  EXPECT_TRUE(state.segments.empty());
}

TEST(Segments, PerSegmentKpisReplaceTheModelsAndTheWindowKeepsItsSize) {
  auto config = Config(domain::SegmentsMode::kTrigger);
  config.segments.kpis["eu"] = {domain::KpiSpec{.metric = kpi::Metric::kAccuracy, .min = 0.3}};
  State state;
  const auto out = EvaluateSegments(config, state, Events("eu", 500, 250), PolicyFacts{}, WholeNone());
  ASSERT_EQ(out.results.size(), 1u);
  EXPECT_EQ(out.results[0].n, 200u);
  EXPECT_EQ(out.results[0].kpis.at(0).threshold, 0.3);
  EXPECT_EQ(out.results[0].state, "ok");
  EXPECT_TRUE(out.decisions.empty());
}

}  // namespace
}  // namespace driftgate::evaluate

// Helpers for the evaluator tests: deterministic pair streams, labelled events, configs and states.
// Functions returning values, no fixtures (Abseil TotW #122).
#pragma once

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/detect/detector.h"
#include "core/domain/model.h"
#include "core/evaluate/evaluator.h"
#include "core/kpi/metrics.h"

namespace driftgate::evaluate::testing {

// 2026-11-23T06:00:00Z in microseconds: data time of the first event unless a test says otherwise.
inline constexpr std::int64_t kT0 = 1'795'413'600'000'000;
inline constexpr std::int64_t kSecond = 1'000'000;

inline kpi::Pair Classified(std::string predicted, std::string actual) {
  kpi::Pair pair;
  pair.predicted = std::move(predicted);
  pair.actual = std::move(actual);
  return pair;
}

// A binary pair that is right (predicted "1", actual "1") or wrong (predicted "1", actual "0").
inline kpi::Pair Binary(bool correct) { return Classified("1", correct ? "1" : "0"); }

inline kpi::Pair Regressed(double predicted_value, double actual_value) {
  kpi::Pair pair;
  pair.predicted_value = predicted_value;
  pair.actual_value = actual_value;
  return pair;
}

// `n` binary pairs of which exactly `correct` are right, the errors spread evenly (Bresenham-style), so
// every prefix has about the same accuracy.
inline std::vector<kpi::Pair> WithAccuracy(std::size_t n, std::size_t correct) {
  std::vector<kpi::Pair> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(Binary((i + 1) * correct / n > i * correct / n));
  return out;
}

// `n` binary pairs where pair i is wrong iff i % 20 < errors_per_20: a periodic error rate of
// errors_per_20 / 20 (1 → 5 %, 12 → 60 %).
inline std::vector<kpi::Pair> PeriodicErrors(std::size_t n, std::size_t errors_per_20) {
  std::vector<kpi::Pair> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(Binary(i % 20 >= errors_per_20));
  return out;
}

// Regression pairs whose absolute errors cycle through `errors` (actual 10, predicted 10 + error).
inline std::vector<kpi::Pair> WithAbsErrors(std::size_t n, const std::vector<double>& errors) {
  std::vector<kpi::Pair> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(Regressed(10.0 + errors[i % errors.size()], 10.0));
  return out;
}

inline std::vector<kpi::Pair> Concat(std::vector<kpi::Pair> a, const std::vector<kpi::Pair>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// One event per pair, data time t0, t0 + step, ...
inline std::vector<LabeledEvent> Events(const std::vector<kpi::Pair>& pairs, std::int64_t t0 = kT0,
                                        std::int64_t step = kSecond) {
  std::vector<LabeledEvent> out;
  out.reserve(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    LabeledEvent ev;
    ev.pair = pairs[i];
    ev.ts_us = t0 + static_cast<std::int64_t>(i) * step;
    out.push_back(std::move(ev));
  }
  return out;
}

inline domain::KpiSpec Min(kpi::Metric metric, double min) {
  domain::KpiSpec spec;
  spec.metric = metric;
  spec.min = min;
  return spec;
}

inline domain::KpiSpec Max(kpi::Metric metric, double max) {
  domain::KpiSpec spec;
  spec.metric = metric;
  spec.max = max;
  return spec;
}

inline detect::Spec Detector(std::string type, std::map<std::string, detect::ParamValue> params = {}) {
  detect::Spec spec;
  spec.type = std::move(type);
  spec.params = std::move(params);
  return spec;
}

inline domain::ModelConfig Config(kpi::Task task, std::vector<domain::KpiSpec> kpis,
                                  std::size_t window = 1000, std::size_t min_samples = 300) {
  domain::ModelConfig config;
  config.name = "fraud-scorer";
  config.task = task;
  config.kpis = std::move(kpis);
  config.evaluation.window = window;
  config.evaluation.min_samples = min_samples;
  config.evaluation.confidence = 0.95;
  config.policy.cooldown_seconds = 3600;
  config.policy.max_retrains_per_day = 3;
  return config;
}

// accuracy >= 0.85 on a binary model, window 1000, min_samples 300, no detectors.
inline domain::ModelConfig AccuracyConfig(double min = 0.85) {
  return Config(kpi::Task::kBinary, {Min(kpi::Metric::kAccuracy, min)});
}

inline State Fresh(const domain::ModelConfig& config) {
  auto state = FreshState(config);
  EXPECT_TRUE(state.ok()) << (state.ok() ? "" : state.error().message);
  return state.ok() ? std::move(state).value() : State{};
}

// Evaluates one batch with the given facts (default: no retrain history).
inline Outcome EvaluateBatch(const domain::ModelConfig& config, State& state,
                             const std::vector<LabeledEvent>& events,
                             const PolicyFacts& facts = PolicyFacts{}) {
  return Evaluate(config, state, events, facts);
}

// The result of `metric` in `out` (a test failure, and a default result, when it is missing).
inline KpiResult KpiOf(const Outcome& out, kpi::Metric metric) {
  for (const auto& k : out.kpis) {
    if (k.metric == metric) return k;
  }
  ADD_FAILURE() << "no result for " << kpi::MetricName(metric);
  return KpiResult{};
}

inline std::vector<const Alarm*> Drifts(const Outcome& out) {
  std::vector<const Alarm*> drifts;
  for (const auto& a : out.alarms) {
    if (a.signal == detect::Signal::kDrift) drifts.push_back(&a);
  }
  return drifts;
}

// The error stream of `pairs` through a standalone detector built from `spec`: index and
// ElementsSinceChange() of every drift. The oracle for what the evaluator's detectors see.
struct DriftPoint {
  std::size_t index = 0;
  std::size_t kept = 0;
};

inline std::vector<DriftPoint> StandaloneDrifts(const detect::Spec& spec, kpi::Task task,
                                                domain::ErrorMetric error_metric,
                                                const std::vector<kpi::Pair>& pairs) {
  auto made = detect::Make(spec);
  EXPECT_TRUE(made.ok());
  if (!made.ok()) return {};
  auto& detector = *made.value();
  std::vector<DriftPoint> out;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (detector.Update(ErrorValue(task, error_metric, pairs[i])) == detect::Signal::kDrift) {
      DriftPoint p;
      p.index = i;
      p.kept = detector.ElementsSinceChange();
      out.push_back(p);
    }
  }
  return out;
}

}  // namespace driftgate::evaluate::testing

// The evaluation state between label batches: FreshState validates the detector specs, Fingerprint captures
// what the state depends on, Reconcile rebuilds detectors on a config change but keeps the KPI window.
#include <gtest/gtest.h>

#include <vector>

#include "core/detect/adwin.h"
#include "core/evaluate/evaluator.h"
#include "tests/unit/evaluate/evaluate_test_data.h"

namespace driftgate::evaluate {
namespace {

using testing::Config;
using testing::Detector;
using testing::EvaluateBatch;
using testing::Events;
using testing::Fresh;
using testing::WithAccuracy;

domain::ModelConfig WithDetectors(std::vector<detect::Spec> detectors, std::size_t window = 1000) {
  auto config = Config(kpi::Task::kBinary, {testing::Min(kpi::Metric::kAccuracy, 0.85)}, window, 300);
  config.detectors = std::move(detectors);
  return config;
}

double AdwinWidth(const State& state, std::size_t i) {
  const auto* adwin = dynamic_cast<const detect::Adwin*>(state.detectors.at(i).get());
  EXPECT_NE(adwin, nullptr);
  return adwin ? adwin->Width() : -1.0;
}

TEST(EvaluatorState, FreshStateBuildsOneDetectorPerSpecInOrder) {
  const auto config = WithDetectors({Detector("adwin"), Detector("ddm"), Detector("page_hinkley")});
  auto state = FreshState(config);
  ASSERT_TRUE(state.ok());
  ASSERT_EQ(state->detectors.size(), 3U);
  EXPECT_EQ(state->detectors[0]->Name(), "adwin");
  EXPECT_EQ(state->detectors[1]->Name(), "ddm");
  EXPECT_EQ(state->detectors[2]->Name(), "page_hinkley");
  EXPECT_TRUE(state->window.empty());
  EXPECT_EQ(state->last_action, Action::kNone);
  EXPECT_EQ(state->fingerprint, Fingerprint(config));
}

TEST(EvaluatorState, FreshStateRejectsAnOutOfRangeParameter) {
  auto state = FreshState(WithDetectors({Detector("adwin"), Detector("adwin", {{"delta", 2.0}})}));
  ASSERT_FALSE(state.ok());
  EXPECT_EQ(state.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(state.error().message.find("delta"), std::string::npos) << state.error().message;
}

TEST(EvaluatorState, FreshStateRejectsAnUnknownDetectorOrParameter) {
  auto unknown_type = FreshState(WithDetectors({Detector("no_such_detector")}));
  ASSERT_FALSE(unknown_type.ok());
  EXPECT_EQ(unknown_type.error().code, ErrorCode::kInvalidArgument);
  auto unknown_param = FreshState(WithDetectors({Detector("adwin", {{"no_such_param", 1.0}})}));
  ASSERT_FALSE(unknown_param.ok());
  EXPECT_EQ(unknown_param.error().code, ErrorCode::kInvalidArgument);
  auto wrong_type = FreshState(WithDetectors({Detector("adwin", {{"delta", std::string("small")}})}));
  ASSERT_FALSE(wrong_type.ok());
  EXPECT_EQ(wrong_type.error().code, ErrorCode::kInvalidArgument);
}

TEST(EvaluatorState, FingerprintIsStableForTheSameConfig) {
  const auto a = WithDetectors({Detector("adwin", {{"delta", 0.002}})});
  const auto b = WithDetectors({Detector("adwin", {{"delta", 0.002}})});
  EXPECT_EQ(Fingerprint(a), Fingerprint(b));
}

TEST(EvaluatorState, FingerprintDiffersWhenWhatTheStateDependsOnChanges) {
  const auto base = WithDetectors({Detector("adwin", {{"delta", 0.002}})});
  const std::string fp = Fingerprint(base);

  EXPECT_NE(Fingerprint(WithDetectors({Detector("adwin", {{"delta", 0.01}})})), fp);
  EXPECT_NE(Fingerprint(WithDetectors({Detector("adwin", {{"delta", 0.0020000000000000001}})})),
            Fingerprint(WithDetectors({Detector("adwin", {{"delta", 0.0020000000000001}})})));
  EXPECT_NE(Fingerprint(WithDetectors({Detector("adwin", {{"delta", 0.002}, {"clock", 16.0}})})), fp);
  EXPECT_NE(Fingerprint(WithDetectors({Detector("ddm")})), fp);
  EXPECT_NE(Fingerprint(WithDetectors({Detector("adwin", {{"delta", 0.002}}), Detector("ddm")})), fp);
  EXPECT_NE(Fingerprint(WithDetectors({})), fp);
  EXPECT_NE(Fingerprint(WithDetectors({Detector("adwin", {{"delta", 0.002}})}, 500)), fp);
  auto task = base;
  task.task = kpi::Task::kMulticlass;
  EXPECT_NE(Fingerprint(task), fp);
  auto squared = base;
  squared.error_metric = domain::ErrorMetric::kSquared;
  EXPECT_NE(Fingerprint(squared), fp);
  EXPECT_NE(Fingerprint(WithDetectors({Detector("page_hinkley", {{"mode", std::string("up")}})})),
            Fingerprint(WithDetectors({Detector("page_hinkley", {{"mode", std::string("down")}})})));
}

TEST(EvaluatorState, FingerprintIgnoresKpisAndPolicy) {
  const auto base = WithDetectors({Detector("adwin")});
  auto other = base;
  other.kpis = {testing::Min(kpi::Metric::kRecall, 0.5)};
  other.evaluation.min_samples = 50;
  other.evaluation.confidence = 0.99;
  other.policy.cooldown_seconds = 1;
  other.policy.max_retrains_per_day = 9;
  EXPECT_EQ(Fingerprint(other), Fingerprint(base));
}

TEST(EvaluatorState, ReconcileWithUnchangedConfigKeepsDetectorsAndWindow) {
  const auto config = WithDetectors({Detector("adwin")});
  State state = Fresh(config);
  EvaluateBatch(config, state, Events(WithAccuracy(400, 380)));
  ASSERT_DOUBLE_EQ(AdwinWidth(state, 0), 400.0);
  const auto* before = state.detectors[0].get();
  ASSERT_TRUE(Reconcile(config, state).ok());
  EXPECT_EQ(state.detectors[0].get(), before);
  EXPECT_DOUBLE_EQ(AdwinWidth(state, 0), 400.0);
  EXPECT_EQ(state.window.size(), 400U);
}

TEST(EvaluatorState, ReconcileRebuildsDetectorsButKeepsTheWindowWhenDetectorsChange) {
  const auto config = WithDetectors({Detector("adwin", {{"delta", 0.002}})});
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(WithAccuracy(400, 380)));
  state.last_reason_code = out.reason_code;
  const auto window_before = state.window;
  ASSERT_DOUBLE_EQ(AdwinWidth(state, 0), 400.0);

  const auto changed = WithDetectors({Detector("adwin", {{"delta", 0.01}}), Detector("ddm")});
  ASSERT_TRUE(Reconcile(changed, state).ok());
  ASSERT_EQ(state.detectors.size(), 2U);
  EXPECT_DOUBLE_EQ(AdwinWidth(state, 0), 0.0);  // fresh
  EXPECT_EQ(state.detectors[1]->Name(), "ddm");
  EXPECT_EQ(state.fingerprint, Fingerprint(changed));
  ASSERT_EQ(state.window.size(), window_before.size());
  for (std::size_t i = 0; i < window_before.size(); ++i) {
    EXPECT_EQ(state.window[i].predicted, window_before[i].predicted);
    EXPECT_EQ(state.window[i].actual, window_before[i].actual);
  }
  // The next evaluation continues on the kept window.
  const Outcome next =
      EvaluateBatch(changed, state, Events(WithAccuracy(10, 10), testing::kT0 + 400 * testing::kSecond));
  EXPECT_EQ(next.n, 410U);
}

TEST(EvaluatorState, ReconcileTrimsTheWindowToASmallerSizeKeepingTheNewest) {
  const auto config = Config(kpi::Task::kRegression, {}, 1000, 300);
  State state = Fresh(config);
  std::vector<kpi::Pair> pairs;
  for (int i = 0; i < 600; ++i) pairs.push_back(testing::Regressed(i, 0.0));
  EvaluateBatch(config, state, Events(pairs));
  const auto smaller = Config(kpi::Task::kRegression, {}, 250, 300);
  ASSERT_TRUE(Reconcile(smaller, state).ok());
  ASSERT_EQ(state.window.size(), 250U);
  EXPECT_DOUBLE_EQ(state.window.front().predicted_value, 350.0);
  EXPECT_DOUBLE_EQ(state.window.back().predicted_value, 599.0);
}

TEST(EvaluatorState, ReconcileWithABadSpecFailsAndLeavesTheStateAlone) {
  const auto config = WithDetectors({Detector("adwin")});
  State state = Fresh(config);
  EvaluateBatch(config, state, Events(WithAccuracy(400, 380)));
  const std::string fp = state.fingerprint;
  const auto status = Reconcile(WithDetectors({Detector("adwin", {{"delta", -1.0}})}, 100), state);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(state.fingerprint, fp);
  ASSERT_EQ(state.detectors.size(), 1U);
  EXPECT_DOUBLE_EQ(AdwinWidth(state, 0), 400.0);
  EXPECT_EQ(state.window.size(), 400U);
}

TEST(EvaluatorState, DetectorsConsumeTheSquaredErrorWhenConfigured) {
  // page_hinkley accepts any real: with squared errors its input is 4x the absolute one for error 2.
  // Compare the evaluator's detector with standalone ones fed absolute and squared errors.
  auto config = Config(kpi::Task::kRegression, {}, 5000, 300);
  config.detectors = {Detector("page_hinkley")};
  config.error_metric = domain::ErrorMetric::kSquared;
  const auto pairs =
      testing::Concat(testing::WithAbsErrors(1000, {0.5, 1.0}), testing::WithAbsErrors(500, {2.0, 3.0}));
  const auto squared =
      testing::StandaloneDrifts(config.detectors[0], config.task, domain::ErrorMetric::kSquared, pairs);
  const auto absolute =
      testing::StandaloneDrifts(config.detectors[0], config.task, domain::ErrorMetric::kAbsolute, pairs);
  ASSERT_FALSE(squared.empty());
  ASSERT_TRUE(absolute.empty() || absolute[0].index != squared[0].index);  // the input matters here
  State state = Fresh(config);
  const auto events = Events(pairs);
  const Outcome out = EvaluateBatch(config, state, events);
  const auto drifts = testing::Drifts(out);
  ASSERT_EQ(drifts.size(), squared.size());
  EXPECT_EQ(drifts[0]->at_us, events[squared[0].index].ts_us);
}

}  // namespace
}  // namespace driftgate::evaluate

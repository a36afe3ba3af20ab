// Detector alarms in an Outcome: drift alarms with the pairs the window kept, per-detector warning
// summaries, and the "warn:detector:<names>" reason listing each drifting detector once.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "core/evaluate/evaluator.h"
#include "tests/unit/evaluate/evaluate_test_data.h"

namespace driftgate::evaluate {
namespace {

using testing::Concat;
using testing::Config;
using testing::EvaluateBatch;
using testing::Events;
using testing::Fresh;
using testing::kSecond;
using testing::kT0;
using testing::PeriodicErrors;

// 2000 pairs at 5 % errors then 600 at 60 %.
std::vector<kpi::Pair> AbruptChange() { return Concat(PeriodicErrors(2000, 1), PeriodicErrors(600, 12)); }

TEST(EvaluatorAlarms, WarningsAreSummarizedPerDetectorWithCountAndFirstTime) {
  auto config = Config(kpi::Task::kBinary, {}, 5000, 300);
  config.detectors = {testing::Detector("ddm")};
  // Stop before DDM's drift: only its warning zone is reached.
  const auto all = AbruptChange();
  const std::vector<kpi::Pair> pairs(all.begin(), all.begin() + 2020);
  auto oracle = detect::Make(config.detectors[0]);
  ASSERT_TRUE(oracle.ok());
  std::size_t warnings = 0;
  std::size_t first = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const auto s = oracle.value()->Update(ErrorValue(config.task, config.error_metric, pairs[i]));
    ASSERT_NE(s, detect::Signal::kDrift);
    if (s == detect::Signal::kWarning && warnings++ == 0) first = i;
  }
  ASSERT_GT(warnings, 1U);

  State state = Fresh(config);
  const auto events = Events(pairs);
  const Outcome out = EvaluateBatch(config, state, events);
  EXPECT_TRUE(testing::Drifts(out).empty());
  ASSERT_EQ(out.alarms.size(), 1U);
  EXPECT_EQ(out.alarms[0].signal, detect::Signal::kWarning);
  EXPECT_EQ(out.alarms[0].detector, "ddm");
  EXPECT_EQ(out.alarms[0].detector_index, 0U);
  EXPECT_EQ(out.alarms[0].count, warnings);
  EXPECT_EQ(out.alarms[0].at_us, events[first].ts_us);
  EXPECT_EQ(out.n, pairs.size());  // a warning does not restart the window
}

// Labels sent without ts all get the batch's arrival time: the alarms must not depend on timestamps.
TEST(EvaluatorAlarms, AlarmsDoNotDependOnEventTimestamps) {
  auto config = Config(kpi::Task::kBinary, {}, 5000, 300);
  config.detectors = {testing::Detector("ddm"), testing::Detector("adwin")};
  const auto pairs = AbruptChange();
  const auto ddm = testing::StandaloneDrifts(config.detectors[0], config.task, config.error_metric, pairs);
  const auto adwin = testing::StandaloneDrifts(config.detectors[1], config.task, config.error_metric, pairs);
  ASSERT_EQ(ddm.size(), 1U);
  ASSERT_EQ(adwin.size(), 1U);
  ASSERT_LT(ddm[0].index, adwin[0].index);  // DDM empties the window first, ADWIN cuts later

  State distinct = Fresh(config);
  const Outcome a = EvaluateBatch(config, distinct, Events(pairs, kT0, kSecond));
  State same = Fresh(config);
  const Outcome b = EvaluateBatch(config, same, Events(pairs, kT0, 0));
  const auto da = testing::Drifts(a);
  const auto db = testing::Drifts(b);
  ASSERT_EQ(da.size(), 2U);
  ASSERT_EQ(db.size(), 2U);
  EXPECT_EQ(da[0]->detector, "ddm");
  EXPECT_EQ(da[0]->window_kept, 0U);
  EXPECT_EQ(da[1]->window_kept, adwin[0].index - ddm[0].index);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(db[i]->detector, da[i]->detector);
    EXPECT_EQ(db[i]->window_kept, da[i]->window_kept) << db[i]->detector;
  }
  EXPECT_EQ(a.n, b.n);
}

// reason_code "warn:detector:<names>" lists every detector that drifted in the batch, each once.
std::set<std::string> DetectorNames(const std::string& reason_code) {
  const std::string prefix = "warn:detector:";
  EXPECT_EQ(reason_code.rfind(prefix, 0), 0U) << reason_code;
  std::set<std::string> names;
  std::string rest = reason_code.substr(std::min(prefix.size(), reason_code.size()));
  std::size_t start = 0;
  while (start <= rest.size()) {
    const std::size_t comma = std::min(rest.find(',', start), rest.size());
    names.insert(rest.substr(start, comma - start));
    start = comma + 1;
  }
  return names;
}

TEST(EvaluatorAlarms, DriftReasonNamesEveryDriftingDetector) {
  auto config = Config(kpi::Task::kBinary, {}, 5000, 300);
  config.detectors = {testing::Detector("adwin"), testing::Detector("ddm")};
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(AbruptChange()));
  EXPECT_EQ(testing::Drifts(out).size(), 2U);
  EXPECT_EQ(DetectorNames(out.reason_code), (std::set<std::string>{"adwin", "ddm"}));
}

TEST(EvaluatorAlarms, DriftReasonNamesDetectorsWhoseNameContainsAnother) {
  // hddm_a drifts before ddm on this stream, and "ddm" is a substring of "hddm_a".
  auto config = Config(kpi::Task::kBinary, {}, 5000, 300);
  config.detectors = {testing::Detector("hddm_a"), testing::Detector("ddm")};
  const auto pairs = AbruptChange();
  const auto hddm = testing::StandaloneDrifts(config.detectors[0], config.task, config.error_metric, pairs);
  const auto ddm = testing::StandaloneDrifts(config.detectors[1], config.task, config.error_metric, pairs);
  ASSERT_FALSE(hddm.empty());
  ASSERT_FALSE(ddm.empty());
  ASSERT_LT(hddm[0].index, ddm[0].index);
  State state = Fresh(config);
  const Outcome out = EvaluateBatch(config, state, Events(pairs));
  EXPECT_EQ(out.action, Action::kWarn);
  EXPECT_EQ(DetectorNames(out.reason_code), (std::set<std::string>{"hddm_a", "ddm"})) << out.reason_code;
}

}  // namespace
}  // namespace driftgate::evaluate

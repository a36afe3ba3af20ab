// Input quality per record (core/evaluate/input_quality.h) and the data-quality veto judged on the
// evaluated pairs (core/evaluate/input_veto.h): the rules of data_quality.h applied to one record, and a
// confirmed breach suppressed only when the pairs with broken input carry it.
#include "core/evaluate/input_veto.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/evaluate/input_quality.h"
#include "tests/unit/evaluate/evaluate_test_data.h"

namespace driftgate::evaluate {
namespace {

using Features = std::vector<std::pair<std::string, domain::FeatureValue>>;

// A reference of 100 rows: amount 0..99 (numeric), country DE/FR (categorical).
ReferenceProfile Reference() {
  std::vector<FeatureRow> rows;
  for (int i = 0; i < 100; ++i) {
    rows.push_back({{"amount", static_cast<double>(i)}, {"country", std::string(i % 2 ? "DE" : "FR")}});
  }
  std::vector<const FeatureRow*> ptrs;
  for (const auto& r : rows) ptrs.push_back(&r);
  return Profile(ptrs);
}

const std::map<std::string, std::uint16_t> kPositions{{"amount", 3}, {"country", 7}};

TEST(RecordJudge, CleanRecordHasNoFault) {
  const auto ref = Reference();
  const RecordJudge judge(ref, kPositions, domain::DataQualitySpec{});
  EXPECT_TRUE(judge.Judge(Features{{"country", std::string("DE")}, {"amount", 50.0}}).empty());
  // The margin: 10% of the range beyond either end is still in range.
  EXPECT_TRUE(judge.Judge(Features{{"amount", 108.0}, {"country", std::string("FR")}}).empty());
}

TEST(RecordJudge, EachRuleGivesItsFaultCodeByDictionaryPosition) {
  const auto ref = Reference();
  const RecordJudge judge(ref, kPositions, domain::DataQualitySpec{});
  EXPECT_EQ(judge.Judge(Features{{"amount", std::monostate{}}, {"country", std::string("DE")}}),
            std::vector<FaultCode>{MakeFaultCode(3, Fault::kMissing)});
  EXPECT_EQ(judge.Judge(Features{{"country", std::string("DE")}}),
            std::vector<FaultCode>{MakeFaultCode(3, Fault::kMissing)});
  EXPECT_EQ(judge.Judge(Features{{"amount", std::string("12")}, {"country", std::string("DE")}}),
            std::vector<FaultCode>{MakeFaultCode(3, Fault::kTypeError)});
  EXPECT_EQ(
      judge.Judge(Features{{"amount", 120.0}, {"country", 1.0}}),
      (std::vector<FaultCode>{MakeFaultCode(3, Fault::kOutOfRange), MakeFaultCode(7, Fault::kTypeError)}));
  EXPECT_EQ(judge.Judge(Features{{"amount", 1.0}, {"country", std::string("XX")}}),
            std::vector<FaultCode>{MakeFaultCode(7, Fault::kUnseen)});
  EXPECT_EQ(FaultPosition(MakeFaultCode(7, Fault::kUnseen)), 7);
  EXPECT_EQ(FaultKind(MakeFaultCode(7, Fault::kUnseen)), Fault::kUnseen);
}

TEST(RecordJudge, FeatureWithoutPositionIsNotJudged) {
  const auto ref = Reference();
  const RecordJudge judge(ref, {{"country", 0}}, domain::DataQualitySpec{});
  EXPECT_TRUE(judge.Judge(Features{{"country", std::string("DE")}}).empty());
}

const FeatureDictionary kDictionary{{0, {.name = "x1"}}, {1, {.name = "x2"}}};

// A binary pair, right or wrong, judged at ingest with `faults`.
kpi::Pair Judged(bool correct, std::vector<FaultCode> faults = {}) {
  kpi::Pair p = testing::Binary(correct);
  p.input_judged = true;
  p.input_faults = std::move(faults);
  return p;
}

// `n` pairs at accuracy correct/n, each with x2 missing when `broken`.
std::vector<kpi::Pair> Pairs(std::size_t n, std::size_t correct, bool broken) {
  std::vector<kpi::Pair> out;
  for (const auto& p : testing::WithAccuracy(n, correct)) {
    out.push_back(
        Judged(p.predicted == p.actual, broken ? std::vector<FaultCode>{MakeFaultCode(1, Fault::kMissing)}
                                               : std::vector<FaultCode>{}));
  }
  return out;
}

TEST(JudgeInputs, RateOverTheJudgedPairsAgainstTheReferenceBaseline) {
  const auto window = testing::Concat(Pairs(700, 644, false), Pairs(300, 180, true));
  const InputVerdict v = JudgeInputs(window, kDictionary, domain::DataQualitySpec{});
  EXPECT_EQ(v.judged, 1000u);
  ASSERT_EQ(v.broken.size(), 1u);
  EXPECT_EQ(v.broken[0].feature, "x2");
  EXPECT_EQ(v.broken[0].fault, Fault::kMissing);
  EXPECT_DOUBLE_EQ(v.broken[0].rate, 0.3);
  EXPECT_EQ(v.broken_pairs, 300u);
  // The same rate is no incident when the reference was 10% missing too (0.3 is not 5 x 0.1).
  FeatureDictionary usually_missing = kDictionary;
  usually_missing[1].missing_rate = 0.1;
  EXPECT_TRUE(JudgeInputs(window, usually_missing, domain::DataQualitySpec{}).broken.empty());
}

TEST(JudgeBreach, BrokenPairsCarryingTheBreachSuppressIt) {
  const auto config = testing::AccuracyConfig();
  // Half the pairs with x2 missing at 0.60, the others at 0.92: 0.76 over the window.
  const auto window = testing::Concat(Pairs(500, 460, false), Pairs(500, 300, true));
  const Veto veto = JudgeBreach(config, window, kDictionary);
  EXPECT_EQ(veto.outcome, VetoOutcome::kSuppress);
  EXPECT_NE(veto.note.find("data-quality incident on x2 (missing 0.5, reference 0)"), std::string::npos)
      << veto.note;
  EXPECT_NE(veto.note.find("500 clean pairs do not confirm"), std::string::npos) << veto.note;
}

TEST(JudgeBreach, TooFewCleanPairsToConfirmSuppressSayingSo) {
  const auto config = testing::AccuracyConfig();  // min_samples 300
  const auto window = testing::Concat(Pairs(200, 140, false), Pairs(800, 480, true));
  const Veto veto = JudgeBreach(config, window, kDictionary);
  EXPECT_EQ(veto.outcome, VetoOutcome::kSuppress);
  EXPECT_NE(veto.note.find("the 200 clean pairs (fewer than min_samples=300) do not confirm"),
            std::string::npos)
      << veto.note;
}

TEST(JudgeBreach, CleanPairsThatConfirmTheBreachLetItStand) {
  const auto config = testing::AccuracyConfig();
  const auto window = testing::Concat(Pairs(500, 350, false), Pairs(500, 300, true));
  const Veto veto = JudgeBreach(config, window, kDictionary);
  EXPECT_EQ(veto.outcome, VetoOutcome::kCleanPairsConfirm);
  EXPECT_NE(veto.note.find("the clean pairs confirm the breach: accuracy 0.7 "), std::string::npos)
      << veto.note;
  EXPECT_NE(veto.note.find("(n=500)"), std::string::npos) << veto.note;
}

TEST(JudgeBreach, NoJudgedPairMeansNoVerdictWasPossible) {
  const auto config = testing::AccuracyConfig();
  const Veto veto = JudgeBreach(config, testing::WithAccuracy(1000, 700), kDictionary);
  EXPECT_EQ(veto.outcome, VetoOutcome::kNoVerdict);
  EXPECT_NE(veto.note.find("no input-quality verdict was possible"), std::string::npos);
}

TEST(JudgeBreach, DisabledVetoNeverSuppresses) {
  auto config = testing::AccuracyConfig();
  config.data_quality.enabled = false;
  const auto window = testing::Concat(Pairs(500, 460, false), Pairs(500, 300, true));
  EXPECT_EQ(JudgeBreach(config, window, kDictionary).outcome, VetoOutcome::kClean);
}

TEST(EvaluatorInputVeto, WindowOfBrokenPairsIsSuppressedAndCleanCollapseRetrains) {
  const auto config = testing::AccuracyConfig();
  State broken_state = testing::Fresh(config);
  PolicyFacts facts;
  facts.input_features = kDictionary;
  const auto broken = testing::Events(testing::Concat(Pairs(500, 460, false), Pairs(500, 300, true)));
  Outcome out = testing::EvaluateBatch(config, broken_state, broken, facts);
  EXPECT_EQ(out.action, Action::kSuppressed);
  EXPECT_EQ(out.reason_code, "suppressed:data_quality");
  EXPECT_NE(out.reason.find("x2"), std::string::npos) << out.reason;

  State clean_state = testing::Fresh(config);
  const auto clean = testing::Events(testing::Concat(Pairs(500, 350, false), Pairs(500, 300, true)));
  out = testing::EvaluateBatch(config, clean_state, clean, facts);
  EXPECT_EQ(out.action, Action::kRetrain);
  EXPECT_EQ(out.reason_code, "retrain:accuracy");
  EXPECT_NE(out.reason.find("the clean pairs confirm the breach"), std::string::npos) << out.reason;
}

}  // namespace
}  // namespace driftgate::evaluate

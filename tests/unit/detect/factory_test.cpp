// Make(), ParseSpec() and KnownTypes(): validation errors name the offending parameter.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/detect/detector.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

TEST(KnownTypes, ListsTheSevenDetectorsInDesignOrder) {
  EXPECT_EQ(KnownTypes(),
            (std::vector<std::string>{"adwin", "ddm", "eddm", "hddm_a", "hddm_w", "page_hinkley", "kswin"}));
}

TEST(Make, BuildsEveryKnownTypeWithDefaults) {
  for (const std::string& type : KnownTypes()) {
    auto detector = Make(Spec{type, {}});
    ASSERT_TRUE(detector.ok()) << type << ": " << detector.error().message;
    EXPECT_EQ(detector.value()->Name(), type);
    EXPECT_EQ(detector.value()->Update(0.0), Signal::kNone);
  }
}

TEST(Make, RejectsUnknownTypeNamingIt) {
  auto detector = Make(Spec{"adwinn", {}});
  ASSERT_FALSE(detector.ok());
  EXPECT_EQ(detector.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(detector.error().field, "type");
  EXPECT_NE(detector.error().message.find("adwinn"), std::string::npos);
  EXPECT_NE(detector.error().message.find("page_hinkley"), std::string::npos) << "lists the known types";
}

TEST(Make, RejectsUnknownParameterNamingIt) {
  auto detector = Make(Spec{"ddm", {{"warmstart", 10.0}}});
  ASSERT_FALSE(detector.ok());
  EXPECT_EQ(detector.error().field, "warmstart");
  EXPECT_NE(detector.error().message.find("'warmstart'"), std::string::npos);
  EXPECT_NE(detector.error().message.find("warm_start"), std::string::npos) << "lists the known parameters";
}

struct BadParam {
  std::string type;
  std::string name;
  ParamValue value;
};

class MakeRejects : public ::testing::TestWithParam<BadParam> {};

TEST_P(MakeRejects, InvalidValueNamingTheParameter) {
  const BadParam& bad = GetParam();
  auto detector = Make(Spec{bad.type, {{bad.name, bad.value}}});
  ASSERT_FALSE(detector.ok()) << bad.type << "." << bad.name;
  EXPECT_EQ(detector.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(detector.error().field, bad.name);
  EXPECT_NE(detector.error().message.find("'" + bad.name + "'"), std::string::npos)
      << detector.error().message;
  EXPECT_NE(detector.error().message.find(bad.type), std::string::npos) << detector.error().message;
}

INSTANTIATE_TEST_SUITE_P(WrongType, MakeRejects,
                         ::testing::Values(BadParam{"adwin", "delta", std::string("high")},
                                           BadParam{"adwin", "clock", true}, BadParam{"adwin", "clock", 1.5},
                                           BadParam{"adwin", "grace_period", 1e300},
                                           BadParam{"hddm_a", "two_sided_test", 1.0},
                                           BadParam{"hddm_w", "two_sided_test", std::string("yes")},
                                           BadParam{"page_hinkley", "mode", 3.0},
                                           BadParam{"kswin", "seed", 0.5},
                                           BadParam{"ddm", "warning_threshold", false}));

INSTANTIATE_TEST_SUITE_P(
    OutOfRange, MakeRejects,
    ::testing::Values(BadParam{"adwin", "delta", 0.0}, BadParam{"adwin", "delta", 1.0},
                      BadParam{"adwin", "clock", 0.0}, BadParam{"adwin", "max_buckets", 1.0},
                      BadParam{"adwin", "min_window_length", 0.0}, BadParam{"adwin", "grace_period", -1.0},
                      BadParam{"ddm", "warm_start", -1.0}, BadParam{"ddm", "warning_threshold", 0.0},
                      BadParam{"ddm", "drift_threshold", 1.0}, BadParam{"eddm", "warm_start", -5.0},
                      BadParam{"eddm", "alpha", 0.5}, BadParam{"eddm", "alpha", 1.5},
                      BadParam{"eddm", "beta", 0.0}, BadParam{"hddm_a", "drift_confidence", 0.0},
                      BadParam{"hddm_a", "warning_confidence", 1.0},
                      BadParam{"hddm_w", "drift_confidence", -0.1}, BadParam{"hddm_w", "lambda_val", 0.0},
                      BadParam{"hddm_w", "lambda_val", 1.5}, BadParam{"page_hinkley", "min_instances", 0.0},
                      BadParam{"page_hinkley", "delta", -0.1}, BadParam{"page_hinkley", "threshold", 0.0},
                      BadParam{"page_hinkley", "alpha", 1.1},
                      BadParam{"page_hinkley", "mode", std::string("sideways")},
                      BadParam{"kswin", "alpha", 0.0}, BadParam{"kswin", "stat_size", 0.0},
                      BadParam{"kswin", "window_size", 59.0}, BadParam{"kswin", "seed", -1.0}));

TEST(Make, AcceptsBoundaryValues) {
  EXPECT_TRUE(Make(Spec{"eddm", {{"alpha", 0.9}, {"beta", 0.9}}}).ok());
  EXPECT_TRUE(Make(Spec{"kswin", {{"window_size", 60.0}, {"stat_size", 30.0}}}).ok());
  EXPECT_TRUE(Make(Spec{"adwin", {{"grace_period", 0.0}, {"clock", 1.0}, {"max_buckets", 2.0}}}).ok());
  EXPECT_TRUE(
      Make(Spec{"page_hinkley", {{"alpha", 1.0}, {"delta", 0.0}, {"mode", std::string("down")}}}).ok());
}

TEST(ParseSpec, ReadsNameAlone) {
  auto spec = ParseSpec("adwin");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(spec->type, "adwin");
  EXPECT_TRUE(spec->params.empty());
}

TEST(ParseSpec, ReadsNumbersBoolsAndWords) {
  auto spec = ParseSpec("page_hinkley:delta=0.01,min_instances=16,threshold=1e2,mode=up,flag=true,neg=-3");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->type, "page_hinkley");
  EXPECT_EQ(std::get<double>(spec->params.at("delta")), 0.01);
  EXPECT_EQ(std::get<double>(spec->params.at("min_instances")), 16.0);
  EXPECT_EQ(std::get<double>(spec->params.at("threshold")), 100.0);
  EXPECT_EQ(std::get<std::string>(spec->params.at("mode")), "up");
  EXPECT_EQ(std::get<bool>(spec->params.at("flag")), true);
  EXPECT_EQ(std::get<double>(spec->params.at("neg")), -3.0);
}

TEST(ParseSpec, ToleratesSpacesAndTrailingColon) {
  auto spec = ParseSpec(" adwin : delta = 0.01 , clock = 16 ");
  ASSERT_TRUE(spec.ok()) << spec.error().message;
  EXPECT_EQ(spec->type, "adwin");
  EXPECT_EQ(std::get<double>(spec->params.at("clock")), 16.0);
  EXPECT_TRUE(ParseSpec("ddm:").ok());
}

TEST(ParseSpec, KeepsNonNumbersAsWordsForMakeToReject) {
  auto spec = ParseSpec("adwin:delta=0.01x");
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(std::get<std::string>(spec->params.at("delta")), "0.01x");
  auto detector = Make(spec.value());
  ASSERT_FALSE(detector.ok());
  EXPECT_EQ(detector.error().field, "delta");
  EXPECT_FALSE(Make(ParseSpec("adwin:delta=nan").value()).ok()) << "non-finite numbers are not numbers";
}

TEST(ParseSpec, RejectsMalformedText) {
  for (const char* text : {"", ":delta=1", "adwin:delta", "adwin:delta=", "adwin:=1", "adwin:delta=1,delta=2",
                           "adwin:delta=1,,clock=2"}) {
    auto spec = ParseSpec(text);
    EXPECT_FALSE(spec.ok()) << "\"" << text << "\"";
    if (!spec.ok()) {
      EXPECT_EQ(spec.error().code, ErrorCode::kInvalidArgument);
    }
  }
}

TEST(ParseSpec, RoundTripsThroughMake) {
  auto detector = Make(ParseSpec("adwin:delta=0.01,clock=16").value());
  ASSERT_TRUE(detector.ok());
  EXPECT_EQ(detector.value()->Name(), "adwin");
}

}  // namespace
}  // namespace driftgate::detect

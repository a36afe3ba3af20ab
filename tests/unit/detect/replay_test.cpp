// Replay() indices and ParseNumberLines().
#include "core/detect/replay.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

// Signals by script: drift where the value is 2, warning flag where it is 1 or 3 (3 = both).
class ScriptedDetector final : public Detector {
 public:
  Signal Update(double x) override {
    warning_ = x == 1.0 || x == 3.0;
    if (x == 2.0 || x == 3.0) return Signal::kDrift;
    return warning_ ? Signal::kWarning : Signal::kNone;
  }
  std::size_t ElementsSinceChange() const override { return 0; }
  std::string_view Name() const override { return "scripted"; }
  Snapshot Save() const override { return {}; }
  Status Restore(const Snapshot&) override { return Ok{}; }
  bool WarningDetected() const override { return warning_; }

 private:
  bool warning_ = false;
};

TEST(Replay, ReportsZeroBasedIndicesOfDriftsAndWarnings) {
  ScriptedDetector detector;
  const std::vector<double> values = {0, 1, 1, 2, 0, 3, 0};
  const ReplayResult result = Replay(detector, values);
  EXPECT_EQ(result.n, 7U);
  EXPECT_EQ(result.drifts, (std::vector<std::size_t>{3, 5}));
  EXPECT_EQ(result.warnings, (std::vector<std::size_t>{1, 2, 5}));
}

TEST(Replay, EmptyStreamGivesEmptyResult) {
  ScriptedDetector detector;
  const ReplayResult result = Replay(detector, {});
  EXPECT_EQ(result.n, 0U);
  EXPECT_TRUE(result.drifts.empty());
}

std::vector<double> ParseOk(std::string_view text) {
  auto values = ParseNumberLines(text);
  EXPECT_TRUE(values.ok()) << (values.ok() ? "" : values.error().message);
  return values.ok() ? values.value() : std::vector<double>{};
}

TEST(ParseNumberLines, ReadsOneNumberPerLine) {
  EXPECT_EQ(ParseOk("1\n0\n2.5\n-3e-2\n"), (std::vector<double>{1, 0, 2.5, -0.03}));
  EXPECT_EQ(ParseOk("7"), (std::vector<double>{7}));
  EXPECT_TRUE(ParseOk("").empty());
}

TEST(ParseNumberLines, ToleratesCrLfSpacesPlusSignAndTrailingBlankLines) {
  EXPECT_EQ(ParseOk("1\r\n2\r\n"), (std::vector<double>{1, 2}));
  EXPECT_EQ(ParseOk("  3 \t\n+4\n"), (std::vector<double>{3, 4}));
  EXPECT_EQ(ParseOk("5\n\n\r\n  \n"), (std::vector<double>{5}));
}

TEST(ParseNumberLines, RejectsNonNumericLineNamingItsNumberAndText) {
  auto values = ParseNumberLines("1\n0\nabc\n1\n");
  ASSERT_FALSE(values.ok());
  EXPECT_EQ(values.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(values.error().message.find("line 3"), std::string::npos) << values.error().message;
  EXPECT_NE(values.error().message.find("abc"), std::string::npos) << values.error().message;
}

TEST(ParseNumberLines, RejectsBlankLineInsideTheStream) {
  auto values = ParseNumberLines("1\n\n2\n");
  ASSERT_FALSE(values.ok());
  EXPECT_NE(values.error().message.find("line 2"), std::string::npos) << values.error().message;
}

TEST(ParseNumberLines, RejectsNonFiniteAndPartialNumbers) {
  for (const char* text :
       {"nan\n", "1\ninf\n", "-Infinity\n", "1e400\n", "1.5x\n", "1 2\n", "--1\n", "+\n"}) {
    EXPECT_FALSE(ParseNumberLines(text).ok()) << text;
  }
  auto values = ParseNumberLines("0\n1\nnan\n");
  ASSERT_FALSE(values.ok());
  EXPECT_NE(values.error().message.find("line 3"), std::string::npos);
  EXPECT_NE(values.error().message.find("finite"), std::string::npos);
}

TEST(ParseNumberLines, ShortensVeryLongBadLinesInTheMessage) {
  auto values = ParseNumberLines(std::string(5000, 'x'));
  ASSERT_FALSE(values.ok());
  EXPECT_LT(values.error().message.size(), 200U);
}

TEST(ParseNumberLines, ReadsAMillionLinesExactly) {
  std::string text;
  testing::StreamRng rng(71);
  std::vector<double> expected;
  for (int i = 0; i < 1000000; ++i) {
    const double v = std::round(rng.Gaussian(0.0, 100.0) * 1000.0) / 1000.0;
    expected.push_back(v);
    text += std::to_string(v);
    text += '\n';
  }
  const std::vector<double> values = ParseOk(text);
  ASSERT_EQ(values.size(), expected.size());
  for (std::size_t i = 0; i < values.size(); ++i) ASSERT_NEAR(values[i], expected[i], 1e-6) << i;
}

}  // namespace
}  // namespace driftgate::detect

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/stats/two_sample.h"

namespace driftgate::stats {
namespace {

TEST(ParseSample, ReadsOneNumberPerLineWithOptionalTrailingNewline) {
  const Result<Sample> s = ParseSample("1.5\n-2\n3e2\n+4\n .5 \r\n", false);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(s->categorical);
  EXPECT_EQ(s->numbers, (std::vector<double>{1.5, -2.0, 300.0, 4.0, 0.5}));
  EXPECT_EQ(s->size(), 5u);
  EXPECT_TRUE(ParseSample("7", false).ok());
  EXPECT_TRUE(ParseSample("7\n\n\n", false).ok());
}

TEST(ParseSample, OneNonNumericLineMakesTheWholeSampleCategorical) {
  const Result<Sample> s = ParseSample("1\n2\nthree\n", false);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->categorical);
  EXPECT_EQ(s->labels, (std::vector<std::string>{"1", "2", "three"}));
  EXPECT_TRUE(s->numbers.empty());
}

TEST(ParseSample, NanAndInfinityAreLabelsNotNumbers) {
  for (const char* text : {"1\nnan\n", "inf\n2\n", "1\n-Infinity\n", "1e999\n"}) {
    const Result<Sample> s = ParseSample(text, false);
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(s->categorical) << text;
  }
}

TEST(ParseSample, ForcedCategoricalKeepsNumbersAsTrimmedText) {
  const Result<Sample> s = ParseSample(" 1.0\n1\n", true);
  ASSERT_TRUE(s.ok());
  EXPECT_TRUE(s->categorical);
  EXPECT_EQ(s->labels, (std::vector<std::string>{"1.0", "1"}));
}

TEST(ParseSample, RejectsEmptyInputAndBlankLinesBetweenValues) {
  for (const char* text : {"", "\n", "  \n\n"}) {
    const Result<Sample> s = ParseSample(text, false);
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, ErrorCode::kInvalidArgument);
  }
  const Result<Sample> gap = ParseSample("1\n2\n\n4\n", false);
  ASSERT_FALSE(gap.ok());
  EXPECT_NE(gap.error().message.find("line 3"), std::string::npos) << gap.error().message;
}

TEST(ParseSample, PartialNumbersAndHexAreLabels) {
  for (const char* text : {"1.5x\n", "0x10\n", "1,5\n", "--1\n", "+\n"}) {
    const Result<Sample> s = ParseSample(text, false);
    ASSERT_TRUE(s.ok());
    EXPECT_TRUE(s->categorical) << text;
  }
}

}  // namespace
}  // namespace driftgate::stats

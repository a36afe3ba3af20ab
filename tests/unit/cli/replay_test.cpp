// `driftgate replay` (service/cli/replay.h): output JSON, exit codes, one-line error messages.
#include "service/cli/replay.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace driftgate::cli {
namespace {

const std::filesystem::path kRiver = std::filesystem::path(DRIFTGATE_TEST_DATA) / "river";

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

Outcome Replay(const std::vector<std::string>& args, const std::string& stdin_text = "") {
  std::istringstream in(stdin_text);
  std::ostringstream out;
  std::ostringstream err;
  Outcome run;
  run.code = RunReplay(args, in, out, err);
  run.out = out.str();
  run.err = err.str();
  return run;
}

std::size_t Lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

void ExpectUsageError(const Outcome& run, const std::string& mentions) {
  EXPECT_EQ(run.code, 2);
  EXPECT_TRUE(run.out.empty()) << run.out;
  EXPECT_EQ(Lines(run.err), 1U) << run.err;
  EXPECT_NE(run.err.find(mentions), std::string::npos)
      << "error should mention '" << mentions << "': " << run.err;
}

TEST(RunReplay, PrintsOnePeerShapedJsonLine) {
  const Outcome run =
      Replay({"--detector", "adwin", "--input", (kRiver / "river_doc_int_rng12345.csv").string()});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(run.err.empty());
  EXPECT_EQ(run.out, "{\"detector\": \"adwin\", \"n\": 2000, \"drifts\": [1023], \"warnings\": []}\n");
}

TEST(RunReplay, ReproducesReferenceFileWithWarnings) {
  std::ifstream file(kRiver / "river_doc_binary__ddm.json");
  const nlohmann::json reference = nlohmann::json::parse(file);
  const Outcome run =
      Replay({"--detector=ddm", "--input=" + (kRiver / "river_doc_binary_rng42.csv").string()});
  ASSERT_EQ(run.code, 0) << run.err;
  const nlohmann::json output = nlohmann::json::parse(run.out);
  EXPECT_EQ(output.at("detector"), "ddm");
  EXPECT_EQ(output.at("n"), reference.at("n"));
  EXPECT_EQ(output.at("drifts"), reference.at("drifts"));
  EXPECT_EQ(output.at("warnings"), reference.at("warnings"));
}

TEST(RunReplay, ReadsStdinWhenNoInputIsGiven) {
  std::string text;
  for (int i = 0; i < 300; ++i) text += (i < 150 ? "0\r\n" : "100\r\n");
  const Outcome run = Replay({"--detector", "page_hinkley:mode=up,threshold=10"}, text);
  ASSERT_EQ(run.code, 0) << run.err;
  const nlohmann::json output = nlohmann::json::parse(run.out);
  EXPECT_EQ(output.at("n"), 300);
  ASSERT_FALSE(output.at("drifts").empty());
  EXPECT_EQ(output.at("drifts")[0], 150);  // the first 100 already exceeds the threshold
  EXPECT_EQ(Replay({"--detector", "adwin", "--input", "-"}, "1\n2\n").code, 0);
}

TEST(RunReplay, EmptyInputGivesEmptyResult) {
  const Outcome run = Replay({"--detector", "kswin"}, "");
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.out, "{\"detector\": \"kswin\", \"n\": 0, \"drifts\": [], \"warnings\": []}\n");
}

TEST(RunReplay, HandlesAMillionLinesFromStdin) {
  std::string text;
  text.reserve(2000000);
  for (int i = 0; i < 1000000; ++i) text += (i % 7 == 0 ? "1\n" : "0\n");
  const Outcome run = Replay({"--detector", "adwin"}, text);
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(nlohmann::json::parse(run.out).at("n"), 1000000);
}

TEST(RunReplay, PrintsUsageOnHelp) {
  const Outcome run = Replay({"--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("--detector"), std::string::npos);
}

TEST(RunReplay, FailsWithoutDetector) {
  ExpectUsageError(Replay({"--input", "x.csv"}), "missing --detector");
}

TEST(RunReplay, FailsOnUnknownDetectorNamingIt) {
  ExpectUsageError(Replay({"--detector", "adwinn"}, "1\n"), "'adwinn'");
}

TEST(RunReplay, FailsOnUnknownParameterNamingIt) {
  ExpectUsageError(Replay({"--detector", "adwin:deltaa=0.1"}, "1\n"), "'deltaa'");
}

TEST(RunReplay, FailsOnOutOfRangeOrMistypedParameterNamingIt) {
  ExpectUsageError(Replay({"--detector", "adwin:delta=2"}, "1\n"), "'delta'");
  ExpectUsageError(Replay({"--detector", "page_hinkley:mode=sideways"}, "1\n"), "'mode'");
  ExpectUsageError(Replay({"--detector", "adwin:delta"}, "1\n"), "param=value");
}

TEST(RunReplay, FailsOnUnreadableFileNamingIt) {
  ExpectUsageError(Replay({"--detector", "adwin", "--input", "/nonexistent/stream.csv"}),
                   "/nonexistent/stream.csv");
  ExpectUsageError(Replay({"--detector", "adwin", "--input", kRiver.string()}), "a directory");
}

TEST(RunReplay, FailsOnNonNumericLineNamingLineAndText) {
  const Outcome run = Replay({"--detector", "ddm"}, "1\n0\nabc\n1\n");
  ExpectUsageError(run, "line 3");
  EXPECT_NE(run.err.find("abc"), std::string::npos);
  ExpectUsageError(Replay({"--detector", "ddm"}, "1\nnan\n"), "line 2");
}

TEST(RunReplay, FailsOnUnknownOrIncompleteArguments) {
  ExpectUsageError(Replay({"--detector", "adwin", "--verbose"}), "'--verbose'");
  ExpectUsageError(Replay({"--detector"}), "--detector needs a value");
  ExpectUsageError(Replay({"--detector", "adwin", "--detector", "ddm"}), "given twice");
}

}  // namespace
}  // namespace driftgate::cli

// RunCompare: arguments, files, the JSON line and exit codes. Expected values from scipy 1.10.1 on the
// files in tests/data/stats/ (loaded with np.loadtxt, or as label lists for the label files).
#include "service/cli/compare.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace driftgate::cli {
namespace {

std::string Data(const std::string& name) { return std::string(DRIFTGATE_TEST_DATA) + "/stats/" + name; }

struct CliRun {
  int code = -1;
  std::string out;
  std::string err;
};

CliRun Compare(const std::vector<std::string>& args) {
  std::ostringstream out;
  std::ostringstream err;
  const int code = RunCompare(args, out, err);
  return CliRun{code, out.str(), err.str()};
}

std::vector<std::string> Args(const std::string& test, const std::string& reference,
                              const std::string& current) {
  return {"--test", test, "--reference", Data(reference), "--current", Data(current)};
}

TEST(RunCompare, KsPrintsOneJsonLineWithScipyValues) {
  // ks_2samp(np.loadtxt('compare_reference.txt'), np.loadtxt('compare_current.txt'))
  //   -> statistic=0.6333333333333333, pvalue=0.015306674749399209
  const CliRun run = Compare(Args("ks", "compare_reference.txt", "compare_current.txt"));
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_TRUE(run.err.empty());
  ASSERT_FALSE(run.out.empty());
  EXPECT_EQ(run.out.back(), '\n');
  EXPECT_EQ(run.out.find('\n'), run.out.size() - 1);                           // exactly one line
  EXPECT_EQ(run.out.rfind(R"({"test":"ks","statistic":)", 0), 0u) << run.out;  // fields in README.md order
  const auto json = nlohmann::json::parse(run.out);
  EXPECT_DOUBLE_EQ(json["statistic"].get<double>(), 0.6333333333333333);
  EXPECT_NEAR(json["p_value"].get<double>(), 0.015306674749399209, 1e-9 * 0.0153);
  EXPECT_EQ(json["threshold"].get<double>(), 0.05);
  EXPECT_EQ(json["drift"].get<bool>(), true);
}

TEST(RunCompare, DistancesPrintNullPValueAndHonourTheThreshold) {
  // wasserstein_distance(np.loadtxt(...reference), np.loadtxt(...current)) -> 0.982
  CliRun run = Compare(Args("wasserstein", "compare_reference.txt", "compare_current.txt"));
  ASSERT_EQ(run.code, 0) << run.err;
  auto json = nlohmann::json::parse(run.out);
  EXPECT_TRUE(json["p_value"].is_null());
  EXPECT_NEAR(json["statistic"].get<double>(), 0.982, 1e-12);
  EXPECT_EQ(json["threshold"].get<double>(), 0.1);
  EXPECT_TRUE(json["drift"].get<bool>());

  std::vector<std::string> args = Args("wasserstein", "compare_reference.txt", "compare_current.txt");
  args.push_back("--threshold=1.5");
  run = Compare(args);
  ASSERT_EQ(run.code, 0) << run.err;
  json = nlohmann::json::parse(run.out);
  EXPECT_EQ(json["threshold"].get<double>(), 1.5);
  EXPECT_FALSE(json["drift"].get<bool>());
}

TEST(RunCompare, LabelFilesAreComparedAsCategories) {
  // categories DE ES FR IT PL: [4 1 4 1 0] vs [2 0 1 3 4]
  // chi2_contingency(..., correction=False) -> 8.466666666666667, 0.07590407479581954
  const CliRun chi2 = Compare(Args("chi2", "compare_labels_reference.txt", "compare_labels_current.txt"));
  ASSERT_EQ(chi2.code, 0) << chi2.err;
  auto json = nlohmann::json::parse(chi2.out);
  EXPECT_NEAR(json["statistic"].get<double>(), 8.466666666666667, 1e-12);
  EXPECT_NEAR(json["p_value"].get<double>(), 0.07590407479581954, 1e-9 * 0.0759);
  EXPECT_FALSE(json["drift"].get<bool>());
  // jensenshannon(R/R.sum(), C/C.sum(), base=2) -> 0.6178783061169779
  const CliRun js =
      Compare(Args("jensen_shannon", "compare_labels_reference.txt", "compare_labels_current.txt"));
  ASSERT_EQ(js.code, 0) << js.err;
  EXPECT_NEAR(nlohmann::json::parse(js.out)["statistic"].get<double>(), 0.6178783061169779, 1e-12);
}

TEST(RunCompare, CategoricalFlagTurnsNumbersIntoLabels) {
  std::vector<std::string> args = Args("chi2", "compare_reference.txt", "compare_current.txt");
  args.push_back("--categorical");
  const CliRun run = Compare(args);
  ASSERT_EQ(run.code, 0) << run.err;
  // 22 distinct labels, each in one file only: the largest possible chi2 for this table is N = 22.
  EXPECT_NEAR(nlohmann::json::parse(run.out)["statistic"].get<double>(), 22.0, 1e-9);
}

TEST(RunCompare, OneNonNumericFileMakesBothCategorical) {
  const CliRun run = Compare(Args("psi", "compare_mixed.txt", "compare_reference.txt"));
  ASSERT_EQ(run.code, 0) << run.err;
  const CliRun ks = Compare(Args("ks", "compare_mixed.txt", "compare_reference.txt"));
  EXPECT_EQ(ks.code, 2);
  EXPECT_NE(ks.err.find("ks applies to numeric samples only"), std::string::npos) << ks.err;
  EXPECT_NE(ks.err.find("category labels"), std::string::npos) << ks.err;
  EXPECT_TRUE(ks.out.empty());
}

TEST(RunCompare, NumericOnlyTestOnLabelsFailsWithExitCodeTwo) {
  const CliRun run =
      Compare(Args("wasserstein", "compare_labels_reference.txt", "compare_labels_current.txt"));
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("wasserstein"), std::string::npos) << run.err;
}

TEST(RunCompare, UnknownTestIsNamed) {
  const CliRun run = Compare(Args("t_test", "compare_reference.txt", "compare_current.txt"));
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("unknown test 't_test'"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("usage:"), std::string::npos);
  EXPECT_TRUE(run.out.empty());
}

TEST(RunCompare, MissingOrUnreadableOrEmptyFilesAreNamed) {
  const CliRun missing = Compare(Args("ks", "no_such_file.txt", "compare_current.txt"));
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("reference file"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("no_such_file.txt"), std::string::npos) << missing.err;

  const CliRun empty = Compare(Args("ks", "compare_reference.txt", "compare_empty.txt"));
  EXPECT_EQ(empty.code, 2);
  EXPECT_NE(empty.err.find("current file"), std::string::npos) << empty.err;
  EXPECT_NE(empty.err.find("compare_empty.txt"), std::string::npos) << empty.err;

  const CliRun directory = Compare({"--test", "ks", "--reference", std::string(DRIFTGATE_TEST_DATA),
                                    "--current", Data("compare_current.txt")});
  EXPECT_EQ(directory.code, 2);
  EXPECT_NE(directory.err.find("directory"), std::string::npos) << directory.err;
}

TEST(RunCompare, BadArgumentsAreRejectedWithUsage) {
  const std::vector<std::vector<std::string>> bad = {
      {},
      {"--test", "ks"},
      {"--test", "ks", "--reference", Data("compare_reference.txt")},
      {"--test", "ks", "--reference", Data("compare_reference.txt"), "--current"},
      {"--test", "ks", "--test", "psi", "--reference", "a", "--current", "b"},
      {"--bogus", "1"},
      {"--categorical=yes"},
  };
  for (const auto& args : bad) {
    const CliRun run = Compare(args);
    EXPECT_EQ(run.code, 2) << ::testing::PrintToString(args);
    EXPECT_NE(run.err.find("usage:"), std::string::npos) << run.err;
    EXPECT_TRUE(run.out.empty());
  }
  for (const char* threshold : {"abc", "-1", "nan", "0.1x"}) {
    std::vector<std::string> args = Args("ks", "compare_reference.txt", "compare_current.txt");
    args.insert(args.end(), {"--threshold", threshold});
    const CliRun run = Compare(args);
    EXPECT_EQ(run.code, 2) << threshold;
    EXPECT_NE(run.err.find("--threshold"), std::string::npos) << run.err;
  }
}

TEST(RunCompare, HelpPrintsUsageAndSucceeds) {
  const CliRun run = Compare({"--help"});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.out.find("usage: driftgate compare"), std::string::npos);
}

}  // namespace
}  // namespace driftgate::cli

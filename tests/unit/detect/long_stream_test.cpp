// Long real-world streams: every detector on Elec2-derived streams of about 45,000 elements
// (tests/data/river_model/, derived from streaming-datasets elec.csv), compared index by index, drifts *and*
// warnings, with tests/data/river_model/river_model.py — a statement-by-statement model of River's
// river/drift that reproduces every published reference file. Long streams reach the boundary cases a
// 2,000-element stream rarely does (an EWMA that returns to its start value, a bound met with equality).
// KSWIN runs with driftgate's own sampler (`sampler=splitmix` in the model), so its whole alarm list is
// pinned. Regenerate with `/usr/bin/python3 tests/data/river_model/river_model.py regenerate`.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/detect/replay.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

std::filesystem::path ModelDir() { return std::filesystem::path(DRIFTGATE_TEST_DATA) / "river_model"; }

std::vector<std::string> LongStreamFiles() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(ModelDir())) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && name.starts_with("elec_")) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The model's spec minus its sampler switch, which only it needs.
std::string DriftgateSpec(std::string spec) {
  const std::string sampler = ",sampler=splitmix";
  if (const auto at = spec.find(sampler); at != std::string::npos) spec.erase(at, sampler.size());
  return spec;
}

TEST(LongStreams, EveryDetectorHasAFileOnEveryStream) {
  // Guards the parameterized test below against an empty or thinned directory.
  const auto files = LongStreamFiles();
  EXPECT_GE(files.size(), 30U);
  for (const std::string detector : {"adwin", "ddm", "eddm", "hddm_a", "hddm_w", "page_hinkley", "kswin"}) {
    EXPECT_TRUE(std::any_of(files.begin(), files.end(), [&](const std::string& f) {
      return f.find("__" + detector) != std::string::npos;
    })) << detector;
  }
}

class LongStream : public ::testing::TestWithParam<std::string> {};

TEST_P(LongStream, DetectorMatchesPeerModelExactly) {
  const nlohmann::json expected = testing::ReadJson(ModelDir() / GetParam());
  const std::vector<double> stream =
      testing::ReadNumbers(ModelDir() / expected.at("stream").get<std::string>());
  ASSERT_EQ(stream.size(), expected.at("n").get<std::size_t>());
  ASSERT_GT(stream.size(), 45000U);
  const std::string spec = DriftgateSpec(expected.at("detector").get<std::string>());
  auto detector = testing::MakeOrDie(spec);
  ASSERT_NE(detector, nullptr);
  const ReplayResult result = Replay(*detector, stream);
  EXPECT_EQ(result.drifts, expected.at("drifts").get<std::vector<std::size_t>>()) << spec;
  EXPECT_EQ(result.warnings, expected.at("warnings").get<std::vector<std::size_t>>()) << spec;
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(Elec2, LongStream, ::testing::ValuesIn(LongStreamFiles()), TestName);

TEST(LongStreams, HddmWKeepsEveryWarningOfThePeerOnElec2) {
  // The count the peer reports on the persistence-error stream: 14 drifts, 138 warnings. A mean that
  // restarts whenever it is exactly 0 (watermill's older EWMean) gives 137.
  const auto stream = testing::ReadNumbers(ModelDir() / "elec_persistence_errors.csv");
  const ReplayResult result = Replay(*testing::MakeOrDie("hddm_w"), stream);
  EXPECT_EQ(result.drifts.size(), 14U);
  EXPECT_EQ(result.warnings.size(), 138U);
}

}  // namespace
}  // namespace driftgate::detect

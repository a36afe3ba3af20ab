// Reproduces every reference output of the peer (River's drift module) in tests/data/river/*.json:
// same drift indices and same warning indices. KSWIN samples with a different generator than CPython's,
// so its first drift must land in the peer's region, and its whole alarm list must equal the one
// tests/data/river_model/river_model.py computes with River's logic on driftgate's sample.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "core/detect/replay.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

using testing::ReadJson;
using testing::ReadNumbers;
using testing::RiverDataDir;

constexpr long kKswinRegion = 150;  // how far KSWIN's first drift may sit from the peer's

std::vector<std::string> ReferenceFiles() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(RiverDataDir())) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::size_t> Indices(const nlohmann::json& list) { return list.get<std::vector<std::size_t>>(); }

// The model's alarm list for the reference's parameters on `input` (tests/data/river_model/).
std::vector<std::size_t> KswinModelDrifts(const nlohmann::json& reference, const std::string& input) {
  const auto& p = reference.at("params");
  const std::string spec =
      "kswin:alpha=" + p.at("alpha").dump() + ",seed=" + p.at("seed").dump() + ",sampler=splitmix";
  const auto cases =
      ReadJson(std::filesystem::path(DRIFTGATE_TEST_DATA) / "river_model" / "kswin_reference_streams.json");
  for (const auto& c : cases) {
    if (c.at("stream") == input && c.at("detector") == spec) return Indices(c.at("drifts"));
  }
  ADD_FAILURE() << "no model alarm list for " << spec << " on " << input;
  return {};
}

TEST(ReferenceFiles, AllNineFromTheSharedDataArePresent) {
  // Guards the parameterized test below against silently running on an empty directory.
  EXPECT_GE(ReferenceFiles().size(), 9U);
}

class Reference : public ::testing::TestWithParam<std::string> {};

TEST_P(Reference, DetectorReproducesPeerSignals) {
  const nlohmann::json reference = ReadJson(RiverDataDir() / GetParam());
  // The files name their input by its path where they were made; the test copy keeps only the file name.
  const std::string input =
      std::filesystem::path(reference.at("input").get<std::string>()).filename().string();
  const std::vector<double> stream = ReadNumbers(RiverDataDir() / input);
  ASSERT_EQ(stream.size(), reference.at("n").get<std::size_t>());

  auto detector = testing::MakeOrDie(testing::SpecFromReference(reference));
  ASSERT_NE(detector, nullptr);
  const ReplayResult result = Replay(*detector, stream);

  EXPECT_EQ(result.n, stream.size());
  const auto expected_drifts = Indices(reference.at("drifts"));
  if (reference.at("detector") == "kswin") {
    ASSERT_FALSE(expected_drifts.empty());
    ASSERT_FALSE(result.drifts.empty()) << "KSWIN signalled no drift; the peer did at " << expected_drifts[0];
    const long ours = static_cast<long>(result.drifts[0]);
    const long theirs = static_cast<long>(expected_drifts[0]);
    EXPECT_LE(std::abs(ours - theirs), kKswinRegion) << "first drift " << ours << ", peer " << theirs;
    EXPECT_EQ(result.drifts, KswinModelDrifts(reference, input));
    return;
  }
  EXPECT_EQ(result.drifts, expected_drifts);
  if (reference.contains("warnings")) {
    EXPECT_EQ(result.warnings, Indices(reference.at("warnings")));
  }
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = std::filesystem::path(info.param).stem().string();
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); }, '_');
  return name;
}

INSTANTIATE_TEST_SUITE_P(RiverDrift, Reference, ::testing::ValuesIn(ReferenceFiles()), TestName);

}  // namespace
}  // namespace driftgate::detect

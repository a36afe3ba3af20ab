// Save/Restore: a detector restored mid-stream (through JSON, as the service stores it) continues
// bit-identically; snapshots that are not this detector's are refused without touching its state.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/detect/replay.h"
#include "tests/unit/detect/test_streams.h"

namespace driftgate::detect {
namespace {

using testing::MakeOrDie;
using testing::StreamRng;

// A 20k stream with regime changes, so snapshots are also taken right after drifts and resets.
std::vector<double> StreamFor(const std::string& spec) {
  StreamRng rng(61);
  const bool binary = spec.rfind("page_hinkley", 0) != 0 && spec.rfind("kswin", 0) != 0;
  std::vector<double> out;
  const double levels[] = {0.1, 0.5, 0.2, 0.7, 0.3};
  for (const double level : levels) {
    for (int i = 0; i < 4000; ++i)
      out.push_back(binary ? rng.Bernoulli(level) : rng.Gaussian(10.0 * level, 1.0));
  }
  return out;
}

Snapshot ThroughJson(const Snapshot& snapshot) {
  const std::string text = nlohmann::json(snapshot.fields).dump();
  Snapshot back;
  back.fields = nlohmann::json::parse(text).get<std::map<std::string, std::vector<double>>>();
  return back;
}

bool BitIdentical(const Snapshot& a, const Snapshot& b) {
  if (a.fields.size() != b.fields.size()) return false;
  for (const auto& [name, values] : a.fields) {
    const auto it = b.fields.find(name);
    if (it == b.fields.end() || it->second.size() != values.size()) return false;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (std::bit_cast<std::uint64_t>(values[i]) != std::bit_cast<std::uint64_t>(it->second[i]))
        return false;
    }
  }
  return true;
}

std::string ParamName(const ::testing::TestParamInfo<std::string>& param_info) {
  std::string name = param_info.param;
  for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return name;
}

class SnapshotRoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(SnapshotRoundTrip, RestoredDetectorContinuesBitIdentically) {
  const std::vector<double> stream = StreamFor(GetParam());
  ASSERT_FALSE(Replay(*MakeOrDie(GetParam()), stream).drifts.empty()) << "the stream should exercise resets";
  StreamRng pick(62);
  for (int trial = 0; trial < 6; ++trial) {
    const std::size_t cut = static_cast<std::size_t>(pick.Uniform() * static_cast<double>(stream.size()));
    auto original = MakeOrDie(GetParam());
    for (std::size_t i = 0; i < cut; ++i) original->Update(stream[i]);
    const Snapshot saved = original->Save();

    auto restored = MakeOrDie(GetParam());
    const Status status = restored->Restore(ThroughJson(saved));
    ASSERT_TRUE(status.ok()) << status.error().message;
    ASSERT_TRUE(BitIdentical(restored->Save(), saved)) << "cut " << cut;

    for (std::size_t i = cut; i < stream.size(); ++i) {
      ASSERT_EQ(original->Update(stream[i]), restored->Update(stream[i]))
          << "cut " << cut << ", element " << i;
      ASSERT_EQ(original->WarningDetected(), restored->WarningDetected()) << i;
      ASSERT_EQ(original->ElementsSinceChange(), restored->ElementsSinceChange()) << i;
      if (i % 997 == 0) {
        ASSERT_TRUE(BitIdentical(original->Save(), restored->Save())) << i;
      }
    }
    EXPECT_TRUE(BitIdentical(original->Save(), restored->Save())) << "cut " << cut;
  }
}

TEST_P(SnapshotRoundTrip, SnapshotsHoldOnlyFiniteNumbers) {
  // JSON has no inf/NaN: a fresh detector (whose peer minima start at ±inf) must still be storable.
  auto detector = MakeOrDie(GetParam());
  const std::vector<double> stream = StreamFor(GetParam());
  for (std::size_t i = 0; i <= 100; ++i) {
    for (const auto& [name, values] : detector->Save().fields) {
      for (const double v : values) ASSERT_TRUE(std::isfinite(v)) << name << " after " << i << " updates";
    }
    detector->Update(stream[i]);
  }
}

TEST_P(SnapshotRoundTrip, RefusesSnapshotWithDifferentParametersAndKeepsState) {
  auto detector = MakeOrDie(GetParam());
  const std::vector<double> stream = StreamFor(GetParam());
  for (std::size_t i = 0; i < 500; ++i) detector->Update(stream[i]);
  const Snapshot before = detector->Save();
  Snapshot other = before;
  other.fields["params"][0] += 1.0;
  const Status status = detector->Restore(other);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  EXPECT_NE(status.error().message.find("parameters"), std::string::npos) << status.error().message;
  EXPECT_TRUE(BitIdentical(detector->Save(), before));
}

TEST_P(SnapshotRoundTrip, RefusesMalformedSnapshots) {
  auto detector = MakeOrDie(GetParam());
  const Snapshot good = detector->Save();
  for (const auto& [name, values] : good.fields) {
    Snapshot missing = good;
    missing.fields.erase(name);
    EXPECT_FALSE(detector->Restore(missing).ok()) << "without " << name;
    Snapshot longer = good;
    longer.fields[name].push_back(0.5);
    // A longer list is refused where the length is fixed, and where it is free the extra 0.5 is not a
    // count/flag/consistent bucket; a snapshot either restores exactly or is refused.
    const Status status = detector->Restore(longer);
    if (status.ok()) {
      EXPECT_EQ(name, "window") << "only KSWIN's window may grow";
    }
    Snapshot poisoned = good;
    if (!poisoned.fields[name].empty()) {
      poisoned.fields[name][0] = std::nan("");
      EXPECT_FALSE(detector->Restore(poisoned).ok()) << "NaN in " << name;
    }
  }
  Snapshot extra = good;
  extra.fields["unexpected"] = {1.0};
  EXPECT_FALSE(detector->Restore(extra).ok());
}

INSTANTIATE_TEST_SUITE_P(EveryDetector, SnapshotRoundTrip,
                         ::testing::Values("adwin", "adwin:clock=1,max_buckets=2", "ddm", "eddm", "hddm_a",
                                           "hddm_a:two_sided_test=true", "hddm_w",
                                           "hddm_w:two_sided_test=true", "page_hinkley",
                                           "page_hinkley:mode=up,threshold=20", "kswin",
                                           "kswin:alpha=0.01,window_size=60,stat_size=20,seed=9"),
                         ParamName);

TEST(Snapshot, DetectorRefusesAnotherTypesSnapshot) {
  auto adwin = MakeOrDie("adwin");
  for (const std::string& other : KnownTypes()) {
    if (other == "adwin") continue;
    const Status status = adwin->Restore(MakeOrDie(other)->Save());
    ASSERT_FALSE(status.ok()) << other;
    EXPECT_EQ(status.error().code, ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(MakeOrDie("ddm")->Restore(MakeOrDie("eddm")->Save()).ok());
  EXPECT_FALSE(MakeOrDie("hddm_a")->Restore(MakeOrDie("hddm_w")->Save()).ok());
}

TEST(Snapshot, AdwinRefusesBucketsThatDoNotAddUpToItsWidth) {
  auto adwin = MakeOrDie("adwin");
  for (int i = 0; i < 100; ++i) adwin->Update(i % 3 == 0 ? 1.0 : 0.0);
  Snapshot s = adwin->Save();
  s.fields["state"][0] += 1.0;  // width
  EXPECT_FALSE(adwin->Restore(s).ok());
}

}  // namespace
}  // namespace driftgate::detect

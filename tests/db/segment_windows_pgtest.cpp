// The segments' KPI windows in their own rows (service/evaluation/segment_windows.h, migrations/V022): what a
// reload assembles is exactly the window in memory, batch after batch; a batch rewrites only the chunks of
// the segments it fed; chunks that left a window are dropped; turning segments off deletes them all.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "codec/state_codec.h"
#include "service/evaluation/segment_windows.h"
#include "service/evaluation/state_windows.h"
#include "tests/support/sampler.h"
#include "tests/support/test_db.h"

namespace driftgate::service {
namespace {

constexpr std::int64_t kModel = 4242;
constexpr std::size_t kCapacity = 100;

// Pairs with every field exercised: class strings of several lengths, NaN and infinite values, an optional
// score, judged and unjudged input with fault codes above one varint byte.
kpi::Pair RandomPair(test_support::Sampler& rng) {
  kpi::Pair p{.predicted = rng.Bernoulli(0.5) ? "1" : "a longer class name",
              .actual = rng.Bernoulli(0.5) ? "0" : "",
              .predicted_value = rng.Gaussian(0, 1e6),
              .actual_value = rng.Bernoulli(0.1)   ? std::numeric_limits<double>::quiet_NaN()
                              : rng.Bernoulli(0.1) ? -std::numeric_limits<double>::infinity()
                                                   : rng.Uniform()};
  if (rng.Bernoulli(0.7)) p.score = rng.Uniform();
  if (rng.Bernoulli(0.6)) {
    p.input_judged = true;
    if (rng.Bernoulli(0.3)) p.input_faults = {3, 300, 65535};
  }
  return p;
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void ExpectSameWindow(const std::vector<kpi::Pair>& got, const std::vector<kpi::Pair>& want,
                      const std::string& segment) {
  ASSERT_EQ(got.size(), want.size()) << segment;
  for (std::size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].predicted, want[i].predicted) << segment << " " << i;
    EXPECT_EQ(got[i].actual, want[i].actual) << segment << " " << i;
    EXPECT_TRUE(SameBits(got[i].predicted_value, want[i].predicted_value)) << segment << " " << i;
    EXPECT_TRUE(SameBits(got[i].actual_value, want[i].actual_value)) << segment << " " << i;
    EXPECT_EQ(got[i].score, want[i].score) << segment << " " << i;
    EXPECT_EQ(got[i].input_judged, want[i].input_judged) << segment << " " << i;
    EXPECT_EQ(got[i].input_faults, want[i].input_faults) << segment << " " << i;
  }
}

// Feeds `n` pairs to `segment`'s window as the evaluation does (core/evaluate/segments.cpp).
void Feed(evaluate::State& state, const std::string& segment, std::size_t n, test_support::Sampler& rng) {
  auto& w = state.segments[segment];
  for (std::size_t i = 0; i < n; ++i) {
    w.window.push_back(RandomPair(rng));
    ++w.fed;
  }
  if (w.window.size() > kCapacity) w.window.erase(w.window.begin(), w.window.end() - kCapacity);
}

// The model's chunk rows: (segment, chunk) -> the id of the transaction that wrote it.
std::map<std::pair<std::string, std::int64_t>, std::string> Rows(pqxx::connection& conn) {
  pqxx::work tx(conn);
  std::map<std::pair<std::string, std::int64_t>, std::string> out;
  for (const auto& r :
       tx.exec_params("SELECT segment, chunk, xmin::text FROM segment_windows WHERE model_id = $1", kModel)) {
    out[{r[0].as<std::string>(), r[1].as<std::int64_t>()}] = r[2].as<std::string>();
  }
  return out;
}

TEST(SegmentWindows, AReloadAssemblesExactlyTheWindowsInMemoryBatchAfterBatch) {
  test_support::TestDatabase db;
  pqxx::connection conn(db.url());
  test_support::Sampler rng(17);
  evaluate::State state;
  bool had = false;
  // Batch sizes per segment: small ones that fill a chunk over several batches, one larger than the
  // window, and batches that leave a segment out.
  const std::vector<std::map<std::string, std::size_t>> batches = {
      {{"a", 5}, {"b", 40}}, {{"a", 7}}, {{"a", 31}, {"b", 250}, {"c", 1}}, {{"c", 33}},
      {{"a", 64}, {"c", 0}}, {{"b", 3}}, {{"a", 1}, {"b", 1}, {"c", 99}}};
  for (std::size_t b = 0; b < batches.size(); ++b) {
    for (const auto& [segment, n] : batches[b]) Feed(state, segment, n, rng);
    const auto before = Rows(conn);
    {
      pqxx::work tx(conn);
      SaveSegmentWindows(tx, kModel, state, had);
      tx.commit();
    }
    had = true;
    const auto after = Rows(conn);
    for (const auto& [name, w] : state.segments) {
      EXPECT_EQ(w.stored, w.fed);
      const bool fed = batches[b].count(name) && batches[b].at(name) > 0;
      for (const auto& [key, xmin] :
           after) {  // a segment this batch did not feed keeps its rows as they were
        if (key.first == name && !fed) {
          ASSERT_TRUE(before.count(key)) << name << " chunk " << key.second;
          EXPECT_EQ(before.at(key), xmin) << name << " chunk " << key.second << " was rewritten";
        }
      }
      // Only chunks that still hold window positions are kept.
      const std::uint64_t first_chunk = (w.fed - w.window.size()) / kChunkPairs;
      const std::uint64_t last_chunk = (w.fed - 1) / kChunkPairs;
      std::size_t count = 0;
      for (const auto& [key, unused] : after) {
        if (key.first != name) continue;
        ++count;
        EXPECT_GE(static_cast<std::uint64_t>(key.second), first_chunk) << name;
        EXPECT_LE(static_cast<std::uint64_t>(key.second), last_chunk) << name;
      }
      EXPECT_EQ(count, last_chunk - first_chunk + 1) << name << " after batch " << b;
    }
    pqxx::work tx(conn);
    auto loaded = LoadSegmentWindows(tx, kModel);
    ASSERT_TRUE(loaded.ok()) << loaded.error().message;
    for (const auto& [name, w] : state.segments) {
      ASSERT_TRUE(loaded->count(name)) << name;
      const auto window = AssembleWindow({.fed = w.fed, .size = w.window.size()}, loaded->at(name));
      ExpectSameWindow(window, w.window, name);
    }
  }
}

TEST(SegmentWindows, SegmentsTurnedOffDeleteTheirChunks) {
  test_support::TestDatabase db;
  pqxx::connection conn(db.url());
  test_support::Sampler rng(19);
  evaluate::State state;
  Feed(state, "a", 70, rng);
  {
    pqxx::work tx(conn);
    SaveSegmentWindows(tx, kModel, state, false);
    tx.commit();
  }
  EXPECT_EQ(Rows(conn).size(), 3u);  // positions 0..69: chunks 0, 1, 2
  state.segments.clear();
  {
    pqxx::work tx(conn);
    SaveSegmentWindows(tx, kModel, state, true);
    tx.commit();
  }
  EXPECT_TRUE(Rows(conn).empty());
}

// A state written before the windows moved out carries them inline: decoded from there, marked not
// stored, then written to rows in full by the next save, after which the JSON has none.
TEST(SegmentWindows, AStateWithInlineWindowsIsReadAndMovedToRows) {
  test_support::TestDatabase db;
  pqxx::connection conn(db.url());
  const domain::ModelConfig config;
  auto fresh = evaluate::FreshState(config);
  ASSERT_TRUE(fresh.ok());
  nlohmann::json legacy = nlohmann::json::parse(codec::EncodeState(*fresh));
  legacy["segments"]["eu"] = {{"window",
                               {{"predicted", {"1", "0"}},
                                {"actual", {"1", "1"}},
                                {"predicted_value", {1, 0}},
                                {"actual_value", {1, "nan"}},
                                {"score", {0.75, nullptr}},
                                {"input", {nullptr, {7}}}}},
                              {"last_reason_code", "none:ok"}};
  auto state = codec::DecodeState(legacy.dump(), config);
  ASSERT_TRUE(state.ok()) << state.error().message;
  const evaluate::SegmentWindow& eu = state->segments.at("eu");
  ASSERT_EQ(eu.window.size(), 2u);
  EXPECT_EQ(eu.fed, 2u);
  EXPECT_EQ(eu.stored, 0u);
  EXPECT_EQ(eu.window[0].score, 0.75);
  EXPECT_TRUE(std::isnan(eu.window[1].actual_value));
  EXPECT_EQ(eu.window[1].input_faults, std::vector<std::uint16_t>{7});
  {
    pqxx::work tx(conn);
    SaveSegmentWindows(tx, kModel, *state, true);
    tx.commit();
  }
  const std::string json = codec::EncodeState(*state);
  const nlohmann::json stored = nlohmann::json::parse(json)["segments"]["eu"];
  EXPECT_FALSE(stored.contains("window")) << json;
  EXPECT_EQ(stored["fed"], 2);
  EXPECT_EQ(stored["size"], 2);
  pqxx::work tx(conn);
  auto chunks = LoadSegmentWindows(tx, kModel);
  ASSERT_TRUE(chunks.ok());
  auto reloaded = codec::DecodeState(json, config, WindowsFromChunks(*chunks));
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message;
  ExpectSameWindow(reloaded->segments.at("eu").window, eu.window, "eu");
  EXPECT_EQ(reloaded->segments.at("eu").stored, 2u);
}

TEST(SegmentWindows, DamagedBytesAreAnErrorNotACrash) {
  EXPECT_THROW(DecodeChunk(""), std::runtime_error);
  EXPECT_THROW(DecodeChunk("X"), std::runtime_error);
  std::vector<kpi::Pair> pairs(3);
  pairs[1].score = 0.5;
  const std::string bytes = EncodeChunk(pairs, 0, 3, 96);
  const DecodedChunk ok = DecodeChunk(bytes);
  EXPECT_EQ(ok.first, 96u);
  EXPECT_EQ(ok.pairs.size(), 3u);
  for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
    EXPECT_THROW(DecodeChunk(bytes.substr(0, cut)), std::runtime_error) << cut;
  }
  EXPECT_THROW(DecodeChunk(bytes + "x"), std::runtime_error);
}

}  // namespace
}  // namespace driftgate::service

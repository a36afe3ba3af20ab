// The cached drift window (service/drift/drift_window.h) against the full query it replaces: same rows, in
// the same order, while reading only the rows stored since the previous check.
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "codec/model_config.h"
#include "db/drift_repo.h"
#include "db/pool.h"
#include "service/drift/drift_window.h"
#include "service/ingest/ingest_service.h"
#include "service/models/models_service.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"

namespace driftgate::service {
namespace {

// ParseWindowRow reads flat objects itself and leaves the rest to nlohmann: either way the features are
// what a DOM parse gives (numbers, strings, nulls; booleans and nested values left out).
TEST(ParseWindowRow, GivesWhatAJsonParserGives) {
  const std::vector<std::string> inputs = {
      R"({"x": 1.5, "c": "a", "n": null})",
      R"({})",
      R"( { "a" :-0.25e-3 ,"b":"tab\there \"q\" back\\slash\/" , "t": true, "f": false } )",
      R"({"big": 12345678901234567890, "neg": -3, "exp": 1E+20, "zero": 0})",
      R"({"u": "caf\u00e9", "v": 2})",
      R"({"nested": {"a": 1}, "arr": [1, 2], "k": 7})",
      R"({"x": 1,})",
      R"({"x": 1} trailing)",
      R"(not json)",
      R"([1, 2])",
      R"({"x": "unterminated)",
      R"({"x": 1e999})",
      "{\"ctrl\": \"a\u0001b\"}",
  };
  for (const auto& text : inputs) {
    std::vector<std::pair<std::string, domain::FeatureValue>> expected;
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_object()) {
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (it.value().is_number()) expected.emplace_back(it.key(), it.value().get<double>());
        if (it.value().is_string()) expected.emplace_back(it.key(), it.value().get<std::string>());
        if (it.value().is_null()) expected.emplace_back(it.key(), std::monostate{});
      }
    }
    db::DriftRow row;
    row.features_json = text;
    auto got = ParseWindowRow(row).features;
    std::sort(got.begin(), got.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    EXPECT_EQ(got, expected) << text;
  }
}

std::vector<domain::PredictionRecord> Batch(int from, int n) {
  std::vector<domain::PredictionRecord> out(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    auto& r = out[static_cast<std::size_t>(i)];
    r.id = "r" + std::to_string(from + i);
    r.ts_us = 1'793'491'200'000'000 + from + i;
    r.prediction = {.cls = std::to_string(i % 2), .value = 0, .is_number = true};
    r.score = 0.5;
    r.features = {{"x", static_cast<double>(from + i)}, {"c", std::string(i % 3 ? "a" : "b")}};
  }
  return out;
}

std::vector<std::int64_t> CachedSeqs(DriftWindows& windows, pqxx::connection& conn, std::int64_t model,
                                     std::int64_t baseline, std::size_t window) {
  pqxx::work tx(conn);
  std::vector<std::int64_t> seqs;
  windows.With(tx, model, baseline, window, [&](const std::deque<WindowRow>& rows) {
    for (const auto& r : rows) seqs.push_back(r.seq);
  });
  return seqs;
}

std::vector<std::int64_t> QuerySeqs(pqxx::connection& conn, std::int64_t model, std::int64_t baseline,
                                    std::size_t window) {
  pqxx::work tx(conn);
  std::vector<std::int64_t> seqs;
  for (const auto& r : db::LoadRecentRows(tx, model, baseline, window)) seqs.push_back(r.seq);
  return seqs;
}

TEST(DriftWindows, MatchTheFullQueryWhileReadingOnlyNewRows) {
  test_support::TestDatabase db;
  db::Pool pool({.url = db.url(), .size = 4});
  ModelsService models(pool, test_support::TestSecretBox());
  auto m = models.Create(*codec::ParseModelConfig(test_support::BinaryModel("m", "http://127.0.0.1:9/hook")),
                         "test");
  ASSERT_TRUE(m.ok()) << m.error().message;
  IngestService ingest(pool, {});
  pqxx::connection conn(db.url());
  DriftWindows windows;

  ASSERT_TRUE(ingest.IngestPredictions("m", Batch(0, 300)).ok());
  ASSERT_TRUE(ingest.IngestPredictions("m", Batch(300, 300)).ok());
  EXPECT_EQ(CachedSeqs(windows, conn, m->id, 0, 500), QuerySeqs(conn, m->id, 0, 500));
  EXPECT_EQ(windows.rows_read(), 500u);

  ASSERT_TRUE(ingest.IngestPredictions("m", Batch(600, 120)).ok());
  ASSERT_TRUE(ingest.IngestPredictions("m", Batch(0, 50)).ok());  // duplicates: not stored again
  const auto cached = CachedSeqs(windows, conn, m->id, 0, 500);
  EXPECT_EQ(cached, QuerySeqs(conn, m->id, 0, 500));
  EXPECT_EQ(cached.size(), 500u);
  EXPECT_EQ(windows.rows_read(), 620u);  // only the 120 new rows

  // A new baseline or window size starts over.
  const std::int64_t baseline = cached[200];
  EXPECT_EQ(CachedSeqs(windows, conn, m->id, baseline, 500), QuerySeqs(conn, m->id, baseline, 500));
  EXPECT_EQ(CachedSeqs(windows, conn, m->id, 0, 700), QuerySeqs(conn, m->id, 0, 700));

  // A parsed row keeps numbers and strings, in the stored feature order.
  pqxx::work tx(conn);
  windows.With(tx, m->id, 0, 700, [](const std::deque<WindowRow>& rows) {
    ASSERT_FALSE(rows.empty());
    ASSERT_EQ(rows.front().features.size(), 2u);
    EXPECT_TRUE(std::holds_alternative<std::string>(rows.front().features[0].second));  // "c"
    EXPECT_TRUE(std::holds_alternative<double>(rows.front().features[1].second));       // "x"
  });
}

}  // namespace
}  // namespace driftgate::service

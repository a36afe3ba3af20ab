// Prediction blocks (db/feature_block.h, migrations/V012__prediction_blocks.sql): the columnar body
// round-trips every kind of value, refuses damaged bodies, and concurrent batches sharing ids store each
// id once.
#include <gtest/gtest.h>

#include <limits>
#include <pqxx/pqxx>
#include <thread>

#include "db/feature_block.h"
#include "db/records_repo.h"
#include "tests/support/test_db.h"

namespace driftgate::db {
namespace {

using Features = std::vector<std::pair<std::string, domain::FeatureValue>>;

std::vector<domain::PredictionRecord> Mixed() {
  std::vector<domain::PredictionRecord> out(4);
  out[0].ts_us = 1'793'491'200'000'000;
  out[0].features = {{"x", 1.5}, {"c", std::string("red")}};
  out[1].ts_us = 1'793'491'100'000'000;  // earlier: a negative delta
  out[1].features = {{"x", -1e300}, {"c", std::string("blue")}, {"gone", std::monostate{}}};
  out[2].ts_us = 0;
  out[2].features = {{"c", std::string("red")}, {"x", 0.1 + 0.2}};
  out[3].ts_us = std::numeric_limits<std::int64_t>::min();  // deltas wrap and still round-trip
  out[3].features = {{"only", std::string("tab\there \"q\"")}};
  out[1].class_scores = {{"cat", 0.25}, {"dog", 0.75}};
  out[2].segment = "eu";
  out[3].segment = "us";
  return out;
}

std::vector<const domain::PredictionRecord*> Pointers(const std::vector<domain::PredictionRecord>& records) {
  std::vector<const domain::PredictionRecord*> out;
  for (const auto& r : records) out.push_back(&r);
  return out;
}

Features Sorted(Features f) {
  std::sort(f.begin(), f.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  return f;
}

TEST(FeatureBlock, RoundTripsNumbersCategoriesNullsAbsenceScoresAndSegments) {
  const auto records = Mixed();
  const FeatureBlock block = DecodeBlock(EncodeBlock(Pointers(records)));
  ASSERT_EQ(block.size, records.size());
  ASSERT_EQ(block.class_scores.size(), records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(block.ts_us[i], records[i].ts_us) << i;
    EXPECT_EQ(block.Features(i), Sorted(records[i].features)) << i;  // bit-exact doubles, names sorted
    EXPECT_EQ(block.class_scores[i], records[i].class_scores) << i;
    EXPECT_EQ(block.segment[i], records[i].segment) << i;
  }
}

TEST(FeatureBlock, CodesRepeatedCategoriesOnceAndCompresses) {
  std::vector<domain::PredictionRecord> records(1000);
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].ts_us = 1'793'491'200'000'000 + static_cast<std::int64_t>(i) * 1000;
    records[i].features = {{"count", static_cast<double>(i % 20)},
                           {"color", std::string(i % 2 ? "red" : "green")}};
  }
  const std::string body = EncodeBlock(Pointers(records));
  EXPECT_LT(body.size(), 4000u);  // JSON text of the same features is over 30,000 bytes
  const FeatureBlock block = DecodeBlock(body);
  ASSERT_EQ(block.columns.size(), 2u);
  EXPECT_EQ(block.columns[0].name, "color");
  EXPECT_EQ(block.columns[0].dict.size(), 2u);
  EXPECT_EQ(std::get<double>(block.Features(999)[1].second), 19.0);
}

TEST(FeatureBlock, RefusesDamagedBodies) {
  const auto records = Mixed();
  const std::string body = EncodeBlock(Pointers(records));
  EXPECT_THROW(DecodeBlock(""), std::runtime_error);
  EXPECT_THROW(DecodeBlock("Q" + body.substr(1)), std::runtime_error);
  EXPECT_THROW(DecodeBlock(body.substr(0, body.size() / 2)), std::runtime_error);
  EXPECT_THROW(DecodeBlock("J{not json"), std::exception);
}

TEST(PredictionBlocks, ConcurrentBatchesSharingIdsStoreEachIdOnce) {
  test_support::TestDatabase db;
  std::int64_t model = 0;
  {
    pqxx::connection conn(db.url());
    pqxx::work tx(conn);
    model = tx.exec("INSERT INTO models (name, task, config) VALUES ('m', 'binary', '{}') RETURNING id")[0][0]
                .as<std::int64_t>();
    tx.commit();
  }
  auto batch = [](int from, int to) {
    std::vector<domain::PredictionRecord> out;
    for (int i = from; i < to; ++i) {
      domain::PredictionRecord r;
      r.id = "r" + std::to_string(i);
      r.ts_us = i;
      r.features = {{"x", static_cast<double>(i)}};
      r.prediction.cls = "1";
      r.score = 0.5;
      out.push_back(std::move(r));
    }
    return out;
  };
  std::size_t accepted[2] = {0, 0};
  auto run = [&](int k, int from, int to) {
    pqxx::connection conn(db.url());
    for (int round = 0; round < 5; ++round) {
      pqxx::work tx(conn);
      accepted[k] += InsertPredictions(tx, model, batch(from + round * 100, to + round * 100)).accepted;
      tx.commit();
    }
  };
  std::thread a(run, 0, 0, 150);   // r0..r149, r100..r249, ...
  std::thread b(run, 1, 50, 200);  // overlapping ids, at the same time
  a.join();
  b.join();
  const std::string stored =
      db.Scalar("SELECT count(*) FROM predictions WHERE model_id = " + std::to_string(model));
  const std::string distinct = db.Scalar(
      "SELECT count(DISTINCT record_id) FROM predictions WHERE model_id = " + std::to_string(model));
  EXPECT_EQ(stored, distinct);
  EXPECT_EQ(stored, "600");  // r0 .. r599
  EXPECT_EQ(accepted[0] + accepted[1], 600u);
}

}  // namespace
}  // namespace driftgate::db

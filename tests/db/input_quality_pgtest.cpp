// Input faults on the prediction key rows and the model's feature dictionary (migrations/V011) on real
// PostgreSQL: every path that stores a prediction keeps its faults (fast COPY claim, staged claim,
// reference capture), every path that pairs a label reads them back, and dictionary positions never move.
#include <gtest/gtest.h>

#include <pqxx/pqxx>

#include "db/input_quality_repo.h"
#include "db/models_repo.h"
#include "db/records_repo.h"
#include "tests/support/test_db.h"

namespace driftgate::db {
namespace {

using test_support::TestDatabase;

std::int64_t NewModel(pqxx::connection& conn) {
  pqxx::work tx(conn);
  auto m = InsertModel(tx, "m", "binary_classification", "{}", "");
  tx.commit();
  return m->id;
}

domain::PredictionRecord Prediction(const std::string& id, std::optional<std::vector<std::uint16_t>> faults) {
  domain::PredictionRecord r;
  r.id = id;
  r.ts_us = 1'793'491'200'000'000;
  r.prediction = {.cls = "1", .value = 1, .is_number = true};
  r.features = {{"x", 1.5}};
  r.input_faults = std::move(faults);
  return r;
}

std::vector<domain::LabelRecord> Labels(const std::vector<std::string>& ids) {
  std::vector<domain::LabelRecord> out;
  for (const auto& id : ids) out.push_back({.id = id, .label = {.cls = "1", .value = 1, .is_number = true}});
  return out;
}

TEST(InputFaults, EveryStoragePathKeepsThemAndLabelsReadThemBack) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn);
  {
    pqxx::work tx(conn);
    // All new ids: the COPY claim (here capturing a reference of 1).
    InsertPredictions(tx, model, std::vector{Prediction("a", std::vector<std::uint16_t>{5, 9})}, 1);
    // A known id while a reference is captured: staged whole rows.
    InsertPredictions(
        tx, model, std::vector{Prediction("a", std::nullopt), Prediction("b", std::vector<std::uint16_t>{})},
        5);
    // A known id otherwise: staged keys.
    InsertPredictions(tx, model, std::vector{Prediction("b", std::nullopt), Prediction("c", std::nullopt)});
    tx.commit();
  }
  EXPECT_EQ(
      db.Scalar("SELECT string_agg(record_id || '=' || coalesce(broken, 'NULL'), ' ' ORDER BY record_id) "
                "FROM predictions"),
      "a={5,9} b=NULL c={}");
  pqxx::work tx(conn);
  LabelInsert ins = InsertLabels(tx, model, Labels({"a", "b", "c", "late"}));
  ASSERT_EQ(ins.events.size(), 3u);
  EXPECT_TRUE(ins.events[0].pair.input_judged);
  EXPECT_EQ(ins.events[0].pair.input_faults, (std::vector<std::uint16_t>{5, 9}));
  EXPECT_TRUE(ins.events[1].pair.input_judged);
  EXPECT_TRUE(ins.events[1].pair.input_faults.empty());
  EXPECT_FALSE(ins.events[2].pair.input_judged);
  // A label before its prediction: paired through the queue, faults included.
  InsertPredictions(tx, model, std::vector{Prediction("late", std::vector<std::uint16_t>{2})});
  const auto queued = TakeQueuedPairs(tx, model);
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].pair.input_faults, std::vector<std::uint16_t>{2});
}

evaluate::ReferenceProfile ProfileOf(const std::vector<std::string>& names, double missing_rate) {
  evaluate::ReferenceProfile p;
  p.rows = 10;
  for (const auto& n : names) p.features[n] = evaluate::FeatureProfile{.missing_rate = missing_rate};
  return p;
}

TEST(FeatureDictionary, PositionsStayWhenTheReferenceChangesAndRatesFollowIt) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn);
  {
    pqxx::work tx(conn);
    const auto first = SyncFeatureDictionary(tx, model, ProfileOf({"b", "a"}, 0.0));
    EXPECT_EQ(first, (std::map<std::string, std::uint16_t>{{"a", 0}, {"b", 1}}));
    tx.commit();
  }
  pqxx::work tx(conn);
  const auto second = SyncFeatureDictionary(tx, model, ProfileOf({"c", "b"}, 0.25));
  EXPECT_EQ(second, (std::map<std::string, std::uint16_t>{{"b", 1}, {"c", 2}}));
  const auto dictionary = LoadFeatureDictionary(tx, model);
  ASSERT_EQ(dictionary.size(), 3u);
  EXPECT_EQ(dictionary.at(0).name, "a");
  EXPECT_EQ(dictionary.at(0).missing_rate, 0.0);  // not in the new reference: kept
  EXPECT_EQ(dictionary.at(1).missing_rate, 0.25);
  EXPECT_EQ(dictionary.at(2).name, "c");
}

}  // namespace
}  // namespace driftgate::db

// Repositories and the migrator on real PostgreSQL (a fresh database per test).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "db/evaluation_repo.h"
#include "db/exec.h"
#include "db/migrator.h"
#include "db/models_repo.h"
#include "db/outbox_repo.h"
#include "db/pool.h"
#include "db/records_repo.h"
#include "db/retrains_repo.h"
#include "tests/support/test_db.h"

namespace driftgate::db {
namespace {

using test_support::TestDatabase;

std::int64_t NewModel(pqxx::connection& conn, const std::string& name) {
  pqxx::work tx(conn);
  auto m = InsertModel(tx, name, "binary_classification", "{}", "");
  tx.commit();
  return m->id;
}

domain::PredictionRecord Prediction(const std::string& id, const std::string& cls) {
  domain::PredictionRecord r;
  r.id = id;
  r.ts_us = 1'793'491'200'000'000;
  r.prediction = {.cls = cls, .value = 0, .is_number = true};
  r.features = {{"x", 1.5}, {"tab\tname", std::string("a\\b\n\"c\"")}, {"missing", std::monostate{}}};
  return r;
}

TEST(Migrator, IsIdempotent) {
  TestDatabase db;  // already migrated from the template
  auto again = Migrate(db.url());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->empty());
  EXPECT_EQ(db.Scalar("SELECT max(version) FROM schema_migrations"),
            std::to_string(EmbeddedMigrations().back().version));
}

TEST(RecordsRepo, PredictionsAreIdempotentByIdAndSurviveEscaping) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn, "m");
  std::vector<domain::PredictionRecord> batch = {Prediction("a", "1"), Prediction("b\tweird\\id", "0")};
  {
    pqxx::work tx(conn);
    auto r = InsertPredictions(tx, model, batch);
    EXPECT_EQ(r.accepted, 2u);
    EXPECT_EQ(r.duplicates, 0u);
    tx.commit();
  }
  {
    pqxx::work tx(conn);
    auto r = InsertPredictions(tx, model, batch);
    EXPECT_EQ(r.accepted, 0u);
    EXPECT_EQ(r.duplicates, 2u);
    tx.commit();
  }
  // Features come back from the stored block exactly: names and values with escapes, nulls kept.
  const auto weird = nlohmann::json::parse(db.StoredFeatures("b\tweird\\id"));
  EXPECT_EQ(weird["tab\tname"], "a\\b\n\"c\"");
  const auto a = nlohmann::json::parse(db.StoredFeatures("a"));
  ASSERT_TRUE(a.contains("missing"));
  EXPECT_TRUE(a["missing"].is_null());
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions WHERE model_id = " + std::to_string(model)), "2");
}

// A label before its prediction waits; the prediction, arriving later, completes the pair. Run with the
// hot statements prepared (the default, db/exec.h) and through the unnamed statement
// (DRIFTGATE_DB_PREPARED=off), and with the late prediction on either insert path: keys only, or staged
// whole while the model's drift reference is being captured (`reference_capacity`).
void LabelsJoinNowOrWhenTheirPredictionArrives(bool prepared, std::size_t reference_capacity) {
  UsePreparedStatements(prepared);
  struct Restore {
    ~Restore() { UsePreparedStatements(true); }
  } restore;
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn, "m");
  {
    pqxx::work tx(conn);
    InsertPredictions(tx, model, std::vector{Prediction("known", "1")});
    tx.commit();
  }
  std::vector<domain::LabelRecord> labels = {
      {.id = "known", .label = {.cls = "0", .value = 0, .is_number = true}, .ts_us = {}},
      {.id = "later", .label = {.cls = "1", .value = 1, .is_number = true}, .ts_us = {}}};
  {
    pqxx::work tx(conn);
    LockModel(tx, model);
    auto r = InsertLabels(tx, model, labels);
    EXPECT_EQ(r.accepted, 2u);
    EXPECT_EQ(r.unmatched, 1u);
    ASSERT_EQ(r.events.size(), 1u);
    EXPECT_EQ(r.events[0].pair.predicted, "1");
    EXPECT_EQ(r.events[0].pair.actual, "0");
    tx.commit();
  }
  {
    pqxx::work tx(conn);
    auto r = InsertPredictions(tx, model, std::vector{Prediction("later", "1")}, reference_capacity);
    EXPECT_EQ(r.completed_pairs, 1u);
    EXPECT_EQ(r.added_to_reference, reference_capacity > 0 ? 1u : 0u);
    tx.commit();
  }
  pqxx::work tx(conn);
  EXPECT_TRUE(HasQueuedPairs(tx, model));
  auto queued = TakeQueuedPairs(tx, model);
  ASSERT_EQ(queued.size(), 1u);
  EXPECT_EQ(queued[0].pair.actual, "1");
  EXPECT_FALSE(HasQueuedPairs(tx, model));
  EXPECT_EQ(
      db.Scalar("SELECT count(*) FROM labels WHERE model_id = " + std::to_string(model) + " AND matched"),
      "2");
}

TEST(RecordsRepo, LabelsJoinNowOrWhenTheirPredictionArrives) {
  LabelsJoinNowOrWhenTheirPredictionArrives(true, 0);
}
TEST(RecordsRepo, LabelsJoinWithoutPreparedStatements) {
  LabelsJoinNowOrWhenTheirPredictionArrives(false, 0);
}
TEST(RecordsRepo, LabelsJoinWhileTheReferenceIsCaptured) {
  LabelsJoinNowOrWhenTheirPredictionArrives(true, 10);
}
TEST(RecordsRepo, LabelsJoinWhileTheReferenceIsCapturedUnprepared) {
  LabelsJoinNowOrWhenTheirPredictionArrives(false, 10);
}

// Labels are stored before the model's lock (db/records_repo.h): a prediction batch that commits between a
// label batch's store and its match must not see the uncommitted labels, and the label batch must then
// pair them itself — each pair made exactly once.
TEST(RecordsRepo, APredictionCommittedWhileLabelsAreStoredIsPairedOnceByTheLabels) {
  TestDatabase db;
  pqxx::connection labels_conn(db.url());
  pqxx::connection predictions_conn(db.url());
  const auto model = NewModel(labels_conn, "m");
  std::vector<domain::LabelRecord> labels = {
      {.id = "x", .label = {.cls = "1", .value = 1, .is_number = true}, .ts_us = 1'793'491'200'000'000},
      {.id = "y", .label = {.cls = "0", .value = 0, .is_number = true}, .ts_us = {}}};
  pqxx::work label_tx(labels_conn);
  LabelInsert stored = StoreLabels(label_tx, model, labels);
  EXPECT_EQ(stored.accepted, 2u);
  {
    pqxx::work tx(predictions_conn);
    auto r = InsertPredictions(tx, model, std::vector{Prediction("x", "0")});
    EXPECT_EQ(r.accepted, 1u);
    EXPECT_EQ(r.completed_pairs, 0u);  // the labels are not committed yet
    tx.commit();
  }
  LockModel(label_tx, model);
  MatchLabels(label_tx, model, stored);
  ASSERT_EQ(stored.events.size(), 1u);
  EXPECT_EQ(stored.events[0].pair.predicted, "0");
  EXPECT_EQ(stored.events[0].pair.actual, "1");
  EXPECT_EQ(stored.events[0].ts_us, 1'793'491'200'000'000);
  EXPECT_EQ(stored.unmatched, 1u);
  label_tx.commit();
  const std::string m = std::to_string(model);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM eval_queue WHERE model_id = " + m), "0");
  EXPECT_EQ(db.Scalar("SELECT string_agg(record_id || ':' || matched, ',' ORDER BY record_id) FROM labels "
                      "WHERE model_id = " +
                      m),
            "x:true,y:false");
  EXPECT_EQ(
      db.Scalar("SELECT string_agg(record_id || ':' || matched, ',' ORDER BY record_id) FROM record_keys "
                "WHERE kind = 'l' AND model_id = " +
                m),
      "x:true,y:false");
  // The label without a data time got the transaction's time, in both of its rows.
  EXPECT_EQ(
      db.Scalar("SELECT count(*) FROM labels l JOIN record_keys k ON k.model_id = l.model_id AND "
                "k.kind = 'l' AND k.record_id = l.record_id WHERE l.record_id = 'y' AND l.ts = k.ts AND "
                "l.ts = l.received_at AND k.received_at = l.received_at"),
      "1");
  // The late prediction of y pairs it through the queue.
  pqxx::work tx(predictions_conn);
  EXPECT_EQ(InsertPredictions(tx, model, std::vector{Prediction("y", "1")}).completed_pairs, 1u);
  EXPECT_EQ(TakeQueuedPairs(tx, model).size(), 1u);
}

// A batch sharing some ids with stored ones takes the claim statement instead of the COPY (which would
// conflict): exactly the new records are stored, once, for predictions and for labels.
TEST(RecordsRepo, ABatchWithSomeKnownIdsStoresExactlyTheNewOnes) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn, "m");
  auto label = [](const std::string& id) {
    return domain::LabelRecord{.id = id, .label = {.cls = "1", .value = 1, .is_number = true}, .ts_us = {}};
  };
  {
    pqxx::work tx(conn);
    EXPECT_EQ(InsertPredictions(tx, model, std::vector{Prediction("b", "1")}).accepted, 1u);
    LockModel(tx, model);
    EXPECT_EQ(InsertLabels(tx, model, std::vector{label("b")}).events.size(), 1u);
    tx.commit();
  }
  pqxx::work tx(conn);
  auto p = InsertPredictions(
      tx, model, std::vector{Prediction("a", "1"), Prediction("b", "0"), Prediction("c", "1")}, 5);
  EXPECT_EQ(p.accepted, 2u);
  EXPECT_EQ(p.duplicates, 1u);
  EXPECT_EQ(p.added_to_reference, 2u);
  LockModel(tx, model);
  auto l = InsertLabels(tx, model, std::vector{label("c"), label("b"), label("z")});
  EXPECT_EQ(l.accepted, 2u);
  EXPECT_EQ(l.duplicates, 1u);
  EXPECT_EQ(l.events.size(), 1u);
  EXPECT_EQ(l.unmatched, 1u);
  tx.commit();
  const std::string m = std::to_string(model);
  EXPECT_EQ(
      db.Scalar("SELECT string_agg(record_id || ':' || pred_class, ',' ORDER BY record_id) FROM predictions "
                "WHERE model_id = " +
                m),
      "a:1,b:1,c:1");
  EXPECT_EQ(
      db.Scalar(
          "SELECT string_agg(record_id, ',' ORDER BY record_id) FROM reference_records WHERE model_id = " +
          m),
      "a,c");
  // Label ids are keyed in record_keys; prediction ids live in their blocks (counted above).
  EXPECT_EQ(
      db.Scalar("SELECT string_agg(kind::text || record_id, ',' ORDER BY kind, record_id) FROM record_keys "
                "WHERE model_id = " +
                m),
      "lb,lc,lz");
  EXPECT_EQ(
      db.Scalar("SELECT string_agg(record_id, ',' ORDER BY record_id) FROM labels WHERE model_id = " + m),
      "b,c,z");
}

// The 'auto' reference takes the first of the new predictions by data time, then id, on both paths.
TEST(RecordsRepo, TheReferenceTakesTheEarliestNewPredictions) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn, "m");
  auto at = [](const std::string& id, std::int64_t minute) {
    auto p = Prediction(id, "1");
    p.ts_us += minute * 60'000'000;
    return p;
  };
  {
    pqxx::work tx(conn);  // all new: COPYed
    EXPECT_EQ(
        InsertPredictions(tx, model, std::vector{at("late", 9), at("b", 1), at("a", 1), at("mid", 5)}, 3)
            .added_to_reference,
        3u);
    tx.commit();
  }
  {
    pqxx::work tx(conn);  // one known id: the claim statement
    EXPECT_EQ(
        InsertPredictions(tx, model, std::vector{at("mid", 5), at("z", 0), at("y", 2)}, 1).added_to_reference,
        1u);
    tx.commit();
  }
  EXPECT_EQ(
      db.Scalar(
          "SELECT string_agg(record_id, ',' ORDER BY record_id) FROM reference_records WHERE model_id = " +
          std::to_string(model)),
      "a,b,mid,z");
}

TEST(OutboxRepo, ConcurrentClaimsNeverShareARow) {
  TestDatabase db;
  pqxx::connection setup(db.url());
  const auto model = NewModel(setup, "m");
  {
    pqxx::work tx(setup);
    for (int i = 0; i < 40; ++i) {
      InsertOutbox(tx, model,
                   NewOutbox{.id = "msg_" + std::to_string(i),
                             .retrain_id = "00000000-0000-0000-0000-000000000000",
                             .url = "http://x/",
                             .body = "{}"});
    }
    tx.commit();
  }
  std::vector<std::string> a, b;
  auto claim = [&](std::vector<std::string>& out) {
    pqxx::connection conn(db.url());
    for (int round = 0; round < 10; ++round) {
      pqxx::work tx(conn);
      for (const auto& item : ClaimOutbox(tx, 3, 60)) out.push_back(item.id);
      tx.commit();
    }
  };
  std::thread t1(claim, std::ref(a)), t2(claim, std::ref(b));
  t1.join();
  t2.join();
  std::set<std::string> all(a.begin(), a.end());
  for (const auto& id : b) EXPECT_TRUE(all.insert(id).second) << id << " claimed twice";
  EXPECT_EQ(all.size(), 40u);
}

TEST(OutboxRepo, RetryWaitsForTheBackoffAndAnExpiredLeaseIsClaimedAgain) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn, "m");
  {
    pqxx::work tx(conn);
    InsertOutbox(tx, model,
                 NewOutbox{.id = "msg_1",
                           .retrain_id = "00000000-0000-0000-0000-000000000000",
                           .url = "http://x/",
                           .body = "{}"});
    tx.commit();
  }
  {
    pqxx::work tx(conn);
    ASSERT_EQ(ClaimOutbox(tx, 10, 60).size(), 1u);
    RetryOutbox(tx, "msg_1", 3600, 503, "HTTP 503");
    tx.commit();
  }
  {
    pqxx::work tx(conn);
    EXPECT_TRUE(ClaimOutbox(tx, 10, 60).empty()) << "not due before its backoff";
    tx.exec(
        "UPDATE outbox SET next_attempt_at = now() - interval '1 second', lease_until = now() - interval '1 "
        "second'");
    auto again = ClaimOutbox(tx, 10, 60);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(again[0].attempts, 2);
    EXPECT_TRUE(ClaimOutbox(tx, 10, 60).empty()) << "leased";
  }
}

TEST(EvaluationRepo, PolicyFactsCountRetrainsInDataTime) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn, "m");
  const std::int64_t day = 86'400'000'000LL, t0 = 1'793'491'200'000'000;
  pqxx::work tx(conn);
  InsertRetrain(tx, model, "r", "{}", t0);
  InsertRetrain(tx, model, "r", "{}", t0 + day / 2);
  tx.exec("UPDATE retrains SET status = 'failed'");
  auto facts = LoadPolicyFacts(tx, model, t0 + day - 1);
  EXPECT_FALSE(facts.retrain_in_flight);
  EXPECT_EQ(facts.retrains_last_24h, 2);
  EXPECT_EQ(facts.last_retrain_at_us, t0 + day / 2);
  facts = LoadPolicyFacts(tx, model, t0 + day + 1);
  EXPECT_EQ(facts.retrains_last_24h, 1);
  InsertRetrain(tx, model, "r", "{}", t0 + day);
  EXPECT_TRUE(LoadPolicyFacts(tx, model, t0 + day).retrain_in_flight);
}

TEST(Pool, ReportsUnavailableWhenTheDatabaseCannotBeReached) {
  Pool pool({.url = "postgresql://postgres@127.0.0.1:1/none",
             .size = 2,
             .acquire_timeout = std::chrono::milliseconds(500)});
  auto lease = pool.Acquire();
  ASSERT_FALSE(lease.ok());
  EXPECT_EQ(lease.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(pool.in_use(), 0u);
}

}  // namespace
}  // namespace driftgate::db

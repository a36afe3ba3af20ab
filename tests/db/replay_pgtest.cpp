// The backtest's reads and the closed-loop bookkeeping on real PostgreSQL: stored pairs come back grouped
// into the evaluations the live path ran, in its order; the snapshot refuses writes; retrain outcomes are
// recorded once per generation.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <vector>

#include "db/evaluation_repo.h"
#include "db/ledger_repo.h"
#include "db/models_repo.h"
#include "db/records_repo.h"
#include "db/replay_repo.h"
#include "db/retrains_repo.h"
#include "tests/support/test_db.h"

namespace driftgate::db {
namespace {

using test_support::TestDatabase;

constexpr std::int64_t kT0 = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z
constexpr std::int64_t kSec = 1'000'000;

std::int64_t NewModel(pqxx::connection& conn) {
  pqxx::work tx(conn);
  auto m = InsertModel(tx, "m", "binary_classification", "{}", "");
  tx.commit();
  return m->id;
}

domain::PredictionRecord Prediction(const std::string& id) {
  domain::PredictionRecord r;
  r.id = id;
  r.ts_us = kT0;
  r.prediction = {.cls = "1", .value = 1, .is_number = true};
  return r;
}

// A label whose data time is kT0 + `second` s: the test identifies pairs by it.
domain::LabelRecord Label(const std::string& id, int second) {
  return {.id = id, .label = {.cls = "1", .value = 1, .is_number = true}, .ts_us = kT0 + second * kSec};
}

template <class F>
void InTransaction(pqxx::connection& conn, F&& f) {
  pqxx::work tx(conn);
  f(tx);
  tx.commit();
}

// Each evaluation as the data-time seconds of its pairs, in order.
std::vector<std::vector<int>> Evaluations(pqxx::connection& conn, std::int64_t model,
                                          std::optional<std::int64_t> from = std::nullopt,
                                          std::optional<std::int64_t> to = std::nullopt) {
  std::vector<std::vector<int>> out;
  pqxx::work tx(conn);
  MakeReadOnlySnapshot(tx);
  ForEachEvaluation(tx, model, from, to, [&](std::span<const evaluate::LabeledEvent> events) {
    std::vector<int> group;
    for (const auto& e : events) group.push_back(static_cast<int>((e.ts_us - kT0) / kSec));
    out.push_back(group);
  });
  return out;
}

TEST(ReplayRepo, PairsComeBackInTheEvaluationsTheLivePathRan) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn);
  InTransaction(conn, [&](pqxx::work& tx) {
    InsertPredictions(tx, model,
                      std::vector{Prediction("a1"), Prediction("a2"), Prediction("a3"), Prediction("c1")});
  });
  // A label batch in its own order (not data time).
  InTransaction(conn, [&](pqxx::work& tx) {
    EXPECT_EQ(
        InsertLabels(tx, model, std::vector{Label("a3", 3), Label("a1", 1), Label("a2", 2)}).events.size(),
        3u);
  });
  // Labels before their predictions: evaluated when the predictions arrive, by data time.
  InTransaction(conn, [&](pqxx::work& tx) {
    EXPECT_EQ(InsertLabels(tx, model, std::vector{Label("b2", 12), Label("b1", 11)}).unmatched, 2u);
  });
  InTransaction(conn, [&](pqxx::work& tx) {
    EXPECT_EQ(InsertPredictions(tx, model, std::vector{Prediction("b1"), Prediction("b2")}).completed_pairs,
              2u);
  });
  InTransaction(conn, [&](pqxx::work& tx) { InsertLabels(tx, model, std::vector{Label("c1", 0)}); });
  InTransaction(conn,
                [&](pqxx::work& tx) { InsertLabels(tx, model, std::vector{Label("never-predicted", 5)}); });

  EXPECT_EQ(Evaluations(conn, model), (std::vector<std::vector<int>>{{3, 1, 2}, {11, 12}, {0}}));
  // The period bounds the labels' data time, [from, to).
  EXPECT_EQ(Evaluations(conn, model, kT0 + 2 * kSec, kT0 + 12 * kSec),
            (std::vector<std::vector<int>>{{3, 2}, {11}}));
}

TEST(ReplayRepo, TheSnapshotRefusesWrites) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn);
  pqxx::work tx(conn);
  MakeReadOnlySnapshot(tx);
  EXPECT_THROW(InsertDecision(tx, model,
                              NewDecision{.id = std::nullopt,
                                          .at_us = kT0,
                                          .action = "none",
                                          .reason = "r",
                                          .reason_code = "none:ok",
                                          .kpis_json = "{}",
                                          .detectors_json = "[]",
                                          .retrain_id = std::nullopt}),
               pqxx::sql_error);
}

TEST(LedgerRepo, OutcomeIsRecordedOnceOnTheRetrainThatStartedTheGeneration) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn);
  std::string id;
  InTransaction(conn, [&](pqxx::work& tx) {
    id = InsertRetrain(tx, model, "breach", R"({"accuracy": {"value": 0.7, "threshold": 0.85}})", kT0).id;
    UpdateRetrainStatus(tx, model, id, "succeeded", std::nullopt);
    SetRetrainGeneration(tx, model, id, 2);
  });
  pqxx::work tx(conn);
  EXPECT_FALSE(FindUnjudgedRetrain(tx, model, 3).has_value());
  const auto found = FindUnjudgedRetrain(tx, model, 2);
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, id);
  SetRetrainOutcome(tx, model, id, "improved", kT0 + 60 * kSec, R"({"accuracy": {"value": 0.9}})");
  EXPECT_FALSE(FindUnjudgedRetrain(tx, model, 2).has_value());
  const auto row = FindRetrain(tx, model, id);
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->outcome, "improved");
  EXPECT_EQ(row->outcome_at_us, kT0 + 60 * kSec);
  const auto counts = CountLedger(tx, model, kT0, kT0 + 1);
  EXPECT_EQ(counts.requested, 1);
  EXPECT_EQ(counts.did_not_help, 0);
  EXPECT_EQ(CountLedger(tx, model, kT0 + 1, kT0 + 2).requested, 0);  // [from, to)
}

TEST(LedgerRepo, DataSpanCoversPredictionsAndLabels) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn);
  {
    pqxx::work tx(conn);
    EXPECT_FALSE(ModelDataSpan(tx, model).has_value());
  }
  InTransaction(conn, [&](pqxx::work& tx) {
    InsertPredictions(tx, model, std::vector{Prediction("p")});
    InsertLabels(tx, model, std::vector{Label("p", 90), Label("q", -30)});
  });
  pqxx::work tx(conn);
  const auto span = ModelDataSpan(tx, model);
  ASSERT_TRUE(span.has_value());
  EXPECT_EQ(span->first_us, kT0 - 30 * kSec);
  EXPECT_EQ(span->last_us, kT0 + 90 * kSec);
}

}  // namespace
}  // namespace driftgate::db

// Rows written whole by the repository that owns their table: a retrain, its webhook and its decision
// carry their final values from their INSERT (no update follows), and an alert's notification supersedes
// the pending one of the same target.
#include <gtest/gtest.h>

#include <pqxx/pqxx>
#include <string>

#include "db/evaluation_repo.h"
#include "db/models_repo.h"
#include "db/outbox_repo.h"
#include "db/retrains_repo.h"
#include "tests/support/test_db.h"

namespace driftgate::db {
namespace {

using test_support::TestDatabase;

constexpr std::int64_t kAt = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z

std::int64_t NewModel(pqxx::connection& conn) {
  pqxx::work tx(conn);
  auto m = InsertModel(tx, "m", "binary_classification", "{}", "");
  tx.commit();
  return m->id;
}

// Rows inserted and updated by this backend, over every table but models, from PostgreSQL's per-transaction
// statistics view (https://www.postgresql.org/docs/current/monitoring-stats.html). The view also holds the
// backend's counts not yet flushed, such as the model row this connection inserted just before.
std::string WritesOf(pqxx::transaction_base& tx) {
  return tx
      .exec1(
          "SELECT sum(n_tup_ins)::text || ' inserted, ' || sum(n_tup_upd)::text || ' updated' "
          "FROM pg_stat_xact_user_tables WHERE relname <> 'models'")[0]
      .as<std::string>();
}

bool OnCitus(pqxx::transaction_base& tx) {
  return tx.exec1("SELECT count(*) FROM pg_extension WHERE extname = 'citus'")[0].as<int>() > 0;
}

TEST(TableOwners, RetrainWebhookAndDecisionAreInsertedWithTheirFinalValues) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn);
  const std::string deferral = R"({"region": "DE", "scheduled_for": "2026-11-01T03:00:00Z"})";
  const std::int64_t due_us = kAt + 3 * 3600 * 1'000'000LL;
  {
    pqxx::work tx(conn);
    const NewRetrain retrain = InsertRetrain(tx, model, "breach", R"({"accuracy": 0.7})", kAt, deferral);
    InsertOutbox(tx, model,
                 NewOutbox{.id = "msg_" + retrain.id,
                           .retrain_id = retrain.id,
                           .url = "http://127.0.0.1:9/hook",
                           .secret = "sealed",
                           .secrets_key_id = "k1",
                           .body = "{}",
                           .headers_json = R"([["X-Run", "1"]])",
                           .format = "airflow",
                           .due_at_us = due_us});
    InsertDecision(tx, model,
                   NewDecision{.id = retrain.decision_id,
                               .at_us = kAt,
                               .action = "retrain",
                               .reason = "breach",
                               .reason_code = "kpi_breach",
                               .kpis_json = "{}",
                               .detectors_json = "[]",
                               .retrain_id = retrain.id,
                               .deferral_json = deferral});
    // On Citus the distributed tables' rows are written by the workers, whose statistics this view does not
    // see; the plain PostgreSQL run of this test proves the count.
    if (!OnCitus(tx)) {
      EXPECT_EQ(WritesOf(tx), "3 inserted, 0 updated");
    }
    tx.commit();
  }
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM retrains WHERE deferral->>'region' = 'DE'"), "1");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM decisions d JOIN retrains r ON r.model_id = d.model_id "
                      "AND r.decision_id = d.id AND r.id = d.retrain_id WHERE d.deferral = r.deferral"),
            "1");
  EXPECT_EQ(db.Scalar("SELECT headers::text || ' ' || format || ' ' || secrets_key_id FROM outbox"),
            R"([["X-Run", "1"]] airflow k1)");
  EXPECT_EQ(db.Scalar("SELECT (extract(epoch from next_attempt_at) * 1e6)::bigint FROM outbox"),
            std::to_string(due_us));
}

TEST(TableOwners, AWebhookWithoutDeferralIsDueNowAndStandardWithoutHeaders) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn);
  {
    pqxx::work tx(conn);
    const NewRetrain retrain = InsertRetrain(tx, model, "breach", "{}", kAt);
    InsertOutbox(
        tx, model,
        NewOutbox{.id = "msg_" + retrain.id, .retrain_id = retrain.id, .url = "http://x/", .body = "{}"});
    tx.commit();
  }
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM outbox WHERE headers IS NULL AND format IS NULL "
                      "AND secrets_key_id IS NULL AND next_attempt_at = created_at"),
            "1");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM retrains WHERE deferral IS NULL"), "1");
}

TEST(TableOwners, ANewerNotificationSupersedesThePendingOneOfItsTarget) {
  TestDatabase db;
  pqxx::connection conn(db.url());
  const auto model = NewModel(conn);
  {
    pqxx::work tx(conn);
    for (const char* id : {"n1", "n2"}) {
      InsertNotification(
          tx, model,
          NewNotification{
              .id = id, .notify_key = "alert/0", .url = "http://x/", .body = "{}", .format = "slack"});
    }
    tx.commit();
  }
  EXPECT_EQ(db.Scalar("SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM outbox"),
            "n1:superseded,n2:pending");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM outbox WHERE headers = '[]'::jsonb AND retrain_id IS NULL"), "2");
  const auto origin = [&] {
    pqxx::work tx(conn);
    return FindOutboxOrigin(tx, "n2");
  }();
  ASSERT_TRUE(origin.has_value());
  EXPECT_EQ(origin->model_id, model);
  EXPECT_FALSE(origin->retrain_webhook);
}

}  // namespace
}  // namespace driftgate::db

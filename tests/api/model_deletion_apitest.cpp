// A model's deletion (DELETE /v1/models/{model}, db/model_removal.h) on real PostgreSQL. The tables are
// listed from the catalog (every table with a model_id column), so a table added later is covered without
// editing this test: it fails until the table is given a row here and is cleared by db::RemoveModel, or is
// named below as kept on purpose.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "tests/support/http_receiver.h"
#include "tests/support/stream.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::TestDatabase;
using test_support::TestServer;

// Kept on purpose. The outbox: a webhook queued before the deletion carries everything it needs and is
// still delivered (openapi.yaml, deleteModel). Tokens: a token restricted to the model keeps the model's id
// and stays refused once a new model takes the name (openapi.yaml, the token scope rules).
const std::set<std::string> kKept = {"outbox", "tokens"};

// One row per table for a model ({m}), for the tables the traffic below leaves empty: written straight
// into the table so that every kind of row a model can own is there when it is deleted.
const std::map<std::string, std::string> kPlant = {
    {"alerts",
     "INSERT INTO alerts (model_id, condition, status, action, reason, reason_code, data_at) VALUES "
     "({m}, 'warn', 'resolved', 'warn', 'planted', 'planted', now())"},
    {"decisions",
     "INSERT INTO decisions (model_id, at, action, reason, reason_code, kpis, detectors) VALUES "
     "({m}, now(), 'none', 'planted', 'planted', '{}', '[]')"},
    {"dle_models",
     "INSERT INTO dle_models (model_id, reference_version, params, labelled, abs_model, sq_model, encoding) "
     "VALUES ({m}, 1, '', 1, '\\x00', '\\x00', '{}')"},
    {"drift_events",
     "INSERT INTO drift_events (model_id, at, kind, detail) VALUES ({m}, now(), 'data', '{}')"},
    {"estimated_metrics",
     "INSERT INTO estimated_metrics (model_id, at, generation, n, kpis) VALUES ({m}, now(), 1, 1, '{}')"},
    {"eval_queue", "INSERT INTO eval_queue (model_id, record_id) VALUES ({m}, 'planted')"},
    {"labels", "INSERT INTO labels (model_id, record_id, ts) VALUES ({m}, 'planted', now())"},
    {"metrics", "INSERT INTO metrics (model_id, at, generation, n, kpis) VALUES ({m}, now(), 1, 1, '{}')"},
    {"model_drift", "INSERT INTO model_drift (model_id) VALUES ({m})"},
    {"model_features", "INSERT INTO model_features (model_id, position, name) VALUES ({m}, 8191, 'planted')"},
    {"model_state", "INSERT INTO model_state (model_id, state) VALUES ({m}, '{}')"},
    {"outbox",
     "INSERT INTO outbox (id, model_id, url, body, status) VALUES ('planted' || {m}, {m}, "
     "'http://127.0.0.1:9/h', '{}', 'failed')"},
    {"prediction_blocks",
     "INSERT INTO prediction_blocks (model_id, n, ts_min, ts_max, ids, cls, value, score, broken, body) "
     "VALUES ({m}, 1, now(), now(), '{planted}', '{NULL}', '{NULL}', '{NULL}', '{NULL}', '\\x00')"},
    {"prediction_keys", "INSERT INTO prediction_keys (model_id, seq, ids) VALUES ({m}, 0, '{planted}')"},
    {"record_keys", "INSERT INTO record_keys (model_id, kind, record_id) VALUES ({m}, 'l', 'planted')"},
    {"reference_records", "INSERT INTO reference_records (model_id, record_id) VALUES ({m}, 'planted')"},
    {"retrains",
     "INSERT INTO retrains (model_id, decision_id, status, reason, kpis, requested_at) VALUES "
     "({m}, gen_random_uuid(), 'failed', 'planted', '{}', now())"},
    {"segment_metrics",
     "INSERT INTO segment_metrics (model_id, segment, at, generation, n, state, kpis) VALUES "
     "({m}, 'planted', now(), 1, 1, 'ok', '{}')"},
    {"segment_windows",
     "INSERT INTO segment_windows (model_id, segment, chunk, pairs) VALUES ({m}, 'planted', 0, '\\x00')"},
    {"tokens",
     "INSERT INTO tokens (name, hash, scopes, model, model_id) VALUES ('planted', sha256(('planted' || {m})"
     "::bytea), '{read}', (SELECT name FROM models WHERE id = {m}), {m})"},
};

// Every table (not a partition) with a model_id column.
std::vector<std::string> ModelTables(const TestDatabase& db) {
  std::istringstream names(db.Scalar(
      "SELECT string_agg(c.table_name::text, ' ' ORDER BY c.table_name) FROM information_schema.columns c "
      "JOIN pg_class k ON k.relname = c.table_name AND k.relnamespace = 'public'::regnamespace "
      "WHERE c.table_schema = 'public' AND c.column_name = 'model_id' AND k.relkind IN ('r', 'p') "
      "AND NOT k.relispartition"));
  std::vector<std::string> out;
  for (std::string name; names >> name;) out.push_back(name);
  return out;
}

std::string Fill(std::string sql, const std::string& model_id) {
  for (auto at = sql.find("{m}"); at != std::string::npos; at = sql.find("{m}")) sql.replace(at, 3, model_id);
  return sql;
}

int Rows(const TestDatabase& db, const std::string& table, const std::string& model_id) {
  return std::stoi(db.Scalar("SELECT count(*) FROM " + table + " WHERE model_id = " + model_id));
}

// Predictions and labels through the API, which end in a retrain and its webhook, and a token restricted
// to the model: the rows a model's ordinary life leaves behind.
void Traffic(TestServer& server, const std::string& model, const std::string& webhook_url) {
  ASSERT_EQ(server.Call("POST", "/v1/models", test_support::BinaryModel(model, webhook_url)).status, 201);
  test_support::BinaryStream stream(17, model + "-");
  // A healthy stretch, then one well under the accuracy floor: a retrain decision and its webhook.
  for (const double accuracy : {0.95, 0.5}) {
    json predictions, labels;
    stream.Next(500, accuracy, predictions, labels);
    const auto p = server.Call("POST", "/v1/models/" + model + "/predictions", predictions);
    ASSERT_EQ(p.status, 200) << p.body;
    const auto l = server.Call("POST", "/v1/models/" + model + "/labels", labels);
    ASSERT_EQ(l.status, 200) << l.body;
  }
  const auto t =
      server.Call("POST", "/v1/tokens", json{{"name", model}, {"scopes", {"read"}}, {"model", model}});
  ASSERT_EQ(t.status, 201) << t.body;
}

TEST(ModelDeletion, EveryTableLosesTheModelsRowsAndAnotherModelKeepsItsOwn) {
  TestDatabase db;
  {
    TestServer server(db.url());
    ASSERT_NO_FATAL_FAILURE(Traffic(server, "gone", "http://127.0.0.1:9/h"));
    ASSERT_NO_FATAL_FAILURE(Traffic(server, "kept", "http://127.0.0.1:9/h"));
  }  // stopped: no background work writes between the counts below
  const std::string gone = db.Scalar("SELECT id FROM models WHERE name = 'gone'");
  const std::string kept = db.Scalar("SELECT id FROM models WHERE name = 'kept'");
  const auto tables = ModelTables(db);
  ASSERT_GE(tables.size(), 20u);
  std::set<std::string> from_traffic;
  std::map<std::string, std::pair<int, int>> before;  // table -> (gone's rows, kept's rows)
  for (const auto& table : tables) {
    if (Rows(db, table, gone) > 0) from_traffic.insert(table);
    for (const auto& id : {gone, kept}) {
      if (Rows(db, table, id) > 0) continue;
      ASSERT_TRUE(kPlant.contains(table)) << table << " has a model_id column: give it a row in kPlant, and "
                                          << "clear it in db::RemoveModel or name it in kKept";
      db.Scalar(Fill(kPlant.at(table), id));
    }
    before[table] = {Rows(db, table, gone), Rows(db, table, kept)};
    ASSERT_GT(before[table].first, 0) << table;
  }
  // The traffic itself wrote the records, their evaluation, the retrain and its webhook, the drift
  // bookkeeping and the tokens; only the rest was planted.
  for (const char* table :
       {"prediction_blocks", "prediction_keys", "labels", "record_keys", "model_state", "decisions",
        "metrics", "retrains", "outbox", "model_drift", "reference_records", "tokens"}) {
    EXPECT_TRUE(from_traffic.contains(table)) << table;
  }

  TestServer server(db.url());
  ASSERT_EQ(server.Call("DELETE", "/v1/models/gone").status, 204);
  for (const auto& table : tables) {
    const int expected = kKept.contains(table) ? before[table].first : 0;
    EXPECT_EQ(Rows(db, table, gone), expected) << table << ": rows of the deleted model";
    EXPECT_EQ(Rows(db, table, kept), before[table].second) << table << ": rows of the other model";
  }
  EXPECT_EQ(server.Call("GET", "/v1/models/gone").status, 404);
  EXPECT_EQ(server.Call("GET", "/v1/models/kept").status, 200);
}

// The deletion leaves the outbox alone: a retrain webhook that its receiver kept refusing until the model
// was deleted is delivered afterwards, from the one row it was queued in.
TEST(ModelDeletion, AWebhookQueuedBeforeTheDeletionIsStillDelivered) {
  TestDatabase db;
  test_support::HttpReceiver receiver;
  receiver.SetStatus(503);
  TestServer server(db.url());
  ASSERT_NO_FATAL_FAILURE(Traffic(server, "gone", receiver.Url("/hook")));
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(30)));
  ASSERT_EQ(db.Scalar("SELECT string_agg(status, ',') FROM outbox"), "pending");
  const std::string id = db.Scalar("SELECT id FROM outbox");

  ASSERT_EQ(server.Call("DELETE", "/v1/models/gone").status, 204);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM retrains"), "0");
  receiver.SetStatus(200);
  ASSERT_TRUE(test_support::WaitUntil([&] { return db.Scalar("SELECT status FROM outbox") == "delivered"; },
                                      std::chrono::seconds(30)));
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM outbox"), "1");
  const auto requests = receiver.Requests();
  ASSERT_FALSE(requests.empty());
  EXPECT_EQ(requests.back().Header("webhook-id"), id);
  for (const auto& r : requests) EXPECT_EQ(r.Header("webhook-id"), id);
}

}  // namespace
}  // namespace driftgate

// The input contract against the real server (in-process, port 0, real HTTP, a fresh database per test):
// the time domain of every `ts`, duplicate member names, unknown query parameters, bound cursors, class
// and score semantics per task, JSON Merge Patch of a model, and exact problem+json `field`s. Every
// rejected request must get its exact status and `field`, leave the server healthy and the database as it
// was. The corpus is a table: adding a case is one line in Corpus().
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "service/webhooks/webhook_secrets.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::HttpResponse;
using test_support::kAdminToken;
using test_support::TestDatabase;
using test_support::TestServer;
using test_support::TestServerOptions;

constexpr const char* kHook = "http://127.0.0.1:9/hooks/retrain";

struct Case {
  std::string name;
  std::string method;
  std::string path;
  std::string body;
  int status;
  std::string field;  // the problem's exact `field`
};

std::string Batch(const json& record) { return json{{"records", json::array({record})}}.dump(); }

std::string Pred(const json& patch = json::object()) {
  json rec{
      {"id", "c-1"}, {"ts", "2026-11-23T06:00:00Z"}, {"features", {{"amount", 12.5}}}, {"prediction", 1}};
  rec.merge_patch(patch);
  return Batch(rec);
}

std::string Label(const json& patch = json::object()) {
  json rec{{"id", "c-1"}, {"label", 1}, {"ts", "2026-11-23T07:00:00Z"}};
  rec.merge_patch(patch);
  return Batch(rec);
}

std::string Model(const json& patch, const std::string& name = "fresh") {
  json doc = BinaryModel(name, kHook);
  doc.merge_patch(patch);
  return doc.dump();
}

std::vector<Case> Corpus() {
  std::vector<Case> c;
  auto add = [&c](std::string name, std::string method, std::string path, std::string body, int status,
                  std::string field) {
    c.push_back(
        Case{std::move(name), std::move(method), std::move(path), std::move(body), status, std::move(field)});
  };
  const std::string preds = "/v1/models/bin/predictions";
  const std::string labels = "/v1/models/bin/labels";
  const std::string multi = "/v1/models/multi/predictions";
  // -- the time domain: [1970-01-01, 2200-01-01) UTC and at most 7 days after the server clock
  add("ts before year 1 in UTC", "POST", preds, Pred({{"ts", "0001-01-01T00:00:00+01:00"}}), 400,
      "records[0].ts");
  add("ts in year 0001", "POST", preds, Pred({{"ts", "0001-01-01T00:00:00Z"}}), 400, "records[0].ts");
  add("ts one second before 1970", "POST", preds, Pred({{"ts", "1969-12-31T23:59:59Z"}}), 400,
      "records[0].ts");
  add("ts landing in year 10000", "POST", preds, Pred({{"ts", "9999-12-31T23:59:59-05:00"}}), 400,
      "records[0].ts");
  add("ts in year 9999", "POST", preds, Pred({{"ts", "9999-01-01T00:00:00Z"}}), 400, "records[0].ts");
  add("ts at 2200-01-01", "POST", preds, Pred({{"ts", "2200-01-01T00:00:00Z"}}), 400, "records[0].ts");
  add("ts beyond the future skew", "POST", preds, Pred({{"ts", "2199-01-01T00:00:00Z"}}), 400,
      "records[0].ts");
  add("label ts in year 0001", "POST", labels, Label({{"ts", "0001-01-01T00:00:00Z"}}), 400, "records[0].ts");
  add("label ts beyond the future skew", "POST", labels, Label({{"ts", "2150-06-01T00:00:00Z"}}), 400,
      "records[0].ts");
  add("reference ts in year 9999", "PUT", "/v1/models/bin/reference", Pred({{"ts", "9999-01-01T00:00:00Z"}}),
      400, "records[0].ts");
  add("history from year 0001", "GET", "/v1/models/bin/decisions?from=0001-01-01T00:00:00Z", "", 400, "from");
  add("history to year 9999", "GET", "/v1/models/bin/metrics?to=9999-12-31T23:59:59Z", "", 400, "to");
  add("ledger from year 0001", "GET", "/v1/models/bin/sustainability?from=0001-01-01T00:00:00Z", "", 400,
      "from");
  add("fleet ledger to year 9999", "GET", "/v1/sustainability?to=9999-01-01T00:00:00Z", "", 400, "to");
  add("audit from 1900", "GET", "/v1/audit?from=1900-01-01T00:00:00Z", "", 400, "from");
  add("backtest from year 0001", "POST", "/v1/models/bin/backtest",
      json{{"config", BinaryModel("bin", kHook)}, {"from", "0001-01-01T00:00:00Z"}}.dump(), 400, "from");
  add("grid forecast point in year 9999", "PUT", "/v1/grid-forecast",
      R"({"region": "default", "points": [{"at": "9999-01-01T00:00:00Z", "g_per_kwh": 300}]})", 400,
      "points[0].at");
  // -- duplicate member names, anywhere
  add("duplicate records member", "POST", preds,
      R"({"records": [{"id": "d-1", "prediction": 1}], "records": []})", 400, "records");
  add("duplicate id member in a record", "POST", preds,
      R"({"records": [{"id": "a", "id": "b", "prediction": 1}]})", 400, "records[0].id");
  add("duplicate feature name", "POST", preds,
      R"({"records": [{"id": "a", "prediction": 1, "features": {"amount": 1, "amount": 2}}]})", 400,
      "records[0].features.amount");
  add("duplicate member in the second record", "POST", preds,
      R"({"records": [{"id": "a", "prediction": 1}, {"id": "b", "prediction": 1, "prediction": 0}]})", 400,
      "records[1].prediction");
  add("duplicate label member", "POST", labels, R"({"records": [{"id": "a", "label": 1, "label": 0}]})", 400,
      "records[0].label");
  add("duplicate model name member", "POST", "/v1/models",
      R"({"name": "one", "name": "two", "task": "binary_classification",
          "kpis": [{"metric": "accuracy", "min": 0.8}], "webhook": {"url": "http://127.0.0.1:9/h"}})",
      400, "name");
  add("duplicate member inside a KPI", "POST", "/v1/models",
      R"({"name": "fresh", "task": "binary_classification",
          "kpis": [{"metric": "accuracy", "min": 0.8, "min": 0.1}], "webhook": {"url": "http://127.0.0.1:9/h"}})",
      400, "kpis[0].min");
  add("duplicate member in a patch", "PATCH", "/v1/models/bin",
      R"({"policy": {"cooldown_seconds": 60, "cooldown_seconds": 0}})", 400, "policy.cooldown_seconds");
  add("duplicate status member", "POST",
      "/v1/models/bin/retrains/00000000-0000-4000-8000-000000000000/status",
      R"({"status": "running", "status": "failed"})", 400, "status");
  add("valid batch then a NUL byte and more", "POST", preds,
      std::string(R"({"records": [{"id": "n-1", "prediction": 1}]})") + std::string(1, '\0') +
          R"(, "x": [[[)",
      400, "body");
  add("duplicate empty member name", "POST", preds, R"({"": 1, "": 2})", 400, R"("")");
  // -- unknown query parameters
  add("dry_run on predictions", "POST", preds + "?dry_run=true", Pred(), 400, "dry_run");
  add("limt on decisions", "GET", "/v1/models/bin/decisions?limt=2", "", 400, "limt");
  add("query on the model list", "GET", "/v1/models?task=regression", "", 400, "task");
  add("unknown next to kind on metrics", "GET", "/v1/models/bin/metrics?kind=realized&window=5", "", 400,
      "window");
  add("kind on drift", "GET", "/v1/models/bin/drift?kind=estimated", "", 400, "kind");
  add("period on the ledger", "GET", "/v1/models/bin/sustainability?period=7d", "", 400, "period");
  add("query on labels", "POST", labels + "?evaluate=false", Label(), 400, "evaluate");
  add("query on a model replace", "PUT", "/v1/models/bin?force=1", Model(json::object(), "bin"), 400,
      "force");
  add("query on healthz", "GET", "/healthz?verbose=1", "", 400, "verbose");
  // -- cursors: only the ones this server issued for the same listing
  add("forged cursor", "GET",
      "/v1/models/bin/decisions?cursor=c1795000000000000_1_00000000000000000000000000000000", "", 400,
      "cursor");
  add("cursor without a tag", "GET", "/v1/models/bin/metrics?cursor=c1795000000000000_1", "", 400, "cursor");
  // -- class and score semantics per task
  add("binary prediction 2", "POST", preds, Pred({{"prediction", 2}}), 400, "records[0].prediction");
  add("binary prediction yes", "POST", preds, Pred({{"prediction", "yes"}}), 400, "records[0].prediction");
  add("binary prediction 0.5", "POST", preds, Pred({{"prediction", 0.5}}), 400, "records[0].prediction");
  add("binary label -1", "POST", labels, Label({{"label", -1}}), 400, "records[0].label");
  add("binary label true-ish string", "POST", labels, Label({{"label", "true"}}), 400, "records[0].label");
  add("declared binary class unknown", "POST", "/v1/models/fraud/predictions",
      Pred({{"prediction", "maybe"}}), 400, "records[0].prediction");
  add("declared binary model refuses 1", "POST", "/v1/models/fraud/labels", Label({{"label", 1}}), 400,
      "records[0].label");
  add("multiclass probabilities sum to 1.8", "POST", multi,
      Pred({{"prediction", "cat"}, {"score", {{"cat", 0.9}, {"dog", 0.9}}}}), 400, "records[0].score");
  add("multiclass probabilities sum to 0.1", "POST", multi,
      Pred({{"prediction", "cat"}, {"score", {{"cat", 0.05}, {"dog", 0.05}}}}), 400, "records[0].score");
  add("score keys 1 and 1.0", "POST", multi, Pred({{"prediction", 1}, {"score", {{"1", 0.5}, {"1.0", 0.5}}}}),
      400, "records[0].score.1.0");
  add("empty score object", "POST", multi, Pred({{"prediction", 1}, {"score", json::object()}}), 400,
      "records[0].score");
  add("score key not declared", "POST", "/v1/models/animals/predictions",
      Pred({{"prediction", "cat"}, {"score", {{"cat", 0.5}, {"cow", 0.5}}}}), 400, "records[0].score.cow");
  add("multiclass class not declared", "POST", "/v1/models/animals/labels", Label({{"label", "cow"}}), 400,
      "records[0].label");
  add("binary model with three classes", "POST", "/v1/models", Model({{"classes", {"a", "b", "c"}}}), 400,
      "classes");
  add("classes 1 and 1.0", "POST", "/v1/models", Model({{"classes", {1, "1.0"}}}), 400, "classes[1]");
  add("classes on a regression model", "POST", "/v1/models",
      Model({{"task", "regression"}, {"kpis", {{{"metric", "mae"}, {"max", 1}}}}, {"classes", {"a", "b"}}}),
      400, "classes");
  // -- PATCH /v1/models/{model}: validated like a PUT
  add("patch changes the task", "PATCH", "/v1/models/bin",
      R"({"task": "regression", "kpis": [{"metric": "mae", "max": 1}]})", 409, "task");
  add("patch renames", "PATCH", "/v1/models/bin", R"({"name": "other"})", 400, "name");
  add("patch a bad window", "PATCH", "/v1/models/bin", R"({"evaluation": {"window": 0}})", 400,
      "evaluation.window");
  add("patch removes the webhook url", "PATCH", "/v1/models/bin", R"({"webhook": {"url": null}})", 400,
      "webhook.url");
  add("patch removes the KPIs", "PATCH", "/v1/models/bin", R"({"kpis": null})", 400, "kpis");
  add("patch an unknown member", "PATCH", "/v1/models/bin", R"({"owner": "me"})", 400, "owner");
  add("patch body an array", "PATCH", "/v1/models/bin", "[]", 400, "body");
  add("patch body invalid", "PATCH", "/v1/models/bin", "{", 400, "body");
  add("patch an unknown model", "PATCH", "/v1/models/nosuch", R"({"policy": {"cooldown_seconds": 0}})", 404,
      "model");
  // -- exact members in messages
  add("feature name with a newline", "POST", preds, Pred({{"features", {{"bad\nname", 1}}}}), 400,
      "records[0].features.bad\nname");
  add("feature name empty", "POST", preds, Pred({{"features", {{"", 1}}}}), 400, R"(records[0].features."")");
  add("prediction 1e400", "POST", preds, R"({"records": [{"id": "h", "prediction": 1e400}]})", 400,
      "records[0].prediction");
  add("feature -1e400", "POST", preds,
      R"({"records": [{"id": "h", "prediction": 1, "features": {"f": -1e400}}]})", 400,
      "records[0].features.f");
  add("label 1e400 in the second record", "POST", labels,
      R"({"records": [{"id": "a", "label": 1}, {"id": "h", "label": 1e400}]})", 400, "records[1].label");
  add("array element 1e400", "POST", preds, R"({"records": [1e400]})", 400, "records[0]");
  add("model KPI min 1e400", "POST", "/v1/models",
      R"({"name": "fresh", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 1e400}],
          "webhook": {"url": "http://127.0.0.1:9/h"}})",
      400, "kpis[0].min");
  add("create an existing model", "POST", "/v1/models", Model(json::object(), "bin"), 409, "name");
  add("PUT changes the task", "PUT", "/v1/models/bin",
      Model({{"task", "regression"}, {"kpis", {{{"metric", "mae"}, {"max", 1}}}}}, "bin"), 409, "task");
  return c;
}

// Every table a rejected request could touch, and the models' content.
std::string DatabaseState(const TestDatabase& db) {
  return db.Scalar(
      "SELECT 'predictions=' || (SELECT count(*) FROM predictions) || ' labels=' || (SELECT count(*) FROM "
      "labels) "
      "|| ' decisions=' || (SELECT count(*) FROM decisions) || ' audit=' || (SELECT count(*) FROM audit_log) "
      "|| "
      "' reference=' || (SELECT count(*) FROM reference_records) || ' models=' || (SELECT "
      "md5(string_agg(name || "
      "config::text || coalesce(webhook_secret, '') || updated_at::text, ',' ORDER BY name)) FROM models)");
}

void ExpectProblem(const HttpResponse& r, int status, const std::string& field) {
  ASSERT_EQ(r.status, status) << r.error << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  const json body = r.Json();
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body.value("status", 0), status);
  const std::string detail = body.value("detail", "");
  if (field.empty()) {
    EXPECT_FALSE(body.contains("field")) << r.body;
    return;
  }
  ASSERT_TRUE(body.contains("field")) << r.body;
  EXPECT_EQ(body["field"], field) << r.body;
  EXPECT_NE(detail.find(field), std::string::npos) << "detail: " << detail;
}

std::vector<std::string> Admin() { return {std::string("Authorization: Bearer ") + kAdminToken}; }

// Models of each kind the corpus addresses, with a few stored records and a few metric points.
void Seed(TestServer& server) {
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("bin", kHook)).status, 201);
  json multi = BinaryModel("multi", kHook);
  multi["task"] = "multiclass_classification";
  ASSERT_EQ(server.Call("POST", "/v1/models", multi).status, 201);
  multi["name"] = "animals";
  multi["classes"] = {"cat", "dog"};
  ASSERT_EQ(server.Call("POST", "/v1/models", multi).status, 201);
  json fraud = BinaryModel("fraud", kHook);
  fraud["classes"] = {"legit", "fraud"};
  ASSERT_EQ(server.Call("POST", "/v1/models", fraud).status, 201);
  for (int i = 0; i < 3; ++i) {
    const std::string id = "seed-" + std::to_string(i);
    const std::string ts = "2026-11-23T06:00:0" + std::to_string(i) + "Z";
    ASSERT_EQ(server
                  .Call("POST", "/v1/models/bin/predictions",
                        {{"records", {{{"id", id}, {"ts", ts}, {"prediction", i % 2}, {"score", 0.6}}}}})
                  .status,
              200);
    ASSERT_EQ(
        server.Call("POST", "/v1/models/bin/labels", {{"records", {{{"id", id}, {"label", 1}, {"ts", ts}}}}})
            .status,
        200);
  }
}

TEST(InputContract, CorpusGetsExactStatusAndFieldKeepsTheServerUpAndChangesNothing) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  for (const Case& k : Corpus()) {
    SCOPED_TRACE("case: " + k.name + " (" + k.method + " " + k.path.substr(0, 90) + ")");
    const std::string before = DatabaseState(db);
    ExpectProblem(server.Raw(k.method, k.path, k.body, Admin()), k.status, k.field);
    EXPECT_EQ(server.Raw("GET", "/healthz", "").status, 200);
    EXPECT_EQ(DatabaseState(db), before);
  }
}

bool IsRfc3339Utc(const std::string& s) {
  static const std::regex kTime(R"(^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{6})?Z$)");
  return std::regex_match(s, kTime);
}

// Every string member named like a time ("at", "*_at", "from", "to") anywhere in `doc`.
void CollectTimes(const json& doc, std::vector<std::string>& out) {
  if (doc.is_object()) {
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      const std::string& k = it.key();
      const bool timeish =
          k == "at" || k == "from" || k == "to" || (k.size() > 3 && k.substr(k.size() - 3) == "_at");
      if (timeish && it.value().is_string()) out.push_back(it.value().get<std::string>());
      CollectTimes(it.value(), out);
    }
  } else if (doc.is_array()) {
    for (const auto& v : doc) CollectTimes(v, out);
  }
}

// One record at the earliest time of the domain and one a day from now: every extreme time is refused,
// so the ledger (API, the /ui page that reads it, /metrics) reports a schedule baseline over that real
// span, and every time the API writes is RFC 3339 with a four-digit year.
TEST(InputContract, ExtremeTimesCannotPoisonTheLedgerOrTheTimesTheApiWrites) {
  TestDatabase db;
  TestServer server(db.url());
  json model = BinaryModel("ledger", kHook);
  model["retrain_cost"] = {{"energy_kwh", 40.0}, {"carbon_intensity_g_per_kwh", 400}};
  model["baseline_schedule_days"] = 7;
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  auto sustainability = [&] { return server.Call("GET", "/v1/models/ledger/sustainability").Json(); };
  // The /metrics gauge of the model's schedule baseline ("" while not exported yet).
  auto metrics_baseline = [&] {
    std::istringstream text(server.Raw("GET", "/metrics", "").body);
    for (std::string line; std::getline(text, line);) {
      if (line.rfind("driftgate_ledger_retrains{", 0) == 0 &&
          line.find("model=\"ledger\"") != std::string::npos &&
          line.find("kind=\"baseline\"") != std::string::npos) {
        return line.substr(line.rfind(' ') + 1);
      }
    }
    return std::string();
  };
  // /metrics may publish the ledger from a background computation: wait for it to show `value`.
  auto metrics_show = [&](const std::string& value) {
    return test_support::WaitUntil([&] { return metrics_baseline() == value; }, std::chrono::seconds(10));
  };
  ASSERT_EQ(server
                .Call("POST", "/v1/models/ledger/predictions",
                      {{"records",
                        {{{"id", "a"}, {"ts", "2026-11-23T00:00:00Z"}, {"prediction", 1}},
                         {{"id", "b"}, {"ts", "2026-12-07T00:00:00Z"}, {"prediction", 0}}}}})
                .status,
            200);
  const json before = sustainability();
  ASSERT_EQ(before["retrains"]["baseline"], 2) << before.dump();
  ASSERT_TRUE(metrics_show("2")) << metrics_baseline();
  for (const char* ts :
       {"0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-01:00", "2199-12-31T23:59:59Z", "1969-12-31T23:59:59.999999Z"}) {
    SCOPED_TRACE(ts);
    ExpectProblem(server.Raw("POST", "/v1/models/ledger/predictions",
                             Batch({{"id", std::string("x-") + ts}, {"ts", ts}, {"prediction", 1}}), Admin()),
                  400, "records[0].ts");
    ExpectProblem(server.Raw("POST", "/v1/models/ledger/labels",
                             Batch({{"id", "a"}, {"label", 1}, {"ts", ts}}), Admin()),
                  400, "records[0].ts");
  }
  EXPECT_EQ(sustainability(), before);
  EXPECT_EQ(metrics_baseline(), "2");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions"), "2");

  // The domain's own edges are stored and read back as they were sent.
  ASSERT_EQ(server
                .Call("POST", "/v1/models/ledger/predictions",
                      {{"records", {{{"id", "edge"}, {"ts", "1970-01-01T00:00:00Z"}, {"prediction", 1}}}}})
                .status,
            200);
  ASSERT_EQ(server
                .Call("POST", "/v1/models/ledger/labels",
                      {{"records", {{{"id", "edge"}, {"label", 1}, {"ts", "1970-01-01T00:00:00.000001Z"}}}}})
                .status,
            200);
  const json after = sustainability();
  EXPECT_EQ(after["period"]["from"], "1970-01-01T00:00:00Z") << after.dump();
  // 1970-01-01 .. 2026-12-07: 20794 days, 2970 weekly retrains; never the 521,722 of years 0001..9999.
  EXPECT_EQ(after["retrains"]["baseline"], 2970) << after.dump();
  EXPECT_TRUE(metrics_show("2970")) << metrics_baseline();
  std::vector<std::string> times;
  for (const std::string path :
       {"/v1/models/ledger/sustainability", "/v1/sustainability", "/v1/models/ledger",
        "/v1/models/ledger/metrics", "/v1/models/ledger/decisions", "/v1/audit"}) {
    CollectTimes(server.Call("GET", path).Json(), times);
  }
  EXPECT_GE(times.size(), 8u);
  for (const auto& t : times) EXPECT_TRUE(IsRfc3339Utc(t)) << t;
}

// Pages of one listing chain; a cursor only works on the listing it came from.
TEST(InputContract, CursorsAreBoundToTheirModelAndQuery) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  const std::string base = "/v1/models/bin/metrics?from=2026-11-01T00:00:00Z&limit=1";
  std::vector<std::string> seen;
  std::string cursor;
  std::string first_cursor;
  for (int page = 0; page < 10; ++page) {
    auto r = server.Call("GET", base + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(r.status, 200) << r.body;
    const json doc = r.Json();
    for (const auto& m : doc["metrics"]) seen.push_back(m["at"]);
    if (doc["next_cursor"].is_null()) break;
    cursor = doc["next_cursor"];
    if (first_cursor.empty()) first_cursor = cursor;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"2026-11-23T06:00:00Z", "2026-11-23T06:00:01Z",
                                            "2026-11-23T06:00:02Z"}));
  ASSERT_FALSE(first_cursor.empty());
  // A different page size is the same listing.
  EXPECT_EQ(
      server.Call("GET", "/v1/models/bin/metrics?from=2026-11-01T00:00:00Z&limit=5&cursor=" + first_cursor)
          .status,
      200);
  const std::string before = DatabaseState(db);
  for (const std::string& other :
       {"/v1/models/multi/metrics?from=2026-11-01T00:00:00Z&cursor=" + first_cursor,
        "/v1/models/bin/metrics?from=2026-11-02T00:00:00Z&cursor=" + first_cursor,
        "/v1/models/bin/metrics?cursor=" + first_cursor,
        "/v1/models/bin/metrics?kind=estimated&from=2026-11-01T00:00:00Z&cursor=" + first_cursor,
        "/v1/models/bin/decisions?from=2026-11-01T00:00:00Z&cursor=" + first_cursor,
        "/v1/audit?from=2026-11-01T00:00:00Z&cursor=" + first_cursor,
        "/v1/models/bin/metrics?from=2026-11-01T00:00:00Z&cursor=" +
            first_cursor.substr(0, first_cursor.size() - 1) + (first_cursor.back() == '0' ? "1" : "0")}) {
    SCOPED_TRACE(other);
    ExpectProblem(server.Raw("GET", other, "", Admin()), 400, "cursor");
  }
  EXPECT_EQ(server.Raw("GET", "/healthz", "").status, 200);
  EXPECT_EQ(DatabaseState(db), before);
}

TEST(InputContract, ClassesAreCanonicalAndDeclaredBinaryClassesMapToZeroAndOne) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  // "1.0", 1 and "1e0" are one class; the multiclass score keys "0.50" and "0.5" would be one too.
  ASSERT_EQ(server
                .Call("POST", "/v1/models/multi/predictions",
                      {{"records",
                        {{{"id", "m-1"}, {"prediction", "1.0"}, {"score", {{"1", 0.7}, {"2", 0.3}}}},
                         {{"id", "m-2"}, {"prediction", 2}, {"score", {{"1.0", 0.2}, {"2e0", 0.795}}}}}}})
                .status,
            200);
  auto labels =
      server.Call("POST", "/v1/models/multi/labels",
                  {{"records", {{{"id", "m-1"}, {"label", 1}}, {{"id", "m-2"}, {"label", "2.0"}}}}});
  ASSERT_EQ(labels.status, 200) << labels.body;
  EXPECT_EQ(
      db.Scalar("SELECT string_agg(DISTINCT pred_class, ',' ORDER BY pred_class) FROM predictions p JOIN "
                "models m ON m.id = p.model_id WHERE m.name = 'multi'"),
      "1,2");
  const json metrics = server.Call("GET", "/v1/models/multi/metrics").Json();
  ASSERT_FALSE(metrics["metrics"].empty()) << metrics.dump();
  EXPECT_EQ(metrics["metrics"].back()["kpis"]["accuracy"]["value"], 1.0) << metrics.dump();

  // A binary model declaring [legit, fraud]: fraud is the positive class "1".
  ASSERT_EQ(server
                .Call("POST", "/v1/models/fraud/predictions",
                      {{"records",
                        {{{"id", "f-1"}, {"prediction", "fraud"}, {"score", 0.9}},
                         {{"id", "f-2"}, {"prediction", "legit"}, {"score", 0.2}}}}})
                .status,
            200);
  ASSERT_EQ(
      server
          .Call("POST", "/v1/models/fraud/labels",
                {{"records", {{{"id", "f-1"}, {"label", "fraud"}}, {{"id", "f-2"}, {"label", "fraud"}}}}})
          .status,
      200);
  EXPECT_EQ(
      db.Scalar("SELECT string_agg(pred_class, ',' ORDER BY record_id) FROM predictions p JOIN models m ON "
                "m.id = p.model_id WHERE m.name = 'fraud'"),
      "1,0");
  const json fraud = server.Call("GET", "/v1/models/fraud").Json();
  EXPECT_EQ(fraud["classes"], json({"legit", "fraud"}));
  EXPECT_EQ(
      server.Call("GET", "/v1/models/fraud/metrics").Json()["metrics"].back()["kpis"]["accuracy"]["value"],
      0.5);
}

TEST(InputContract, PatchChangesOnlyTheMembersItNamesAndIsAudited) {
  TestDatabase db;
  TestServer server(db.url());
  json doc = BinaryModel("m", kHook);
  doc["evaluation"] = {{"window", 500}, {"min_samples", 100}, {"confidence", 0.9}};
  doc["policy"] = {{"cooldown_seconds", 60}, {"max_retrains_per_day", 5}};
  doc["detectors"] = {{{"type", "ddm"}}};
  ASSERT_EQ(server.Call("POST", "/v1/models", doc).status, 201);
  const json before = server.Call("GET", "/v1/models/m").Json();

  auto r = server.Call(
      "PATCH", "/v1/models/m",
      {{"kpis", {{{"metric", "accuracy"}, {"min", 0.7}}}}, {"policy", {{"cooldown_seconds", 120}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  json after = r.Json();
  EXPECT_EQ(after["kpis"], json::parse(R"([{"metric": "accuracy", "min": 0.7}])"));
  EXPECT_EQ(after["policy"]["cooldown_seconds"], 120);
  EXPECT_EQ(after["policy"]["max_retrains_per_day"], 5);  // merged, not replaced
  EXPECT_EQ(after["evaluation"], before["evaluation"]);
  EXPECT_EQ(after["detectors"], before["detectors"]);
  EXPECT_EQ(after["webhook"], before["webhook"]);
  EXPECT_EQ(server.Call("GET", "/v1/models/m").Json()["kpis"], after["kpis"]);
  // The secret stays as it was (no member of the patch names it), sealed again at rest.
  EXPECT_EQ(
      test_support::TestSecretBox().Open(db.Scalar("SELECT webhook_secret FROM models WHERE name = 'm'"),
                                         service::kWebhookSecretPurpose),
      std::optional<std::string>("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  EXPECT_EQ(db.Scalar("SELECT detail->>'members' FROM audit_log WHERE action = 'model.patch'"),
            R"(["kpis", "policy"])");

  // null removes a member: the default comes back.
  r = server.Call("PATCH", "/v1/models/m", {{"policy", {{"max_retrains_per_day", nullptr}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["policy"]["max_retrains_per_day"], 3);
  EXPECT_EQ(r.Json()["policy"]["cooldown_seconds"], 120);

  // PUT stays a replace: members it omits go back to their defaults.
  json put = BinaryModel("m", kHook);
  put.erase("detectors");
  r = server.Call("PUT", "/v1/models/m", put);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(r.Json()["detectors"].empty());
  EXPECT_EQ(r.Json()["evaluation"]["window"], 1000);
}

// `/ui/` (trailing slash) is the page, as `/ui` is.
TEST(InputContract, UiWithATrailingSlashServesThePage) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("dg-ui-slash-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "index.html") << "<!doctype html><title>ops</title>";
  TestDatabase db;
  TestServer server(db.url(), TestServerOptions{.ui_dir = dir.string()});
  for (const char* path : {"/ui", "/ui/"}) {
    SCOPED_TRACE(path);
    const auto r = server.Raw("GET", path, "");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8");
    EXPECT_EQ(r.body, "<!doctype html><title>ops</title>");
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace driftgate

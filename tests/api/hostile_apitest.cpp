// Hostile and malformed requests against the real server (in-process, port 0, real HTTP, a fresh
// PostgreSQL database per test). Each request must get the right 4xx as problem+json whose `status` is the
// HTTP status and whose `detail` names the offending field; the server must stay up and the database must
// not change. The corpus is a table: adding a case is one line in Corpus().
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "tests/support/test_db.h"
#include "tests/support/test_server.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::HttpResponse;
using test_support::kAdminToken;
using test_support::TestDatabase;
using test_support::TestServer;
using test_support::TestServerOptions;

constexpr std::size_t kMaxRecords = 100;  // the corpus server's batch limit

enum class Auth { kAdmin, kNone, kWrong, kEmptyBearer, kBasic };

struct Case {
  std::string name;
  std::string method;
  std::string path;
  std::string body;
  int status;
  std::string field;  // must appear in `detail`; empty when no field applies
  Auth auth;
};

// A prediction batch of one record: the valid base record with `patch` merged in (RFC 7386: null removes).
std::string Pred(const json& patch = json::object()) {
  json rec{{"id", "h-1"},
           {"ts", "2026-11-23T06:00:00Z"},
           {"features", {{"amount", 12.5}}},
           {"prediction", 1},
           {"score", 0.8}};
  rec.merge_patch(patch);
  return json{{"records", json::array({rec})}}.dump();
}

std::string Label(const json& patch = json::object()) {
  json rec{{"id", "h-1"}, {"label", 1}, {"ts", "2026-11-23T07:00:00Z"}};
  rec.merge_patch(patch);
  return json{{"records", json::array({rec})}}.dump();
}

// A model document: a valid binary model named `name` with `patch` merged in.
std::string Model(const json& patch = json::object(), const std::string& name = "fresh") {
  json doc = BinaryModel(name, "http://127.0.0.1:9/hooks/retrain");
  doc.merge_patch(patch);
  return doc.dump();
}

std::string Nested(char open, char close, std::size_t depth) {
  std::string body = open == '{' ? "{\"records\":" : "{\"records\":[";
  for (std::size_t i = 0; i < depth; ++i) body += open == '{' ? "{\"a\":" : "[";
  body += "1";
  for (std::size_t i = 0; i < depth; ++i) body += close;
  return body + (open == '{' ? "}" : "]}");
}

std::string ManyRecords(std::size_t n) {
  json records = json::array();
  for (std::size_t i = 0; i < n; ++i)
    records.push_back({{"id", "many-" + std::to_string(i)}, {"prediction", 1}});
  return json{{"records", records}}.dump();
}

std::vector<Case> Corpus() {
  std::vector<Case> c;
  auto add = [&c](std::string name, std::string method, std::string path, std::string body, int status,
                  std::string field, Auth auth = Auth::kAdmin) {
    c.push_back(Case{std::move(name), std::move(method), std::move(path), std::move(body), status,
                     std::move(field), auth});
  };
  const std::string preds = "/v1/models/bin/predictions";
  const std::string labels = "/v1/models/bin/labels";
  const std::string status = "/v1/models/bin/retrains/00000000-0000-4000-8000-000000000000/status";
  const std::string big = "123456789012345678901234567890";
  // -- envelope
  add("truncated JSON", "POST", preds, R"({"records": [{"id": "h-1", "prediction": 1)", 400, "body");
  add("empty body", "POST", preds, "", 400, "body");
  add("body null", "POST", preds, "null", 400, "body");
  add("body is an array", "POST", preds, R"([{"id": "h-1", "prediction": 1}])", 400, "body");
  add("body is a string", "POST", preds, R"("records")", 400, "body");
  add("records missing", "POST", preds, "{}", 400, "records");
  add("records not an array", "POST", preds, R"({"records": {"id": "h-1"}})", 400, "records");
  add("records a string", "POST", preds, R"({"records": "h-1"})", 400, "records");
  add("unknown top-level field", "POST", preds, R"({"records": [], "mode": "upsert"})", 400, "mode");
  // An empty member name is named `""` (ingest_fuzz found it answered with a blank field).
  add("empty top-level member name", "POST", preds, R"({"": [{"id": "p", "label": 0}]})", 400, R"("")");
  add("empty member name in a record", "POST", preds, R"({"records": [{"id": "p", "prediction": 1, "": 2}]})",
      400, R"(records[0]."")");
  add("empty member name in a model", "POST", "/v1/models", Model({{"", 1}}), 400, R"("")");
  add("record not an object", "POST", preds, R"({"records": [42]})", 400, "records[0]");
  add("too many records", "POST", preds, ManyRecords(kMaxRecords + 1), 413, "records");
  add("100k-deep arrays", "POST", preds, Nested('[', ']', 100000), 400, "body");
  add("100k-deep objects", "POST", preds, Nested('{', '}', 100000), 400, "body");
  add("33-deep arrays", "POST", preds, Nested('[', ']', 33), 400, "body");
  add("invalid UTF-8 C3 28", "POST", preds, "{\"records\": [{\"id\": \"\xC3\x28\", \"prediction\": 1}]}", 400,
      "body");
  add("invalid UTF-8 FF", "POST", preds, "{\"records\": [{\"id\": \"h-1\", \"prediction\": \"\xFF\"}]}", 400,
      "body");
  add("lone UTF-16 surrogate", "POST", preds, R"({"records": [{"id": "\ud800", "prediction": 1}]})", 400,
      "body");
  // -- predictions: every field, wrong types and values
  add("id missing", "POST", preds, Pred({{"id", nullptr}}), 400, "records[0].id");
  add("id a number", "POST", preds, Pred({{"id", 7}}), 400, "records[0].id");
  add("id an object", "POST", preds, Pred({{"id", {{"a", 1}}}}), 400, "records[0].id");
  add("id empty", "POST", preds, Pred({{"id", ""}}), 400, "records[0].id");
  add("id too long", "POST", preds, Pred({{"id", std::string(1025, 'x')}}), 400, "records[0].id");
  add("id with NUL", "POST", preds, Pred({{"id", std::string("a\0b", 3)}}), 400, "records[0].id");
  add("id SQL injection + control char", "POST", preds, Pred({{"id", "1'); DROP TABLE predictions;--\x07"}}),
      400, "records[0].id");
  add("duplicate ids in a batch", "POST", preds,
      R"({"records": [{"id": "d", "prediction": 1}, {"id": "d", "prediction": 0}]})", 400, "records[1].id");
  add("ts a number", "POST", preds, Pred({{"ts", 1700000000}}), 400, "records[0].ts");
  add("ts not RFC 3339", "POST", preds, Pred({{"ts", "23/11/2026 06:00"}}), 400, "records[0].ts");
  add("ts impossible date", "POST", preds, Pred({{"ts", "2026-02-30T00:00:00Z"}}), 400, "records[0].ts");
  add("ts month 13", "POST", preds, Pred({{"ts", "2026-13-01T00:00:00Z"}}), 400, "records[0].ts");
  add("ts hour 24", "POST", preds, Pred({{"ts", "2026-11-23T24:00:00Z"}}), 400, "records[0].ts");
  add("ts without zone", "POST", preds, Pred({{"ts", "2026-11-23T06:00:00"}}), 400, "records[0].ts");
  add("prediction missing", "POST", preds, Pred({{"prediction", nullptr}}), 400, "records[0].prediction");
  add("prediction null", "POST", preds, R"({"records": [{"id": "h-1", "prediction": null}]})", 400,
      "records[0].prediction");
  add("prediction a boolean", "POST", preds, Pred({{"prediction", true}}), 400, "records[0].prediction");
  add("prediction an array", "POST", preds, Pred({{"prediction", {1, 0}}}), 400, "records[0].prediction");
  add("prediction NaN", "POST", preds, R"({"records": [{"id": "h-1", "prediction": NaN}]})", 400, "body");
  add("prediction Infinity", "POST", preds, R"({"records": [{"id": "h-1", "prediction": Infinity}]})", 400,
      "body");
  add("prediction -Infinity", "POST", preds, R"({"records": [{"id": "h-1", "prediction": -Infinity}]})", 400,
      "body");
  // A number beyond double's range is "number out of range", named by its path.
  add("prediction 1e400", "POST", preds, R"({"records": [{"id": "h-1", "prediction": 1e400}]})", 400,
      "records[0].prediction: number out of range");
  add("prediction -1e400", "POST", preds, R"({"records": [{"id": "h-1", "prediction": -1e400}]})", 400,
      "records[0].prediction: number out of range");
  add("prediction a control-char class", "POST", preds, Pred({{"prediction", "a\x1b[2J"}}), 400,
      "records[0].prediction");
  add("score above 1", "POST", preds, Pred({{"score", 1.5}}), 400, "records[0].score");
  add("score below 0", "POST", preds, Pred({{"score", -0.1}}), 400, "records[0].score");
  add("score a string", "POST", preds, Pred({{"score", "0.8"}}), 400, "records[0].score");
  add("score 1e400", "POST", preds, R"({"records": [{"id": "h-1", "prediction": 1, "score": 1e400}]})", 400,
      "records[0].score");
  add("score 30-digit integer", "POST", preds,
      R"({"records": [{"id": "h-1", "prediction": 1, "score": )" + big + "}]}", 400, "records[0].score");
  add("score object on a binary model", "POST", preds, Pred({{"score", {{"1", 0.7}, {"0", 0.3}}}}), 400,
      "records[0].score");
  add("class score out of range", "POST", "/v1/models/multi/predictions",
      Pred({{"prediction", "cat"}, {"score", {{"cat", 2.0}}}}), 400, "records[0].score.cat");
  add("features an array", "POST", preds, Pred({{"features", {1, 2}}}), 400, "records[0].features");
  add("feature value an object", "POST", preds, Pred({{"features", {{"f", {{"x", 1}}}}}}), 400,
      "records[0].features.f");
  add("feature value a boolean", "POST", preds, Pred({{"features", {{"f", false}}}}), 400,
      "records[0].features.f");
  add("feature value NaN", "POST", preds,
      R"({"records": [{"id": "h-1", "prediction": 1, "features": {"f": NaN}}]})", 400, "body");
  add("feature value -1e400", "POST", preds,
      R"({"records": [{"id": "h-1", "prediction": 1, "features": {"f": -1e400}}]})", 400,
      "records[0].features.f");
  add("feature value with NUL", "POST", preds, Pred({{"features", {{"f", std::string("x\0y", 3)}}}}), 400,
      "records[0].features.f");
  add("feature name empty", "POST", preds, Pred({{"features", {{"", 1}}}}), 400, "records[0].features");
  add("feature name SQL injection + newline", "POST", preds,
      Pred({{"features", {{"x'); DELETE FROM labels;--\n", 1}}}}), 400, "records[0].features");
  add("segment a number", "POST", preds, Pred({{"segment", 5}}), 400, "records[0].segment");
  add("segment with a tab", "POST", preds, Pred({{"segment", "eu\tus"}}), 400, "records[0].segment");
  add("unknown record field", "POST", preds, Pred({{"label", 1}}), 400, "records[0].label");
  add("string prediction on a regression model", "POST", "/v1/models/reg/predictions",
      Pred({{"prediction", "high"}, {"score", nullptr}}), 400, "records[0].prediction");
  add("score on a regression model", "POST", "/v1/models/reg/predictions", Pred({{"prediction", 3.5}}), 400,
      "records[0].score");
  add("predictions for an unknown model", "POST", "/v1/models/nosuch/predictions", Pred(), 404, "nosuch");
  add("SQL injection in the model name", "POST", "/v1/models/x';DELETE%20FROM%20models;--/predictions",
      Pred(), 404, "DELETE");
  // -- labels
  add("label for an unknown model", "POST", "/v1/models/nosuch/labels", Label(), 404, "nosuch");
  add("label missing", "POST", labels, Label({{"label", nullptr}}), 400, "records[0].label");
  add("label a boolean", "POST", labels, Label({{"label", false}}), 400, "records[0].label");
  add("label an object", "POST", labels, Label({{"label", {{"v", 1}}}}), 400, "records[0].label");
  add("label 1e400", "POST", labels, R"({"records": [{"id": "h-1", "label": 1e400}]})", 400,
      "records[0].label");
  add("label NaN", "POST", labels, R"({"records": [{"id": "h-1", "label": NaN}]})", 400, "body");
  add("label string on a regression model", "POST", "/v1/models/reg/labels", Label({{"label", "high"}}), 400,
      "records[0].label");
  add("label ts impossible date", "POST", labels, Label({{"ts", "2026-02-30T00:00:00Z"}}), 400,
      "records[0].ts");
  add("label with a prediction field", "POST", labels, Label({{"prediction", 1}}), 400,
      "records[0].prediction");
  add("label id a number", "POST", labels, Label({{"id", 1}}), 400, "records[0].id");
  add("labels duplicate ids", "POST", labels,
      R"({"records": [{"id": "x", "label": 1}, {"id": "x", "label": 0}]})", 400, "records[1].id");
  // -- model documents
  add("model body truncated", "POST", "/v1/models", R"({"name": "fresh", "task": )", 400, "body");
  add("model body an array", "POST", "/v1/models", "[]", 400, "body");
  add("model name missing", "POST", "/v1/models", Model({{"name", nullptr}}), 400, "name");
  add("model name a number", "POST", "/v1/models", Model({{"name", 42}}), 400, "name");
  add("model name SQL injection", "POST", "/v1/models", Model({{"name", "x'; DROP TABLE models; --"}}), 400,
      "name");
  add("model name with a control char", "POST", "/v1/models", Model({{"name", "fr\x01sh"}}), 400, "name");
  add("model name upper case", "POST", "/v1/models", Model({{"name", "Fresh"}}), 400, "name");
  add("model name 65 chars", "POST", "/v1/models", Model({{"name", std::string(65, 'a')}}), 400, "name");
  add("model task missing", "POST", "/v1/models", Model({{"task", nullptr}}), 400, "task");
  add("model task a number", "POST", "/v1/models", Model({{"task", 1}}), 400, "task");
  add("model task unknown", "POST", "/v1/models", Model({{"task", "ranking"}}), 400, "task");
  add("model kpis an object", "POST", "/v1/models", Model({{"kpis", {{"metric", "accuracy"}}}}), 400, "kpis");
  add("model kpis empty", "POST", "/v1/models", Model({{"kpis", json::array()}}), 400, "kpis");
  add("model kpi a string", "POST", "/v1/models", Model({{"kpis", {"accuracy"}}}), 400, "kpis[0]");
  add("model kpi metric unknown", "POST", "/v1/models",
      Model({{"kpis", {{{"metric", "vibes"}, {"min", 1}}}}}), 400, "kpis[0].metric");
  add("model kpi metric for another task", "POST", "/v1/models",
      Model({{"kpis", {{{"metric", "mae"}, {"max", 1}}}}}), 400, "kpis[0].metric");
  add("model kpi min a string", "POST", "/v1/models",
      Model({{"kpis", {{{"metric", "accuracy"}, {"min", "0.9"}}}}}), 400, "kpis[0].min");
  add("model kpi min 1e400", "POST", "/v1/models",
      R"({"name": "fresh", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 1e400}],
          "webhook": {"url": "http://127.0.0.1:9/h"}})",
      400, "kpis[0].min");
  add("model kpi min and max", "POST", "/v1/models",
      Model({{"kpis", {{{"metric", "accuracy"}, {"min", 0.5}, {"max", 0.9}}}}}), 400, "kpis[0]");
  add("model evaluation a number", "POST", "/v1/models", Model({{"evaluation", 5}}), 400, "evaluation");
  add("model window a string", "POST", "/v1/models", Model({{"evaluation", {{"window", "1000"}}}}), 400,
      "evaluation.window");
  add("model window 30 digits", "POST", "/v1/models",
      R"({"name": "fresh", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.8}],
          "evaluation": {"window": )" +
          big + R"(}, "webhook": {"url": "http://127.0.0.1:9/h"}})",
      400, "evaluation.window");
  add("model window negative", "POST", "/v1/models", Model({{"evaluation", {{"window", -1}}}}), 400,
      "evaluation.window");
  add("model confidence 2", "POST", "/v1/models", Model({{"evaluation", {{"confidence", 2}}}}), 400,
      "evaluation.confidence");
  add("model detectors an object", "POST", "/v1/models", Model({{"detectors", {{"type", "adwin"}}}}), 400,
      "detectors");
  add("model detector type missing", "POST", "/v1/models", Model({{"detectors", {{{"delta", 0.1}}}}}), 400,
      "detectors[0].type");
  add("model detector param a string", "POST", "/v1/models",
      Model({{"detectors", {{{"type", "adwin"}, {"delta", "small"}}}}}), 400, "delta");
  add("model cooldown fractional", "POST", "/v1/models", Model({{"policy", {{"cooldown_seconds", 1.5}}}}),
      400, "policy.cooldown_seconds");
  add("model webhook missing", "POST", "/v1/models", Model({{"webhook", nullptr}}), 400, "webhook");
  add("model webhook url ftp", "POST", "/v1/models", Model({{"webhook", {{"url", "ftp://127.0.0.1/h"}}}}),
      400, "webhook.url");
  add("model webhook url with credentials", "POST", "/v1/models",
      Model({{"webhook", {{"url", "http://u:p@127.0.0.1/h"}}}}), 400, "webhook.url");
  add("model webhook secret a number", "POST", "/v1/models", Model({{"webhook", {{"secret", 5}}}}), 400,
      "webhook.secret");
  add("model webhook secret with NUL", "POST", "/v1/models",
      Model({{"webhook", {{"secret", std::string("raw-secret\0tail", 15)}}}}), 400, "webhook.secret");
  add("model drift test column with NUL", "POST", "/v1/models",
      Model({{"drift", {{"tests", {{std::string("col\0", 4), "ks"}}}}}}), 400, "drift.tests");
  add("model unknown field", "POST", "/v1/models", Model({{"owner", "me"}}), 400, "owner");
  add("model name already exists", "POST", "/v1/models", Model(json::object(), "bin"), 409, "bin");
  add("PUT name differs from the path", "PUT", "/v1/models/bin", Model(json::object(), "other"), 400, "name");
  add("PUT on an unknown model", "PUT", "/v1/models/nosuch", Model(json::object(), "nosuch"), 404, "nosuch");
  add("PUT changes the task", "PUT", "/v1/models/bin",
      Model({{"task", "regression"}, {"kpis", {{{"metric", "mae"}, {"max", 1}}}}}, "bin"), 409, "task");
  add("DELETE an unknown model", "DELETE", "/v1/models/nosuch", "", 404, "nosuch");
  // -- history queries
  add("history limit=0", "GET", "/v1/models/bin/decisions?limit=0", "", 400, "limit");
  add("history limit=abc", "GET", "/v1/models/bin/metrics?limit=abc", "", 400, "limit");
  add("history limit=1001", "GET", "/v1/models/bin/drift?limit=1001", "", 400, "limit");
  add("history limit=-5", "GET", "/v1/models/bin/retrains?limit=-5", "", 400, "limit");
  add("history cursor garbage", "GET", "/v1/models/bin/decisions?cursor=garbage", "", 400, "cursor");
  add("history cursor not numeric", "GET", "/v1/models/bin/decisions?cursor=cabc_def", "", 400, "cursor");
  add("history cursor time out of range", "GET", "/v1/models/bin/decisions?cursor=c-9223372036854775808_1",
      "", 400, "cursor");
  add("history from garbage", "GET", "/v1/models/bin/metrics?from=yesterday", "", 400, "from");
  add("history to impossible date", "GET", "/v1/models/bin/drift?to=2026-02-30T00:00:00Z", "", 400, "to");
  add("history of an unknown model", "GET", "/v1/models/nosuch/decisions", "", 404, "nosuch");
  // -- retrain status reports
  add("retrain status unknown", "POST", status, R"({"status": "done"})", 400, "status");
  add("retrain status missing", "POST", status, R"({"model_version": "v2"})", 400, "status");
  add("retrain status a number", "POST", status, R"({"status": 1})", 400, "status");
  add("retrain model_version a number", "POST", status, R"({"status": "running", "model_version": 2})", 400,
      "model_version");
  add("retrain unknown field", "POST", status, R"({"status": "running", "eta": 5})", 400, "eta");
  add("retrain body an array", "POST", status, R"(["running"])", 400, "body");
  add("retrain unknown id", "POST", status, R"({"status": "running"})", 404,
      "00000000-0000-4000-8000-000000000000");
  add("retrain non-uuid id", "POST", "/v1/models/bin/retrains/1%20OR%201=1/status",
      R"({"status": "running"})", 404, "1%20OR%201=1");
  add("retrain for an unknown model", "POST",
      "/v1/models/nosuch/retrains/00000000-0000-4000-8000-000000000000/status", R"({"status": "running"})",
      404, "nosuch");
  add("revoke an unknown token", "DELETE", "/v1/tokens/999999", "", 404, "999999");
  add("token request an array", "POST", "/v1/tokens", "[]", 400, "body");
  add("backtest body null", "POST", "/v1/models/bin/backtest", "null", 400, "body");
  // -- routing and auth
  add("wrong method on predictions", "DELETE", preds, "", 405, "DELETE");
  add("wrong method on models", "PATCH", "/v1/models", "{}", 405, "PATCH");
  add("wrong method on healthz", "POST", "/healthz", "", 405, "POST");
  add("unknown path", "GET", "/v1/nothing", "", 404, "/v1/nothing");
  add("unknown path below a model", "GET", "/v1/models/bin/predictions/extra", "", 404, "/v1/models/bin");
  add("path traversal", "GET", "/v1/models/../../etc/passwd", "", 404, "");
  add("missing token", "POST", preds, Pred(), 401, "", Auth::kNone);
  add("wrong token", "POST", labels, Label(), 401, "", Auth::kWrong);
  add("empty bearer token", "GET", "/v1/models", "", 401, "", Auth::kEmptyBearer);
  add("basic auth", "DELETE", "/v1/models/bin", "", 401, "", Auth::kBasic);
  return c;
}

std::vector<std::string> Headers(Auth auth) {
  switch (auth) {
    case Auth::kAdmin:
      return {std::string("Authorization: Bearer ") + kAdminToken};
    case Auth::kNone:
      return {};
    case Auth::kWrong:
      return {"Authorization: Bearer not-the-admin-token-at-all"};
    case Auth::kEmptyBearer:
      return {"Authorization: Bearer "};
    case Auth::kBasic:
      return {"Authorization: Basic YWRtaW46YWRtaW4="};
  }
  return {};
}

// Every table a rejected request could touch, and the models' content (a PUT changes no row count).
std::string DatabaseState(const TestDatabase& db) {
  return db.Scalar(
      "SELECT 'predictions=' || (SELECT count(*) FROM predictions) || ' labels=' || (SELECT count(*) FROM "
      "labels) || "
      "' models=' || (SELECT count(*) FROM models) || ' decisions=' || (SELECT count(*) FROM decisions) || "
      "' retrains=' || (SELECT count(*) FROM retrains) || ' reference=' || (SELECT count(*) FROM "
      "reference_records) "
      "|| ' models_md5=' || (SELECT md5(string_agg(name || config::text || coalesce(webhook_secret, '') || "
      "updated_at::text, ',' ORDER BY name)) FROM models)");
}

// Status, media type and RFC 9457 body of one problem answer.
void ExpectProblem(const HttpResponse& r, int status, const std::string& field) {
  ASSERT_EQ(r.status, status) << r.error << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  const json body = r.Json();
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body.value("status", 0), status) << r.body;
  EXPECT_TRUE(body.contains("type") && body.contains("title")) << r.body;
  ASSERT_TRUE(body.contains("detail") && body["detail"].is_string()) << r.body;
  const std::string detail = body["detail"].get<std::string>();
  EXPECT_FALSE(detail.empty());
  if (!field.empty()) {
    EXPECT_NE(detail.find(field), std::string::npos) << "detail: " << detail;
  }
  if (status == 405) {
    EXPECT_FALSE(r.Header("allow").empty());
  }
  if (status == 401) {
    EXPECT_EQ(r.Header("www-authenticate"), "Bearer");
  }
}

void ExpectAlive(TestServer& server) {
  auto health = server.Raw("GET", "/healthz", "");
  EXPECT_EQ(health.status, 200) << health.error;
}

// Three models (one per task) with a few stored records, so "unchanged" compares non-empty tables.
void Seed(TestServer& server) {
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("bin", "http://127.0.0.1:9/hooks/retrain")).status,
            201);
  json multi = BinaryModel("multi", "http://127.0.0.1:9/hooks/retrain");
  multi["task"] = "multiclass_classification";
  ASSERT_EQ(server.Call("POST", "/v1/models", multi).status, 201);
  json reg = BinaryModel("reg", "http://127.0.0.1:9/hooks/retrain");
  reg["task"] = "regression";
  reg["kpis"] = {{{"metric", "mae"}, {"max", 1.0}}};
  reg["detectors"] = json::array();
  ASSERT_EQ(server.Call("POST", "/v1/models", reg).status, 201);
  json preds = {{"records", json::array()}}, labels = {{"records", json::array()}};
  for (int i = 0; i < 3; ++i) {
    preds["records"].push_back({{"id", "seed-" + std::to_string(i)},
                                {"ts", "2026-11-23T06:00:0" + std::to_string(i) + "Z"},
                                {"prediction", i % 2},
                                {"score", 0.6}});
    labels["records"].push_back({{"id", "seed-" + std::to_string(i)}, {"label", 1}});
  }
  ASSERT_EQ(server.Call("POST", "/v1/models/bin/predictions", preds).status, 200);
  ASSERT_EQ(server.Call("POST", "/v1/models/bin/labels", labels).status, 200);
}

TEST(Hostile, CorpusGetsProblemJsonKeepsTheServerUpAndChangesNothing) {
  TestDatabase db;
  TestServerOptions options;
  options.max_records = kMaxRecords;
  TestServer server(db.url(), options);
  Seed(server);
  const std::vector<Case> corpus = Corpus();
  ASSERT_GE(corpus.size(), 40u);
  for (const Case& k : corpus) {
    SCOPED_TRACE("case: " + k.name + " (" + k.method + " " + k.path.substr(0, 80) + ")");
    const std::string before = DatabaseState(db);
    ExpectProblem(server.Raw(k.method, k.path, k.body, Headers(k.auth)), k.status, k.field);
    ExpectAlive(server);
    EXPECT_EQ(DatabaseState(db), before);
  }
}

// A request written byte for byte on a fresh connection (for bytes an HTTP client would escape), read
// until the server has sent one whole answer.
HttpResponse RawExchange(std::uint16_t port, const std::string& request) {
  HttpResponse out;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval timeout{.tv_sec = 10, .tv_usec = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(request.size())) {
    out.error = "connect/send failed";
    ::close(fd);
    return out;
  }
  std::string data;
  char buf[4096];
  std::size_t body_at = std::string::npos, length = 0;
  while (body_at == std::string::npos || data.size() < body_at + length) {
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    data.append(buf, static_cast<std::size_t>(n));
    if (body_at == std::string::npos && (body_at = data.find("\r\n\r\n")) != std::string::npos) {
      body_at += 4;
      const auto cl = data.find("Content-Length: ");
      length = cl < body_at ? std::stoul(data.substr(cl + 16)) : 0;
    }
  }
  ::close(fd);
  if (body_at == std::string::npos || data.rfind("HTTP/1.1 ", 0) != 0) {
    out.error = "no complete answer: " + data.substr(0, 200);
    return out;
  }
  out.status = std::stoi(data.substr(9, 3));
  const auto ct = data.find("Content-Type: ");
  if (ct < body_at) out.headers["content-type"] = data.substr(ct + 14, data.find("\r\n", ct) - ct - 14);
  out.body = data.substr(body_at, length);
  return out;
}

TEST(Hostile, RawBytesInPathParametersAreNotFoundNotServerErrors) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  const std::string auth = std::string("Authorization: Bearer ") + kAdminToken + "\r\n";
  const std::string body = Pred();
  struct Raw {
    std::string request;
    std::string detail;  // expected in the problem's detail
  };
  const std::vector<Raw> requests = {
      {"GET /v1/models/" + std::string("\xFF\0x", 3) + " HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n",
       "no route"},
      {"GET /v1/models/a\xC3\x28/decisions HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n", "no route"},
      {"DELETE /v1/tokens/\xC0\xAF HTTP/1.1\r\nHost: t\r\n" + auth + "\r\n", "no route"},
      {"POST /v1/models/\x01\x7F/predictions HTTP/1.1\r\nHost: t\r\n" + auth +
           "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body,
       "does not exist"},
  };
  for (const Raw& raw : requests) {
    SCOPED_TRACE(raw.request.substr(0, raw.request.find('\r')));
    const std::string before = DatabaseState(db);
    ExpectProblem(RawExchange(server.port(), raw.request), 404, raw.detail);
    ExpectAlive(server);
    EXPECT_EQ(DatabaseState(db), before);
  }
}

TEST(Hostile, SqlInjectionInValidIdsAndFeatureNamesIsStoredVerbatim) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  const std::string id = "1'); DROP TABLE predictions; --";
  const std::string feature = "x\"); DELETE FROM models; --";
  const std::string value = "' OR '1'='1";
  json preds = {{"records", {{{"id", id}, {"prediction", 1}, {"features", {{feature, value}}}}}}};
  auto r = server.Call("POST", "/v1/models/bin/predictions", preds);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Json()["accepted"], 1);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM models"), "3");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions"), "4");
  EXPECT_EQ(json::parse(db.StoredFeatures(id))[feature], value);
}

TEST(Hostile, BodyJustOverTheLimitGets413ProblemJson) {
  TestDatabase db;
  TestServerOptions options;
  options.max_body_bytes = 64 * 1024;
  TestServer server(db.url(), options);
  Seed(server);
  const std::string before = DatabaseState(db);
  // Valid JSON of exactly the limit (a feature string far over its own 1024-character limit) is read and
  // judged on its content; one byte more is refused on its size alone.
  std::string at = Pred({{"features", {{"pad", ""}}}});
  at.insert(at.find("\"pad\":\"") + 7, options.max_body_bytes - at.size(), 'x');
  ASSERT_EQ(at.size(), options.max_body_bytes);
  std::string over = at;
  over.insert(over.find("\"pad\":\"") + 7, "x");
  const std::vector<std::string> auth = {std::string("Authorization: Bearer ") + kAdminToken};
  ExpectProblem(server.Raw("POST", "/v1/models/bin/predictions", at, auth), 400, "records[0].features.pad");
  ExpectProblem(server.Raw("POST", "/v1/models/bin/predictions", over, auth), 413, "body");
  ExpectProblem(server.Raw("PUT", "/v1/models/bin", over, auth), 413, "body");
  ExpectAlive(server);
  EXPECT_EQ(DatabaseState(db), before);
}

// A 100 MB body sent by a client that does not wait for an answer (libcurl, no Expect): driftgate refuses
// it by its Content-Length with a problem+json 413 before reading it and closes the connection
// (api/http/request_framer.h); the client still gets the 413, the server stays up and stores nothing.
TEST(Hostile, HundredMegabyteBodyIsRefusedAndTheServerStaysUp) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  const std::string before = DatabaseState(db);
  std::string body = Pred();
  body.insert(body.size() - 1, std::string(100u << 20, ' '));
  test_support::HttpClient client;  // its own connection, given up afterwards
  const auto r = client.Send("POST", server.Url("/v1/models/bin/predictions"), body,
                             {std::string("Authorization: Bearer ") + kAdminToken});
  ExpectProblem(r, 413, "body");
  ExpectAlive(server);
  EXPECT_EQ(DatabaseState(db), before);
  EXPECT_EQ(server.Call("GET", "/v1/models/bin").status, 200);
}

}  // namespace
}  // namespace driftgate

// Pipeline adapters end to end: for each webhook `format`, a degrading stream on a real server drives one
// retrain, and the request a real receiver on 127.0.0.1 records is checked against the target's
// documented request shape — Airflow 2's stable REST API "Trigger a new DAG run", GitHub's
// "Create a repository dispatch event", an Argo Events webhook event source, a JSON template — plus the
// extra headers, the Standard Webhooks signature every format carries, and that secret header values
// never come back from the API.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <set>

#include "codec/webhook_payload.h"
#include "service/webhooks/transport/signature.h"
#include "tests/support/http_receiver.h"
#include "tests/support/stream.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::BinaryStream;
using test_support::HttpReceiver;
using test_support::RecordedRequest;
using test_support::TestDatabase;
using test_support::TestServer;

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const std::set<std::string> kDecisionFields = {"model",  "retrain_id", "decision_id",
                                               "reason", "kpis",       "requested_at"};

// Labels at accuracy 0.65 against a 0.85 minimum until the one retrain request arrives.
void Degrade(TestServer& server, const std::string& model) {
  BinaryStream stream(17);
  for (int b = 0; b < 4; ++b) {
    json preds, labels;
    stream.Next(500, 0.65, preds, labels);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/predictions", preds).status, 200);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/labels", labels).status, 200);
  }
}

struct Delivered {
  RecordedRequest request{};
  json body{};
  json retrain{};  // the run of GET .../retrains
  bool second_request = false;
  // Counted in the database once the delivery is recorded: "<retrains> <outbox rows> <outbox status>
  // <attempts>", e.g. "1 1 delivered 1" for one retrain delivered once on its first attempt.
  std::string rows{};
};

// Creates model "fraud" with the webhook `make_webhook(receiver)` returns, degrades it and returns the
// first request the receiver got. `replies` script the receiver's first answers.
Delivered RetrainWith(const std::function<json(const HttpReceiver&)>& make_webhook,
                      std::vector<int> replies = {}) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  receiver.QueueStatuses(replies);
  json model = BinaryModel("fraud", receiver.Url("/unused"));
  model["webhook"] = make_webhook(receiver);
  model["webhook"]["secret"] = kSecret;
  const auto created = server.Call("POST", "/v1/models", model);
  EXPECT_EQ(created.status, 201) << created.body;
  Degrade(server, "fraud");
  Delivered out;
  EXPECT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  if (receiver.RequestCount() == 0) return out;
  out.request = receiver.Requests().at(0);
  out.body = json::parse(out.request.body, nullptr, /*allow_exceptions=*/false);
  const json retrains = server.Call("GET", "/v1/models/fraud/retrains").Json();
  EXPECT_EQ(retrains["retrains"].size(), 1u);
  if (!retrains["retrains"].empty()) out.retrain = retrains["retrains"][0];
  // Backoff in tests is 50 ms: a retried request would arrive well within this.
  out.second_request = receiver.WaitForRequests(2, std::chrono::milliseconds(600));
  test_support::WaitUntil(
      [&] { return db.Scalar("SELECT count(*) FROM outbox WHERE status = 'pending'") == "0"; },
      std::chrono::seconds(10));
  out.rows = db.Scalar(
      "SELECT (SELECT count(*) FROM retrains) || ' ' || (SELECT count(*) FROM outbox) || ' ' || "
      "(SELECT string_agg(status || ' ' || attempts, ',') FROM outbox)");
  return out;
}

// The decision fields as every format carries them.
void ExpectDecision(const json& d, const json& retrain) {
  ASSERT_TRUE(d.is_object()) << d;
  for (const auto& f : kDecisionFields) EXPECT_TRUE(d.contains(f)) << f << " in " << d;
  EXPECT_EQ(d["model"], "fraud");
  EXPECT_EQ(d["retrain_id"], retrain["id"]);
  EXPECT_EQ(d["decision_id"], retrain["decision_id"]);
  EXPECT_TRUE(d["reason"].is_string());
  EXPECT_LT(d["kpis"]["accuracy"]["upper"].get<double>(), 0.85);
  EXPECT_TRUE(d["requested_at"].is_string());
}

void ExpectSigned(const RecordedRequest& req) {
  EXPECT_EQ(req.Header("webhook-id").rfind("msg_", 0), 0u) << req.Header("webhook-id");
  EXPECT_TRUE(webhook::Verify(kSecret, req.Header("webhook-id"), std::stoll(req.Header("webhook-timestamp")),
                              req.body, req.Header("webhook-signature")));
  EXPECT_EQ(req.Header("content-type"), "application/json");
}

TEST(WebhookFormats, AirflowTriggersADagRunWithTheDecisionInConf) {
  const auto got = RetrainWith([](const HttpReceiver& r) {
    return json{{"url", r.Url("/airflow/")},
                {"format", "airflow"},
                {"dag_id", "retrain_fraud.v2"},
                {"headers", {{"Authorization", {{"secret", "Basic YWRtaW46YWRtaW4="}}}}}};
  });
  const auto& req = got.request;
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/airflow/api/v1/dags/retrain_fraud.v2/dagRuns");
  // Airflow's DAGRun request schema: dag_run_id, logical_date, conf, note (unknown members are a 400).
  for (auto it = got.body.begin(); it != got.body.end(); ++it) {
    EXPECT_TRUE(std::set<std::string>({"dag_run_id", "logical_date", "conf", "note"}).count(it.key()))
        << it.key();
  }
  EXPECT_EQ(got.body["dag_run_id"], "driftgate__" + got.retrain["id"].get<std::string>());
  ExpectDecision(got.body["conf"], got.retrain);
  EXPECT_TRUE(got.body["note"].is_string());
  EXPECT_EQ(req.Header("authorization"), "Basic YWRtaW46YWRtaW4=");
  ExpectSigned(req);
}

TEST(WebhookFormats, AirflowConflictForTheStableRunIdCountsAsDelivered) {
  // The first attempt's answer was "lost": Airflow says the dag_run_id exists. No retry follows.
  const auto got = RetrainWith(
      [](const HttpReceiver& r) {
        return json{{"url", r.Url("")}, {"format", "airflow"}, {"dag_id", "retrain"}};
      },
      {409});
  EXPECT_EQ(got.request.path, "/api/v1/dags/retrain/dagRuns");
  EXPECT_FALSE(got.second_request);
  EXPECT_EQ(got.rows, "1 1 delivered 1");
}

TEST(WebhookFormats, GithubSendsARepositoryDispatchWithAtMostTenPayloadKeys) {
  const auto got = RetrainWith(
      [](const HttpReceiver& r) {
        return json{{"url", r.Url("/repos/acme/fraud-model/dispatches")},
                    {"format", "github"},
                    {"event_type", "driftgate-retrain"},
                    {"headers", {{"Authorization", {{"secret", "Bearer ghp_0123456789abcdef"}}}}}};
      },
      {204});
  const auto& req = got.request;
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/repos/acme/fraud-model/dispatches");
  EXPECT_EQ(got.body.size(), 2u) << got.body;
  EXPECT_EQ(got.body["event_type"], "driftgate-retrain");
  ASSERT_TRUE(got.body["client_payload"].is_object());
  EXPECT_LE(got.body["client_payload"].size(), 10u);  // GitHub's limit on top-level properties
  ExpectDecision(got.body["client_payload"], got.retrain);
  EXPECT_TRUE(req.headers.count("accept"));  // Pistache re-parses Accept: only its presence is reliable
  EXPECT_EQ(req.Header("x-github-api-version"), "2022-11-28");
  EXPECT_EQ(req.Header("authorization"), "Bearer ghp_0123456789abcdef");
  EXPECT_FALSE(got.second_request);  // 204 is GitHub's success
  EXPECT_EQ(got.rows, "1 1 delivered 1");
  ExpectSigned(req);
}

TEST(WebhookFormats, ArgoPostsAFlatEventBodyForTheSensor) {
  const auto got = RetrainWith([](const HttpReceiver& r) {
    return json{
        {"url", r.Url("/retrain")}, {"format", "argo"}, {"headers", {{"X-Env", {{"value", "prod"}}}}}};
  });
  EXPECT_EQ(got.request.path, "/retrain");
  ExpectDecision(got.body, got.retrain);
  EXPECT_EQ(got.body["source"], "driftgate");
  EXPECT_EQ(got.body["type"], "retrain.requested");
  EXPECT_EQ(got.body["kpis_breached"], json::array({"accuracy"}));
  EXPECT_EQ(got.request.Header("x-env"), "prod");
  ExpectSigned(got.request);
}

TEST(WebhookFormats, TemplateSubstitutesPlaceholdersIntoValidJson) {
  const json tmpl = {{"text", "Retrain \"{{model}}\"\nbecause: {{reason}}"},
                     {"id", "{{retrain_id}}"},
                     {"meta",
                      {{"decision", "{{ decision_id }}"},
                       {"at", "{{requested_at}}"},
                       {"kpis", "{{kpis}}"},
                       {"kpis_text", "kpis={{kpis}}"}}},
                     {"list", {"{{model}}", 3, true, nullptr}}};
  const auto got = RetrainWith([&](const HttpReceiver& r) {
    return json{{"url", r.Url("/slack")}, {"format", "template"}, {"template", tmpl}};
  });
  ASSERT_FALSE(got.body.is_discarded()) << got.request.body;
  const std::string reason = got.retrain["reason"];
  EXPECT_EQ(got.body["text"], "Retrain \"fraud\"\nbecause: " + reason);
  EXPECT_EQ(got.body["id"], got.retrain["id"]);
  EXPECT_EQ(got.body["meta"]["decision"], got.retrain["decision_id"]);
  EXPECT_TRUE(got.body["meta"]["kpis"].is_object());
  EXPECT_LT(got.body["meta"]["kpis"]["accuracy"]["upper"].get<double>(), 0.85);
  const std::string kpis_text = got.body["meta"]["kpis_text"];
  EXPECT_EQ(json::parse(kpis_text.substr(5)), got.body["meta"]["kpis"]);
  EXPECT_EQ(got.body["list"], json::array({"fraud", 3, true, nullptr}));
  ExpectSigned(got.request);
}

TEST(WebhookFormats, TemplateValuesWithQuotesNewlinesAndBracesStayEscaped) {
  domain::WebhookSpec spec{.url = "http://127.0.0.1:1/h",
                           .format = domain::WebhookFormat::kTemplate,
                           .template_json = R"({"msg": "{{reason}} / {{model}}", "k": "{{kpis}}"})"};
  const codec::RetrainRequest request{.model = "m",
                                      .retrain_id = "r",
                                      .decision_id = "d",
                                      .reason = "say \"hi\"\n\\ {{model}} \",\"x\":\"",
                                      .kpis = {{"accuracy", {{"value", 0.5}}}},
                                      .requested_at = "2026-11-23T00:00:00Z"};
  const auto rendered = codec::RenderDelivery(spec, request);
  const json body = json::parse(rendered.body);  // throws on invalid JSON
  EXPECT_EQ(body.size(), 2u);
  EXPECT_EQ(body["msg"], request.reason + " / m");  // no second substitution inside the value
  EXPECT_EQ(body["k"], request.kpis);
}

TEST(WebhookFormats, StandardStaysTheDefaultAndCarriesExtraHeaders) {
  const auto got = RetrainWith([](const HttpReceiver& r) {
    return json{{"url", r.Url("/hooks/retrain")},
                {"headers", {{"X-Env", {{"value", "prod"}}}, {"X-Api-Key", {{"secret", "k-123"}}}}}};
  });
  EXPECT_EQ(got.request.path, "/hooks/retrain");
  EXPECT_EQ(got.body["type"], "retrain.requested");
  ExpectDecision(got.body, got.retrain);
  EXPECT_EQ(got.request.Header("x-env"), "prod");
  EXPECT_EQ(got.request.Header("x-api-key"), "k-123");
  ExpectSigned(got.request);
}

TEST(WebhookFormats, SecretHeaderValuesAreNeverReturnedAndSurviveAReplace) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  json model = BinaryModel("fraud", receiver.Url("/h"));
  model["webhook"]["headers"] = {{"Authorization", {{"secret", "Bearer top-secret-value"}}},
                                 {"X-Env", {{"value", "prod"}}}};
  const auto created = server.Call("POST", "/v1/models", model);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.body.find("top-secret-value"), std::string::npos);
  const auto got = server.Call("GET", "/v1/models/fraud");
  EXPECT_EQ(got.body.find("top-secret-value"), std::string::npos) << got.body;
  EXPECT_EQ(got.Json()["webhook"]["headers"]["Authorization"], json({{"secret_set", true}}));
  EXPECT_EQ(got.Json()["webhook"]["headers"]["X-Env"], json({{"value", "prod"}}));
  EXPECT_EQ(got.Json()["webhook"]["format"], "standard");

  // PUT back what GET returned (secret_set placeholders): the stored value is kept.
  json doc = got.Json();
  for (const char* k : {"generation", "created_at", "updated_at"}) doc.erase(k);
  doc["webhook"].erase("secret_set");
  const auto replaced = server.Call("PUT", "/v1/models/fraud", doc);
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  // A PUT without `headers` keeps them all.
  doc["webhook"].erase("headers");
  ASSERT_EQ(server.Call("PUT", "/v1/models/fraud", doc).status, 200);
  for (const char* path : {"/v1/models", "/v1/models/fraud", "/v1/audit"}) {
    const auto r = server.Call("GET", path);
    EXPECT_EQ(r.body.find("top-secret-value"), std::string::npos) << path << ": " << r.body;
  }

  Degrade(server, "fraud");
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  EXPECT_EQ(receiver.Requests()[0].Header("authorization"), "Bearer top-secret-value");
  EXPECT_EQ(receiver.Requests()[0].Header("x-env"), "prod");

  // A placeholder for a header that has no stored secret is refused, naming it.
  doc["webhook"]["headers"] = {{"X-Other", {{"secret_set", true}}}};
  const auto refused = server.Call("PUT", "/v1/models/fraud", doc);
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.Json()["field"], "webhook.headers.X-Other.secret") << refused.body;
}

TEST(WebhookFormats, InvalidWebhookConfigsNameTheField) {
  TestDatabase db;
  TestServer server(db.url());
  const std::string url = "http://127.0.0.1:9/h";
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"url", url}, {"format", "kafka"}}, "webhook.format"},
      {{{"url", url}, {"format", "airflow"}}, "webhook.dag_id"},
      {{{"url", url}, {"format", "airflow"}, {"dag_id", "a/b"}}, "webhook.dag_id"},
      {{{"url", url}, {"dag_id", "x"}}, "webhook.dag_id"},
      {{{"url", "http://127.0.0.1:9/repos/a/b/dispatches"}, {"format", "github"}}, "webhook.event_type"},
      {{{"url", "http://127.0.0.1:9/repos/a/b/dispatches"},
        {"format", "github"},
        {"event_type", std::string(101, 'e')}},
       "webhook.event_type"},
      {{{"url", url}, {"format", "github"}, {"event_type", "x"}}, "webhook.url"},
      {{{"url", url}, {"format", "template"}}, "webhook.template"},
      {{{"url", url}, {"format", "template"}, {"template", "{{model}}"}}, "webhook.template"},
      {{{"url", url}, {"format", "template"}, {"template", {{"a", {{"b", "{{nope}}"}}}}}},
       "webhook.template.a.b"},
      {{{"url", url}, {"event_type", "x"}}, "webhook.event_type"},
      {{{"url", url}, {"headers", {{"webhook-signature", {{"value", "v1,x"}}}}}},
       "webhook.headers.webhook-signature"},
      {{{"url", url}, {"headers", {{"Content-Type", {{"value", "text/plain"}}}}}},
       "webhook.headers.Content-Type"},
      {{{"url", url}, {"headers", {{"Bad Name", {{"value", "x"}}}}}}, "webhook.headers.Bad Name"},
      {{{"url", url}, {"headers", {{"X-A", {{"value", "a\r\nX-Injected: 1"}}}}}},
       "webhook.headers.X-A.value"},
      {{{"url", url}, {"headers", {{"X-A", {{"secret", ""}}}}}}, "webhook.headers.X-A.secret"},
      {{{"url", url}, {"headers", {{"X-A", "plain"}}}}, "webhook.headers.X-A"},
      {{{"url", url}, {"headers", {{"X-A", {{"secret_set", true}}}}}}, "webhook.headers.X-A.secret"},
      {{{"url", url}, {"headers", {{"X-A", {{"value", "1"}}}, {"x-a", {{"value", "2"}}}}}},
       "webhook.headers.x-a"},
  };
  for (const auto& [webhook, field] : cases) {
    json model = BinaryModel("m", url);
    model["webhook"] = webhook;
    const auto r = server.Call("POST", "/v1/models", model);
    EXPECT_EQ(r.status, 400) << webhook << ": " << r.body;
    if (r.status == 400) {
      EXPECT_EQ(r.Json()["field"], field) << webhook << ": " << r.body;
    }
  }
}

}  // namespace
}  // namespace driftgate

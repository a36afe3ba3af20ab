// The retraining gate end to end: real PostgreSQL (a fresh database per test), the server in-process on
// port 0, real HTTP, and a real webhook receiver on 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

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
using test_support::TestDatabase;
using test_support::TestServer;

constexpr const char* kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// Streams `batches` batches of `size` predictions then their labels at accuracy `p`.
void Feed(TestServer& server, const std::string& model, BinaryStream& stream, int batches, std::size_t size,
          double p, double shift = 0.0) {
  for (int b = 0; b < batches; ++b) {
    json preds, labels;
    stream.Next(size, p, preds, labels, shift);
    auto r1 = server.Call("POST", "/v1/models/" + model + "/predictions", preds);
    ASSERT_EQ(r1.status, 200) << r1.body;
    auto r2 = server.Call("POST", "/v1/models/" + model + "/labels", labels);
    ASSERT_EQ(r2.status, 200) << r2.body;
  }
}

std::vector<json> AllDecisions(TestServer& server, const std::string& model) {
  std::vector<json> out;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    auto r = server.Call(
        "GET", "/v1/models/" + model + "/decisions?limit=50" + (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.Json();
    for (const auto& d : body["decisions"]) out.push_back(d);
    if (body["next_cursor"].is_null()) break;
    cursor = body["next_cursor"].get<std::string>();
  }
  return out;
}

int CountAction(const std::vector<json>& decisions, const std::string& action) {
  int n = 0;
  for (const auto& d : decisions) n += d["action"] == action;
  return n;
}

TEST(Gate, AccuracyDropGivesExactlyOneSignedWebhookAndOneRetrainDecision) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("fraud", receiver.Url("/hooks/retrain"))).status,
            201);
  BinaryStream stream(7);
  Feed(server, "fraud", stream, 10, 500, 0.92);  // 5,000 healthy pairs
  EXPECT_EQ(receiver.RequestCount(), 0u);
  Feed(server, "fraud", stream, 10, 500, 0.70);  // 5,000 degraded pairs

  const auto decisions = AllDecisions(server, "fraud");
  ASSERT_EQ(CountAction(decisions, "retrain"), 1);
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  // Every later confirmed breach is suppressed while the retrain is requested; no second webhook.
  EXPECT_FALSE(receiver.WaitForRequests(2, std::chrono::milliseconds(500)));
  // Counted in the database too: one retrain, one outbox row, delivered on its first attempt.
  ASSERT_TRUE(test_support::WaitUntil(
      [&] { return db.Scalar("SELECT count(*) FROM outbox WHERE status = 'delivered'") == "1"; },
      std::chrono::seconds(10)));
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM retrains"), "1");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM outbox"), "1");
  EXPECT_EQ(db.Scalar("SELECT attempts || ' ' || last_status FROM outbox"), "1 200");
  EXPECT_EQ(receiver.RequestCount(), 1u);
  const auto req = receiver.Requests().at(0);
  EXPECT_EQ(req.method, "POST");
  EXPECT_EQ(req.path, "/hooks/retrain");
  const json body = json::parse(req.body);
  EXPECT_EQ(body["type"], "retrain.requested");
  EXPECT_EQ(body["model"], "fraud");
  EXPECT_LT(body["kpis"]["accuracy"]["upper"].get<double>(), 0.85);
  const auto retrain_decision = *std::find_if(decisions.begin(), decisions.end(),
                                              [](const json& d) { return d["action"] == "retrain"; });
  EXPECT_EQ(body["retrain_id"], retrain_decision["retrain_id"]);
  EXPECT_EQ(body["decision_id"], retrain_decision["id"]);
  EXPECT_EQ(req.Header("webhook-id"), "msg_" + body["retrain_id"].get<std::string>());
  EXPECT_TRUE(webhook::Verify(kSecret, req.Header("webhook-id"), std::stoll(req.Header("webhook-timestamp")),
                              req.body, req.Header("webhook-signature")));
  EXPECT_GE(CountAction(decisions, "suppressed"), 1);

  auto retrains = server.Call("GET", "/v1/models/fraud/retrains").Json();
  ASSERT_EQ(retrains["retrains"].size(), 1u);
  EXPECT_EQ(retrains["retrains"][0]["status"], "requested");
}

TEST(Gate, StationaryAccuracyAboveThresholdNeverRetrains) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("steady", receiver.Url("/h"))).status, 201);
  BinaryStream stream(11);
  Feed(server, "steady", stream, 100, 1000, 0.88);  // 100,000 labels, true accuracy 0.03 above 0.85
  const auto decisions = AllDecisions(server, "steady");
  EXPECT_EQ(CountAction(decisions, "retrain"), 0);
  EXPECT_EQ(CountAction(decisions, "suppressed"), 0);
  EXPECT_EQ(receiver.RequestCount(), 0u);
  auto metrics = server.Call("GET", "/v1/models/steady/metrics?limit=1000").Json();
  EXPECT_EQ(metrics["metrics"].size(), 100u);
}

TEST(Gate, FeatureShiftWithUnchangedAccuracyNeverRetrains) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("shifty", receiver.Url("/h"))).status, 201);
  BinaryStream stream(13);
  Feed(server, "shifty", stream, 10, 1000, 0.9);
  Feed(server, "shifty", stream, 10, 1000, 0.9, /*shift=*/3.0);  // x moves by 3 sigma, accuracy does not
  const auto decisions = AllDecisions(server, "shifty");
  EXPECT_EQ(CountAction(decisions, "retrain"), 0);
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

TEST(Gate, SucceededRetrainStartsAFreshBaselineAndAllowsTheNextRetrain) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  json model = BinaryModel("loop", receiver.Url("/h"));
  model["policy"]["cooldown_seconds"] = 0;
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  BinaryStream stream(17);
  Feed(server, "loop", stream, 4, 500, 0.65);
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  const std::string retrain_id = json::parse(receiver.Requests()[0].body)["retrain_id"];
  const std::string path = "/v1/models/loop/retrains/" + retrain_id + "/status";

  EXPECT_EQ(server.Call("POST", path, {{"status", "running"}}).status, 200);
  EXPECT_EQ(server.Call("POST", path, {{"status", "running"}}).status, 200);  // a retried report is fine
  Feed(server, "loop", stream, 1, 500, 0.65);  // still failing, but a retrain is running
  auto done = server.Call("POST", path, {{"status", "succeeded"}, {"model_version", "v2"}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.Json()["model_version"], "v2");
  EXPECT_EQ(server.Call("POST", path, {{"status", "failed"}}).status, 409);  // terminal

  auto m = server.Call("GET", "/v1/models/loop").Json();
  EXPECT_EQ(m["generation"], 2);
  Feed(server, "loop", stream, 1, 100, 0.95);
  auto metrics = server.Call("GET", "/v1/models/loop/metrics?limit=1000").Json()["metrics"];
  EXPECT_EQ(metrics.back()["n"], 100) << "the window restarted with the new model version";
  EXPECT_EQ(metrics.back()["generation"], 2);

  Feed(server, "loop", stream, 4, 500, 0.65);  // the new version degrades too
  EXPECT_TRUE(receiver.WaitForRequests(2, std::chrono::seconds(10)));
  EXPECT_EQ(CountAction(AllDecisions(server, "loop"), "retrain"), 2);
}

TEST(Gate, CooldownAndDailyBudgetSuppressWithReason) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  json model = BinaryModel("budget", receiver.Url("/h"));
  model["policy"] = {{"cooldown_seconds", 7200}, {"max_retrains_per_day", 1}};
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  BinaryStream stream(19);
  Feed(server, "budget", stream, 2, 500, 0.6);
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  const std::string id = json::parse(receiver.Requests()[0].body)["retrain_id"];
  ASSERT_EQ(
      server.Call("POST", "/v1/models/budget/retrains/" + id + "/status", {{"status", "failed"}}).status,
      200);
  Feed(server, "budget", stream, 2, 500, 0.6);  // within 7200 s of data time: cooldown
  auto decisions = AllDecisions(server, "budget");
  ASSERT_FALSE(decisions.empty());
  EXPECT_EQ(decisions.back()["action"], "suppressed");
  EXPECT_NE(decisions.back()["reason"].get<std::string>().find("cooldown"), std::string::npos);
  Feed(server, "budget", stream, 12, 500, 0.6);  // past the cooldown, but the daily budget of 1 is used
  decisions = AllDecisions(server, "budget");
  EXPECT_EQ(decisions.back()["action"], "suppressed");
  EXPECT_NE(decisions.back()["reason"].get<std::string>().find("budget"), std::string::npos);
  EXPECT_EQ(CountAction(decisions, "retrain"), 1);
}

TEST(Gate, LabelsBeforePredictionsAreKeptAndJoinedLater) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("late", "http://127.0.0.1:9/h")).status, 201);
  BinaryStream stream(23);
  json preds, labels;
  stream.Next(200, 0.9, preds, labels);
  auto l = server.Call("POST", "/v1/models/late/labels", labels);
  ASSERT_EQ(l.status, 200);
  EXPECT_EQ(l.Json(), json({{"accepted", 200}, {"duplicates", 0}, {"unmatched", 200}}));
  EXPECT_EQ(server.Call("GET", "/v1/models/late/metrics").Json()["metrics"].size(), 0u);
  auto p = server.Call("POST", "/v1/models/late/predictions", preds);
  ASSERT_EQ(p.status, 200);
  auto metrics = server.Call("GET", "/v1/models/late/metrics").Json()["metrics"];
  ASSERT_EQ(metrics.size(), 1u) << "the joined pairs were evaluated";
  EXPECT_EQ(metrics[0]["n"], 200);
  EXPECT_NEAR(metrics[0]["kpis"]["accuracy"]["value"].get<double>(), 0.9, 0.06);
}

TEST(Gate, IngestIsIdempotentAndAllOrNothing) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("idem", "http://127.0.0.1:9/h")).status, 201);
  BinaryStream stream(29);
  json preds, labels;
  stream.Next(100, 0.9, preds, labels);
  EXPECT_EQ(server.Call("POST", "/v1/models/idem/predictions", preds).Json(),
            json({{"accepted", 100}, {"duplicates", 0}}));
  EXPECT_EQ(server.Call("POST", "/v1/models/idem/predictions", preds).Json(),
            json({{"accepted", 0}, {"duplicates", 100}}));
  EXPECT_EQ(server.Call("POST", "/v1/models/idem/labels", labels).Json(),
            json({{"accepted", 100}, {"duplicates", 0}, {"unmatched", 0}}));
  EXPECT_EQ(server.Call("POST", "/v1/models/idem/labels", labels).Json()["duplicates"], 100);

  json more, more_labels;
  stream.Next(50, 0.9, more, more_labels);
  more["records"][37]["score"] = 1.5;  // one bad record rejects the batch
  auto bad = server.Call("POST", "/v1/models/idem/predictions", more);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Header("content-type"), "application/problem+json");
  EXPECT_NE(bad.Json()["detail"].get<std::string>().find("records[37].score"), std::string::npos) << bad.body;
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions"), "100");
  more["records"][37]["score"] = 0.5;
  more["records"][40]["id"] = more["records"][3]["id"];  // duplicate id inside the batch
  EXPECT_EQ(server.Call("POST", "/v1/models/idem/predictions", more).status, 400);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM predictions"), "100");
  EXPECT_EQ(server.Call("POST", "/v1/models/nosuch/predictions", preds).status, 404);
}

TEST(Gate, ModelsCrudAndErrors) {
  TestDatabase db;
  TestServer server(db.url());
  json model = BinaryModel("crud", "http://127.0.0.1:9/h");
  auto created = server.Call("POST", "/v1/models", model);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["webhook"]["secret"], "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") << "shown once";
  EXPECT_EQ(server.Call("GET", "/v1/models/crud").Json()["webhook"].count("secret"), 0u) << "never again";
  EXPECT_EQ(created.Json()["webhook"]["secret_set"], true);
  EXPECT_EQ(server.Call("POST", "/v1/models", model).status, 409);
  EXPECT_EQ(server.Call("GET", "/v1/models").Json()["models"].size(), 1u);
  model["kpis"] = {{{"metric", "f1"}, {"min", 0.5}}};
  auto replaced = server.Call("PUT", "/v1/models/crud", model);
  ASSERT_EQ(replaced.status, 200);
  EXPECT_EQ(server.Call("GET", "/v1/models/crud").Json()["kpis"][0]["metric"], "f1");
  model["kpis"] = {{{"metric", "rmse"}, {"max", 0.5}}};
  auto wrong = server.Call("PUT", "/v1/models/crud", model);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.Json()["detail"].get<std::string>().find("kpis[0].metric"), std::string::npos);
  EXPECT_EQ(server.Call("DELETE", "/v1/models/crud").status, 204);
  EXPECT_EQ(server.Call("GET", "/v1/models/crud").status, 404);
  EXPECT_EQ(server.Call("DELETE", "/v1/models/crud").status, 404);
  auto bad_detector = BinaryModel("bad", "http://127.0.0.1:9/h");
  bad_detector["detectors"] = {{{"type", "adwin"}, {"delta", -1}}};
  auto r = server.Call("POST", "/v1/models", bad_detector);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.Json()["detail"].get<std::string>().find("delta"), std::string::npos) << r.body;
}

TEST(Gate, HealthAuthAndRoutingErrors) {
  TestDatabase db;
  TestServer server(db.url());
  EXPECT_EQ(server.Raw("GET", "/healthz", "").Json()["status"], "ok");
  EXPECT_EQ(server.Raw("GET", "/readyz", "").status, 200);
  auto unauth = server.Raw("GET", "/v1/models", "");
  EXPECT_EQ(unauth.status, 401);
  EXPECT_EQ(unauth.Header("content-type"), "application/problem+json");
  EXPECT_EQ(server.Raw("GET", "/v1/models", "", {"Authorization: Bearer wrong-token-value"}).status, 401);
  auto wrong_method = server.Call("PATCH", "/v1/models");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_EQ(wrong_method.Header("content-type"), "application/problem+json");
  auto unknown = server.Call("GET", "/v2/nothing");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.Json()["status"], 404);
}

TEST(Gate, WebhookSurvivesReceiverOutageWithStableId) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  receiver.QueueStatuses({503, 503, 500});
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("outage", receiver.Url("/h"))).status, 201);
  BinaryStream stream(31);
  Feed(server, "outage", stream, 2, 500, 0.6);
  ASSERT_TRUE(receiver.WaitForRequests(4, std::chrono::seconds(20)));
  const auto reqs = receiver.Requests();
  for (const auto& r : reqs) EXPECT_EQ(r.Header("webhook-id"), reqs[0].Header("webhook-id"));
  EXPECT_TRUE(test_support::WaitUntil([&] { return db.Scalar("SELECT status FROM outbox") == "delivered"; },
                                      std::chrono::seconds(10)));
  EXPECT_EQ(db.Scalar("SELECT attempts FROM outbox"), "4");
}

TEST(Gate, WebhookAnswered410StopsRetrying) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  receiver.SetStatus(410);
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("gone", receiver.Url("/h"))).status, 201);
  BinaryStream stream(37);
  Feed(server, "gone", stream, 2, 500, 0.6);
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  EXPECT_TRUE(test_support::WaitUntil([&] { return db.Scalar("SELECT status FROM outbox") == "gone"; },
                                      std::chrono::seconds(10)));
  EXPECT_FALSE(receiver.WaitForRequests(2, std::chrono::milliseconds(800)));
}

TEST(Gate, DeliveryResumesAfterAServerRestart) {
  TestDatabase db;
  HttpReceiver receiver;
  receiver.SetStatus(503);
  {
    TestServer server(db.url(), {.backoff_base_seconds = 0.2, .backoff_max_seconds = 0.2});
    ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("restart", receiver.Url("/h"))).status, 201);
    BinaryStream stream(41);
    Feed(server, "restart", stream, 2, 500, 0.6);
    ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  }  // the server stops with the delivery still pending
  receiver.SetStatus(200);
  const std::size_t before = receiver.RequestCount();
  TestServer again(db.url());
  ASSERT_TRUE(receiver.WaitForRequests(before + 1, std::chrono::seconds(10)));
  EXPECT_EQ(receiver.Requests().back().Header("webhook-id"),
            receiver.Requests().front().Header("webhook-id"));
}

TEST(Gate, EvaluationStateSurvivesARestart) {
  TestDatabase db;
  HttpReceiver receiver;
  BinaryStream stream(43);
  {
    TestServer server(db.url());
    ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("persist", receiver.Url("/h"))).status, 201);
    Feed(server, "persist", stream, 2, 100, 0.9);
  }
  TestServer again(db.url());
  Feed(again, "persist", stream, 1, 100, 0.9);
  auto metrics = again.Call("GET", "/v1/models/persist/metrics").Json()["metrics"];
  ASSERT_EQ(metrics.size(), 3u);
  EXPECT_EQ(metrics[2]["n"], 300) << "the KPI window was restored";
}

TEST(Gate, HistoryIsPagedWithACursorAndTimeRanged) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("pages", "http://127.0.0.1:9/h")).status, 201);
  BinaryStream stream(47);
  Feed(server, "pages", stream, 7, 100, 0.9);
  auto first = server.Call("GET", "/v1/models/pages/metrics?limit=3").Json();
  ASSERT_EQ(first["metrics"].size(), 3u);
  ASSERT_TRUE(first["next_cursor"].is_string());
  auto second =
      server.Call("GET", "/v1/models/pages/metrics?limit=3&cursor=" + first["next_cursor"].get<std::string>())
          .Json();
  ASSERT_EQ(second["metrics"].size(), 3u);
  EXPECT_GT(second["metrics"][0]["at"].get<std::string>(), first["metrics"][2]["at"].get<std::string>());
  auto third =
      server
          .Call("GET", "/v1/models/pages/metrics?limit=3&cursor=" + second["next_cursor"].get<std::string>())
          .Json();
  EXPECT_EQ(third["metrics"].size(), 1u);
  EXPECT_TRUE(third["next_cursor"].is_null());
  // Batch k's evaluation happens at the data time of its last label: 2026-11-01T00:01:39Z for k=0.
  auto ranged =
      server.Call("GET", "/v1/models/pages/metrics?from=2026-11-01T00:03:00Z&to=2026-11-01T00:07:00Z").Json();
  EXPECT_EQ(ranged["metrics"].size(), 3u);
  EXPECT_EQ(server.Call("GET", "/v1/models/pages/metrics?from=yesterday").status, 400);
  EXPECT_EQ(server.Call("GET", "/v1/models/pages/metrics?cursor=zzz").status, 400);
}

TEST(Gate, TwoServersOnOneDatabaseDecideEachBreachOnce) {
  TestDatabase db;
  TestServer a(db.url());
  TestServer b(db.url());
  HttpReceiver receiver;
  ASSERT_EQ(a.Call("POST", "/v1/models", BinaryModel("shared", receiver.Url("/h"))).status, 201);
  BinaryStream stream(53);
  // The healthy regime goes first, one batch through each server, so that the concurrent part below is one
  // stationary degraded regime: the order in which the two servers' batches are evaluated is then free,
  // and the detectors see the same single change whatever it is.
  Feed(a, "shared", stream, 1, 250, 0.92);
  Feed(b, "shared", stream, 1, 250, 0.92);
  // Concurrent label batches through both servers: the advisory lock serializes the evaluations.
  std::vector<std::pair<json, json>> batches;
  for (int i = 0; i < 6; ++i) {
    json p, l;
    stream.Next(250, 0.6, p, l);
    ASSERT_EQ(a.Call("POST", "/v1/models/shared/predictions", p).status, 200);
    batches.emplace_back(std::move(p), std::move(l));
  }
  std::thread other([&] {
    for (std::size_t i = 1; i < batches.size(); i += 2) {
      EXPECT_EQ(b.Call("POST", "/v1/models/shared/labels", batches[i].second).status, 200);
    }
  });
  for (std::size_t i = 0; i < batches.size(); i += 2) {
    EXPECT_EQ(a.Call("POST", "/v1/models/shared/labels", batches[i].second).status, 200);
  }
  other.join();
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM eval_queue"), "0") << "no pair is left waiting";
  EXPECT_EQ(CountAction(AllDecisions(a, "shared"), "retrain"), 1);
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  EXPECT_FALSE(receiver.WaitForRequests(2, std::chrono::milliseconds(500)));
  auto metrics = a.Call("GET", "/v1/models/shared/metrics?limit=100").Json()["metrics"];
  EXPECT_EQ(metrics.size(), 8u) << "one evaluation per label batch";
  std::size_t largest = 0;
  for (const auto& m : metrics) largest = std::max(largest, m["n"].get<std::size_t>());
  EXPECT_EQ(largest, 1000u) << "the window filled with 1,500 degraded pairs after the change";
}

}  // namespace
}  // namespace driftgate

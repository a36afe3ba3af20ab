// The data-quality veto and the label-free estimate (CBPE), through the real API on real PostgreSQL:
// a KPI collapse while a feature is broken is suppressed (data_quality) naming the feature and
// sends no webhook; the same collapse on clean input retrains. The estimate is a series of its own
// (GET .../metrics?kind=estimated) and an estimated breach only warns.
#include <gtest/gtest.h>

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

std::size_t DataChecks(TestServer& server, const std::string& model) {
  std::size_t n = 0;
  const json body = server.Call("GET", "/v1/models/" + model + "/drift?limit=1000").Json();
  for (const auto& e : body["drift"]) n += e["kind"] == "data" ? 1 : 0;
  return n;
}

// Reference 1,000 predictions (labelled, accuracy 0.95), drift window and check every 500.
json Model(const std::string& name, const std::string& url) {
  json model = BinaryModel(name, url);
  model["reference"] = {{"size", 1000}};
  model["drift"] = {{"window", 500}, {"every", 500}};
  model["evaluation"] = {{"window", 500}, {"min_samples", 300}, {"confidence", 0.95}};
  model["detectors"] = json::array();
  return model;
}

void SendReference(TestServer& server, const std::string& model, BinaryStream& stream) {
  json preds, labels;
  stream.Next(1000, 0.95, preds, labels);
  ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/predictions", preds).status, 200);
  ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/labels", labels).status, 200);
}

// 500 predictions at accuracy 0.6; `null_share` of them with feature x null. Waits for the drift check of
// that window before sending the labels, so the live evaluation sees its verdict.
void SendCollapse(TestServer& server, const std::string& model, BinaryStream& stream, double null_share) {
  json preds, labels;
  stream.Next(500, 0.6, preds, labels);
  for (std::size_t i = 0; i < preds["records"].size(); ++i) {
    if (static_cast<double>(i % 10) < null_share * 10) preds["records"][i]["features"]["x"] = nullptr;
  }
  ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/predictions", preds).status, 200);
  ASSERT_TRUE(
      test_support::WaitUntil([&] { return DataChecks(server, model) >= 1; }, std::chrono::seconds(30)));
  ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/labels", labels).status, 200);
}

// A model `name` with its labelled reference (the same stream every time), then the collapse of
// SendCollapse with `null_share` of feature x null.
void CreateAndCollapse(TestServer& server, const HttpReceiver& receiver, const std::string& name,
                       double null_share) {
  ASSERT_EQ(server.Call("POST", "/v1/models", Model(name, receiver.Url("/hook"))).status, 201);
  BinaryStream stream(211);
  ASSERT_NO_FATAL_FAILURE(SendReference(server, name, stream));
  ASSERT_NO_FATAL_FAILURE(SendCollapse(server, name, stream, null_share));
}

TEST(DataQualityVeto, CollapseWithSixtyPercentNullsIsSuppressedNamingTheFeatureAndSendsNoWebhook) {
  TestDatabase db;
  HttpReceiver receiver;
  TestServer server(db.url());
  ASSERT_NO_FATAL_FAILURE(CreateAndCollapse(server, receiver, "broken", 0.6));

  const json decisions = server.Call("GET", "/v1/models/broken/decisions").Json()["decisions"];
  bool suppressed = false, alerted = false;
  for (const auto& d : decisions) {
    const std::string reason = d["reason"];
    EXPECT_NE(d["action"], "retrain") << d.dump();
    if (d["action"] == "suppressed" && reason.find("data-quality incident on x") != std::string::npos)
      suppressed = true;
    if (d["action"] == "warn" && reason.find("data-quality incident: x: missing 0.6") != std::string::npos)
      alerted = true;
  }
  EXPECT_TRUE(suppressed) << decisions.dump(1);
  EXPECT_TRUE(alerted) << decisions.dump(1);
  EXPECT_TRUE(server.Call("GET", "/v1/models/broken/retrains").Json()["retrains"].empty());
  EXPECT_FALSE(receiver.WaitForRequests(1, std::chrono::milliseconds(500)));

  // The check names the feature and its rates; the ops metric says so.
  const json drift = server.Call("GET", "/v1/models/broken/drift").Json()["drift"];
  const json& dq = drift.back()["data_quality"];
  EXPECT_EQ(dq["broken_features"], json::array({"x"})) << dq.dump();
  const std::string metrics = server.Call("GET", "/metrics").body;
  EXPECT_NE(metrics.find("driftgate_data_quality_incident{model=\"broken\"} 1"), std::string::npos);
}

TEST(DataQualityVeto, SameCollapseOnCleanInputRetrains) {
  TestDatabase db;
  HttpReceiver receiver;
  TestServer server(db.url());
  ASSERT_NO_FATAL_FAILURE(CreateAndCollapse(server, receiver, "clean", 0.0));

  const json decisions = server.Call("GET", "/v1/models/clean/decisions").Json()["decisions"];
  ASSERT_FALSE(decisions.empty());
  EXPECT_EQ(decisions.back()["action"], "retrain") << decisions.dump(1);
  EXPECT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
}

TEST(EstimatedPerformance, EstimateIsStoredAsItsOwnSeriesAndCoversTheRealizedAccuracy) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", Model("cbpe", "http://127.0.0.1:9/h")).status, 201);
  BinaryStream stream(223);
  SendReference(server, "cbpe", stream);
  json preds, labels;
  stream.Next(500, 0.95, preds, labels);
  ASSERT_EQ(server.Call("POST", "/v1/models/cbpe/predictions", preds).status, 200);
  ASSERT_TRUE(
      test_support::WaitUntil([&] { return DataChecks(server, "cbpe") >= 1; }, std::chrono::seconds(30)));

  auto r = server.Call("GET", "/v1/models/cbpe/metrics?kind=estimated");
  ASSERT_EQ(r.status, 200) << r.body;
  const json points = r.Json()["metrics"];
  ASSERT_EQ(points.size(), 1u) << points.dump();
  EXPECT_EQ(points[0]["n"], 500);
  const json est = points[0]["kpis"]["accuracy"];
  // The realized accuracy of the same 500 predictions, once their labels arrive.
  double realized = 0;
  for (std::size_t i = 0; i < 500; ++i)
    realized += preds["records"][i]["prediction"] == labels["records"][i]["label"];
  realized /= 500;
  EXPECT_LE(est["lower"].get<double>(), realized) << est.dump();
  EXPECT_GE(est["upper"].get<double>(), realized) << est.dump();
  EXPECT_EQ(server.Call("GET", "/v1/models/cbpe/metrics?kind=bogus").status, 400);
  // The realized series is unaffected: one point per label batch (the reference's).
  EXPECT_EQ(server.Call("GET", "/v1/models/cbpe/metrics").Json()["metrics"].size(), 1u);
}

// The labelled reference, then 500 unlabelled predictions that contradict their own scores: calibrated on
// the reference, each is almost surely wrong, so the label-free estimate breaches.
void SendReferenceThenContradictingWindow(TestServer& server, const std::string& model, std::uint64_t seed) {
  BinaryStream stream(seed);
  SendReference(server, model, stream);
  json preds, labels;
  stream.Next(500, 0.95, preds, labels);
  for (auto& p : preds["records"]) p["prediction"] = 1 - p["prediction"].get<int>();
  ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/predictions", preds).status, 200);
}

TEST(EstimatedPerformance, EstimatedBreachWarnsAndNeverRetrainsByDefault) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", Model("guess", "http://127.0.0.1:9/h")).status, 201);
  SendReferenceThenContradictingWindow(server, "guess", 227);
  ASSERT_TRUE(
      test_support::WaitUntil([&] { return DataChecks(server, "guess") >= 1; }, std::chrono::seconds(30)));
  const json decisions = server.Call("GET", "/v1/models/guess/decisions").Json()["decisions"];
  ASSERT_FALSE(decisions.empty());
  const json& last = decisions.back();
  EXPECT_EQ(last["action"], "warn") << decisions.dump(1);
  EXPECT_NE(last["reason"].get<std::string>().find("estimated breach (CBPE"), std::string::npos);
  EXPECT_TRUE(server.Call("GET", "/v1/models/guess/retrains").Json()["retrains"].empty());
}

// With policy.allow_estimated the same label-free breach retrains, and the request goes out exactly as a
// label-confirmed one would: in the model's webhook format, with its extra headers.
TEST(EstimatedPerformance, AllowedEstimatedBreachRetrainsThroughTheModelsWebhookFormat) {
  TestDatabase db;
  HttpReceiver receiver;
  TestServer server(db.url());
  json model = Model("trusted", receiver.Url("/repos/acme/m/dispatches"));
  model["policy"]["allow_estimated"] = true;
  model["webhook"]["format"] = "github";
  model["webhook"]["event_type"] = "retrain-from-estimate";
  model["webhook"]["headers"] = {{"Authorization", {{"secret", "Bearer t0ken"}}}};
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  SendReferenceThenContradictingWindow(server, "trusted", 229);
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(30)));

  const auto req = receiver.Requests()[0];
  EXPECT_EQ(req.path, "/repos/acme/m/dispatches");
  EXPECT_EQ(req.Header("authorization"), "Bearer t0ken");
  const json body = json::parse(req.body);
  EXPECT_EQ(body["event_type"], "retrain-from-estimate") << body.dump();
  const json retrains = server.Call("GET", "/v1/models/trusted/retrains").Json()["retrains"];
  ASSERT_EQ(retrains.size(), 1u) << retrains.dump();
  EXPECT_EQ(body["client_payload"]["retrain_id"], retrains[0]["id"]) << body.dump();
  const json decisions = server.Call("GET", "/v1/models/trusted/decisions").Json()["decisions"];
  ASSERT_FALSE(decisions.empty());
  EXPECT_EQ(decisions.back()["action"], "retrain") << decisions.dump(1);
  EXPECT_NE(decisions.back()["reason"].get<std::string>().find("policy.allow_estimated is true"),
            std::string::npos);
}

TEST(DataQualityConfig, SettingsAreValidatedAndEchoedWithDefaults) {
  TestDatabase db;
  TestServer server(db.url());
  json model = Model("cfg", "http://127.0.0.1:9/h");
  model["data_quality"] = {{"max_rate", 1.5}};
  auto r = server.Call("POST", "/v1/models", model);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "data_quality.max_rate") << r.body;
  model["data_quality"] = {{"bogus", 1}};
  EXPECT_EQ(server.Call("POST", "/v1/models", model).status, 400);
  model["data_quality"] = {{"max_rate", 0.3}};
  model["policy"]["allow_estimated"] = "yes";
  r = server.Call("POST", "/v1/models", model);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "policy.allow_estimated") << r.body;
  model["policy"]["allow_estimated"] = true;
  r = server.Call("POST", "/v1/models", model);
  ASSERT_EQ(r.status, 201) << r.body;
  const json stored = server.Call("GET", "/v1/models/cfg").Json();
  EXPECT_EQ(stored["policy"]["allow_estimated"], true) << stored.dump();
  EXPECT_EQ(stored["data_quality"],
            json({{"enabled", true}, {"max_rate", 0.3}, {"min_ratio", 5.0}, {"range_margin", 0.1}}))
      << stored.dump();
}

}  // namespace
}  // namespace driftgate

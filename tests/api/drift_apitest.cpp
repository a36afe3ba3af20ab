// Data and prediction drift against a reference, through the real API on real PostgreSQL.
#include <gtest/gtest.h>

#include "tests/support/stream.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::BinaryStream;
using test_support::TestDatabase;
using test_support::TestServer;

std::vector<json> DataChecks(TestServer& server, const std::string& model) {
  std::vector<json> out;
  std::string cursor;
  while (true) {
    auto r = server.Call(
        "GET", "/v1/models/" + model + "/drift?limit=1000" + (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.Json();
    for (const auto& e : body["drift"]) {
      if (e["kind"] == "data") out.push_back(e);
    }
    if (body["next_cursor"].is_null()) break;
    cursor = body["next_cursor"].get<std::string>();
  }
  return out;
}

// Sends one batch of predictions and, when `expect_checks` is given, waits until that many checks exist.
void Send(TestServer& server, const std::string& model, BinaryStream& stream, std::size_t n, double shift,
          std::optional<std::size_t> expect_checks = std::nullopt) {
  json preds, labels;
  stream.Next(n, 0.9, preds, labels, shift);
  auto r = server.Call("POST", "/v1/models/" + model + "/predictions", preds);
  ASSERT_EQ(r.status, 200) << r.body;
  if (expect_checks) {
    ASSERT_TRUE(test_support::WaitUntil([&] { return DataChecks(server, model).size() >= *expect_checks; },
                                        std::chrono::seconds(30)))
        << "check " << *expect_checks << " did not happen";
  }
}

TEST(DataDrift, OneShiftedFeatureIsReportedWithinTwoChecksAndNamedFirst) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("feat", "http://127.0.0.1:9/h")).status, 201);
  BinaryStream stream(101);
  for (int i = 0; i < 5; ++i) Send(server, "feat", stream, 1000, 0.0);  // the reference: first 5,000
  EXPECT_TRUE(DataChecks(server, "feat").empty()) << "no check before the reference is complete";
  Send(server, "feat", stream, 1000, 1.0, 1);  // x moves by one standard deviation
  Send(server, "feat", stream, 1000, 1.0, 2);
  const auto checks = DataChecks(server, "feat");
  ASSERT_EQ(checks.size(), 2u);
  bool reported = false;
  for (const auto& c : checks) {
    EXPECT_EQ(c["reference"]["size"], 5000);
    EXPECT_EQ(c["current_size"], 5000);
    const auto& first = c["features"][0];
    if (first["feature"] == "x" && first["drifted"] == true) {
      reported = true;
      EXPECT_EQ(first["test"], "wasserstein_normed");  // > 1000 reference rows, numeric
    }
  }
  EXPECT_TRUE(reported) << json(checks).dump(1);
  for (const auto& f : checks.back()["features"]) {
    if (f["feature"] != "x") {
      EXPECT_FALSE(f["drifted"].get<bool>()) << f.dump();
    }
  }
}

TEST(DataDrift, AnUnshiftedStreamOf100kPredictionsNeverGivesDatasetDrift) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("calm", "http://127.0.0.1:9/h")).status, 201);
  BinaryStream stream(103);
  for (std::size_t i = 0; i < 100; ++i) {
    Send(server, "calm", stream, 1000, 0.0, i >= 5 ? std::optional<std::size_t>(i - 4) : std::nullopt);
  }
  const auto checks = DataChecks(server, "calm");
  ASSERT_EQ(checks.size(), 95u);
  for (const auto& c : checks) EXPECT_FALSE(c["dataset"]["drift"].get<bool>()) << c.dump();
  auto decisions = server.Call("GET", "/v1/models/calm/decisions").Json()["decisions"];
  EXPECT_TRUE(decisions.empty()) << decisions.dump();
}

TEST(DataDrift, DatasetDriftWarnsNamingTheColumnsButNeverRetrains) {
  TestDatabase db;
  TestServer server(db.url());
  json model = BinaryModel("moved", "http://127.0.0.1:9/h");
  model["reference"] = {{"size", 2000}};
  model["drift"] = {{"window", 1000}, {"every", 500}};
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  BinaryStream stream(107);
  Send(server, "moved", stream, 2000, 0.0);
  // Everything moves: x by 3 sigma, and the stream's labels stay at 90% accuracy.
  json preds, labels;
  stream.Next(1000, 0.9, preds, labels, 3.0);
  for (auto& r : preds["records"]) {
    r["features"]["country"] = "JP";
    r["score"] = r["prediction"] == 1 ? 0.99 : 0.01;
  }
  ASSERT_EQ(server.Call("POST", "/v1/models/moved/predictions", preds).status, 200);
  ASSERT_EQ(server.Call("POST", "/v1/models/moved/labels", labels).status, 200);
  ASSERT_TRUE(test_support::WaitUntil([&] { return !DataChecks(server, "moved").empty(); },
                                      std::chrono::seconds(30)));
  const auto check = DataChecks(server, "moved").back();
  EXPECT_TRUE(check["dataset"]["drift"].get<bool>()) << check.dump(1);
  auto decisions = server.Call("GET", "/v1/models/moved/decisions").Json()["decisions"];
  ASSERT_FALSE(decisions.empty());
  bool warned = false;
  for (const auto& d : decisions) {
    EXPECT_NE(d["action"], "retrain");
    if (d["action"] == "warn" && d["reason"].get<std::string>().find("data drift") != std::string::npos) {
      warned = true;
      EXPECT_NE(d["reason"].get<std::string>().find("x"), std::string::npos);
    }
  }
  EXPECT_TRUE(warned) << decisions.dump(1);
}

TEST(DataDrift, AnUploadedReferenceReplacesTheAutomaticOne) {
  TestDatabase db;
  TestServer server(db.url());
  json model = BinaryModel("uploaded", "http://127.0.0.1:9/h");
  model["drift"] = {{"window", 1000}, {"every", 1000}};
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  BinaryStream baseline(109, "ref");
  json ref, unused;
  baseline.Next(3000, 0.9, ref, unused, 2.0);  // a baseline where x sits 2 sigma higher
  auto up = server.Call("PUT", "/v1/models/uploaded/reference", ref);
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(up.Json()["reference"]["size"], 3000);
  BinaryStream live(111);
  Send(server, "uploaded", live, 1000, 0.0, 1);  // the first check comes after `every`, not after 5,000
  const auto check = DataChecks(server, "uploaded").back();
  EXPECT_EQ(check["reference"]["source"], "uploaded");
  EXPECT_EQ(check["features"][0]["feature"], "x");
  EXPECT_TRUE(check["features"][0]["drifted"].get<bool>());
  EXPECT_EQ(server.Call("PUT", "/v1/models/uploaded/reference", json{{"records", json::array()}}).status,
            400);
  EXPECT_EQ(server.Call("PUT", "/v1/models/nosuch/reference", ref).status, 404);
}

}  // namespace
}  // namespace driftgate

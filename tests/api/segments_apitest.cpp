// Segments end to end: real PostgreSQL, the server in-process on port 0, real HTTP, a real webhook receiver
// on 127.0.0.1. The test scripts each record's segment and correctness itself, so every expected figure is
// computed here, independently of the server.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <chrono>
#include <cmath>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/domain/time.h"
#include "tests/support/http_receiver.h"
#include "tests/support/sampler.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::HttpReceiver;
using test_support::TestDatabase;
using test_support::TestServer;

constexpr std::int64_t kStart = 1'793'491'200'000'000;  // 2026-11-01T00:00:00Z

// A segmented binary stream: each record draws its segment by `shares`, and is correct with the
// accuracy of its segment; the correctness of every labelled record is kept per segment.
class SegmentStream {
 public:
  explicit SegmentStream(std::uint64_t seed) : rng_(seed) {}

  // Posts `n` predictions then their labels.
  void Feed(TestServer& server, const std::string& model, std::size_t n,
            const std::vector<std::pair<std::string, double>>& shares,
            const std::map<std::string, double>& accuracy) {
    json preds = {{"records", json::array()}}, labels = {{"records", json::array()}};
    for (std::size_t i = 0; i < n; ++i, ++count_) {
      double u = rng_.Uniform(), acc = 0;
      std::string segment = shares.back().first;
      for (const auto& [name, share] : shares) {
        if (u < share) {
          segment = name;
          break;
        }
        u -= share;
      }
      acc = accuracy.at(segment);
      const std::string id = "s" + std::to_string(count_);
      const std::string ts = domain::FormatRfc3339(kStart + static_cast<std::int64_t>(count_) * 1'000'000);
      const int pred = rng_.Bernoulli(0.5) ? 1 : 0;
      const bool correct = rng_.Bernoulli(acc);
      preds["records"].push_back({{"id", id},
                                  {"ts", ts},
                                  {"features", {{"x", rng_.Uniform()}}},
                                  {"prediction", pred},
                                  {"segment", segment}});
      labels["records"].push_back({{"id", id}, {"label", correct ? pred : 1 - pred}, {"ts", ts}});
      history_[segment].push_back(correct);
    }
    auto r1 = server.Call("POST", "/v1/models/" + model + "/predictions", preds);
    ASSERT_EQ(r1.status, 200) << r1.body;
    auto r2 = server.Call("POST", "/v1/models/" + model + "/labels", labels);
    ASSERT_EQ(r2.status, 200) << r2.body;
  }

  // The correctness of `segment`'s records, oldest first.
  const std::vector<bool>& History(const std::string& segment) { return history_[segment]; }

 private:
  test_support::Sampler rng_;
  std::size_t count_ = 0;
  std::map<std::string, std::vector<bool>> history_{};
};

json SegmentModel(const std::string& name, const std::string& url, double min_accuracy,
                  const std::string& mode) {
  json m = test_support::BinaryModel(name, url, min_accuracy);
  m["detectors"] = json::array();  // the KPI rule alone: a detector restart would only shorten windows
  m["segments"] = {{"mode", mode}};
  return m;
}

std::vector<json> AllDecisions(TestServer& server, const std::string& model) {
  std::vector<json> out;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    auto r = server.Call(
        "GET", "/v1/models/" + model + "/decisions?limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.Json();
    for (const auto& d : body["decisions"]) out.push_back(d);
    if (body["next_cursor"].is_null()) break;
    cursor = body["next_cursor"].get<std::string>();
  }
  return out;
}

std::vector<json> WithAction(const std::vector<json>& decisions, const std::string& action) {
  std::vector<json> out;
  for (const auto& d : decisions) {
    if (d["action"] == action) out.push_back(d);
  }
  return out;
}

// Wilson (1927) score interval, written out here from the formula.
struct Expected {
  double value, lower, upper;
  std::size_t n;
};
Expected WilsonOfLast(const std::vector<bool>& history, std::size_t window, double confidence) {
  const std::size_t n = std::min(window, history.size());
  std::size_t correct = 0;
  for (std::size_t i = history.size() - n; i < history.size(); ++i) correct += history[i];
  const double z = boost::math::quantile(boost::math::normal(), 1 - (1 - confidence) / 2);
  const double p = static_cast<double>(correct) / static_cast<double>(n), nn = static_cast<double>(n);
  const double centre = (p + z * z / (2 * nn)) / (1 + z * z / nn);
  const double half = z / (1 + z * z / nn) * std::sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn));
  return {p, centre - half, centre + half, n};
}

TEST(Segments, DegradedMinoritySegmentRetrainsOnceNamingItWhileTheWholeStreamHolds) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  ASSERT_EQ(
      server.Call("POST", "/v1/models", SegmentModel("split", receiver.Url("/hook"), 0.80, "trigger")).status,
      201);
  SegmentStream stream(21);
  const std::vector<std::pair<std::string, double>> shares = {{"core", 0.8}, {"small", 0.2}};
  for (int b = 0; b < 10; ++b) stream.Feed(server, "split", 500, shares, {{"core", 0.92}, {"small", 0.92}});
  for (int b = 0; b < 10; ++b) stream.Feed(server, "split", 500, shares, {{"core", 0.92}, {"small", 0.60}});

  const auto decisions = AllDecisions(server, "split");
  const auto retrains = WithAction(decisions, "retrain");
  ASSERT_EQ(retrains.size(), 1u);
  EXPECT_EQ(retrains[0]["segment"], "small");
  EXPECT_NE(retrains[0]["reason"].get<std::string>().find("segment 'small'"), std::string::npos);
  for (const auto& d : decisions) {  // the whole stream never breached
    if (d["segment"].is_null()) {
      EXPECT_NE(d["action"], "retrain") << d.dump();
    }
  }
  const auto whole = server.Call("GET", "/v1/models/split/metrics?limit=1000").Json()["metrics"].back();
  EXPECT_GT(whole["kpis"]["accuracy"]["lower"].get<double>(), 0.80);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM retrains"), "1");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM outbox"), "1");
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  const json body = json::parse(receiver.Requests().at(0).body);
  EXPECT_EQ(body["segment"], "small");
  EXPECT_NE(body["reason"].get<std::string>().find("segment 'small'"), std::string::npos);
  EXPECT_EQ(body["retrain_id"], retrains[0]["retrain_id"]);
  EXPECT_LT(body["kpis"]["accuracy"]["upper"].get<double>(), 0.80);
}

TEST(Segments, MonitorModeWarnsAboutTheSegmentAndSendsNothing) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  ASSERT_EQ(
      server.Call("POST", "/v1/models", SegmentModel("watch", receiver.Url("/hook"), 0.80, "monitor")).status,
      201);
  SegmentStream stream(21);
  const std::vector<std::pair<std::string, double>> shares = {{"core", 0.8}, {"small", 0.2}};
  for (int b = 0; b < 10; ++b) stream.Feed(server, "watch", 500, shares, {{"core", 0.92}, {"small", 0.92}});
  for (int b = 0; b < 10; ++b) stream.Feed(server, "watch", 500, shares, {{"core", 0.92}, {"small", 0.60}});

  const auto decisions = AllDecisions(server, "watch");
  EXPECT_TRUE(WithAction(decisions, "retrain").empty());
  EXPECT_TRUE(WithAction(decisions, "suppressed").empty());
  std::size_t segment_warnings = 0;
  for (const auto& d : WithAction(decisions, "warn")) {
    if (d["segment"] != "small") continue;
    ++segment_warnings;
    EXPECT_NE(d["reason"].get<std::string>().find("segment 'small'"), std::string::npos);
  }
  EXPECT_EQ(segment_warnings, 1u);  // written when the segment's state changes, not on every batch
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM retrains"), "0");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM outbox"), "0");
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

TEST(Segments, TwentyStationarySegmentsOverAHundredThousandLabelsNeverRetrain) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  ASSERT_EQ(
      server.Call("POST", "/v1/models", SegmentModel("many", receiver.Url("/hook"), 0.85, "trigger")).status,
      201);
  std::vector<std::pair<std::string, double>> shares;
  std::map<std::string, double> accuracy;
  for (int s = 0; s < 20; ++s) {
    const std::string name = "seg-" + std::to_string(s);
    shares.emplace_back(name, 1.0 / 20);
    accuracy[name] = 0.88;
  }
  SegmentStream stream(5);
  for (int b = 0; b < 20; ++b) stream.Feed(server, "many", 5000, shares, accuracy);  // 100,000 labels

  const auto decisions = AllDecisions(server, "many");
  EXPECT_TRUE(WithAction(decisions, "retrain").empty());
  EXPECT_TRUE(WithAction(decisions, "suppressed").empty());
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM retrains"), "0");
  EXPECT_EQ(receiver.RequestCount(), 0u);
  const json segments = server.Call("GET", "/v1/models/many/segments").Json()["segments"];
  ASSERT_EQ(segments.size(), 20u);
  for (const auto& s : segments) {
    EXPECT_EQ(s["n"], 1000) << s.dump();
    EXPECT_NE(s["state"], "breach") << s.dump();
  }
}

TEST(Segments, SeriesAndSummaryMatchFiguresComputedHere) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  json model = SegmentModel("calc", receiver.Url("/hook"), 0.85, "monitor");
  model["evaluation"]["window"] = 400;
  model["segments"]["min_samples"] = 100;
  model["segments"]["max_segments"] = 2;
  model["segments"]["kpis"] = {{"b", {{{"metric", "accuracy"}, {"min", 0.5}}}}};
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  SegmentStream stream(9);
  // "a" and "b" are the two kept; "c" appears later and is pooled as "(other)".
  const std::map<std::string, double> accuracy = {{"a", 0.95}, {"b", 0.7}, {"c", 0.8}};
  stream.Feed(server, "calc", 600, {{"a", 0.5}, {"b", 0.5}}, accuracy);
  std::vector<Expected> series_b;
  for (int batch = 0; batch < 3; ++batch) {
    stream.Feed(server, "calc", 600, {{"a", 0.4}, {"b", 0.3}, {"c", 0.3}}, accuracy);
    series_b.push_back(WilsonOfLast(stream.History("b"), 400, 1 - 0.05 / 3));
  }
  const double conf = 1 - 0.05 / 3;  // three segments judged: a, b, (other)
  std::map<std::string, Expected> expected = {{"a", WilsonOfLast(stream.History("a"), 400, conf)},
                                              {"b", WilsonOfLast(stream.History("b"), 400, conf)},
                                              {"(other)", WilsonOfLast(stream.History("c"), 400, conf)}};
  const json segments = server.Call("GET", "/v1/models/calc/segments").Json()["segments"];
  ASSERT_EQ(segments.size(), 3u) << segments.dump();
  for (const auto& s : segments) {
    const Expected& e = expected.at(s["segment"].get<std::string>());
    const json& acc = s["kpis"]["accuracy"];
    EXPECT_EQ(s["n"], e.n);
    EXPECT_NEAR(acc["value"].get<double>(), e.value, 1e-12) << s.dump();
    EXPECT_NEAR(acc["lower"].get<double>(), e.lower, 1e-9) << s.dump();
    EXPECT_NEAR(acc["upper"].get<double>(), e.upper, 1e-9) << s.dump();
  }
  // Most at risk first: "(other)" (0.8 against 0.85) before "a" (0.95); "b" judged against its own 0.5.
  EXPECT_EQ(segments[0]["segment"], "(other)");
  EXPECT_EQ(segments[2]["kpis"]["accuracy"]["threshold"], 0.5);

  const json points = server.Call("GET", "/v1/models/calc/metrics?segment=b&limit=100").Json()["metrics"];
  ASSERT_EQ(points.size(), 4u);  // one per evaluation that fed "b"
  for (std::size_t i = 0; i < series_b.size(); ++i) {
    const json& acc = points[i + 1]["kpis"]["accuracy"];
    EXPECT_EQ(points[i + 1]["n"], series_b[i].n);
    EXPECT_NEAR(acc["value"].get<double>(), series_b[i].value, 1e-12);
  }
  EXPECT_EQ(server.Call("GET", "/v1/models/calc/metrics?segment=zzz").Json()["metrics"].size(), 0u);
  EXPECT_EQ(server.Call("GET", "/v1/models/calc/metrics?segment=").status, 400);

  const std::string prom = server.Call("GET", "/metrics").body;
  EXPECT_NE(prom.find("driftgate_segment_kpi_value{model=\"calc\",segment=\"a\",metric=\"accuracy\"}"),
            std::string::npos);
  EXPECT_EQ(prom.find("segment=\"(other)\""), std::string::npos);
}

// The segments' windows live in their own rows (service/evaluation/segment_windows.h): a restarted server (no
// cached state) continues every window exactly where it stopped.
TEST(Segments, WindowsSurviveARestartExactly) {
  TestDatabase db;
  HttpReceiver receiver;
  json model = SegmentModel("again", receiver.Url("/hook"), 0.5, "monitor");
  model["evaluation"]["window"] = 300;
  model["segments"]["min_samples"] = 50;
  SegmentStream stream(31);
  const std::vector<std::pair<std::string, double>> shares = {{"a", 0.6}, {"b", 0.3}, {"c", 0.1}};
  const std::map<std::string, double> accuracy = {{"a", 0.9}, {"b", 0.7}, {"c", 0.8}};
  {
    TestServer server(db.url());
    ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
    for (int b = 0; b < 4; ++b) stream.Feed(server, "again", 170, shares, accuracy);
  }
  EXPECT_NE(db.Scalar("SELECT count(*) FROM segment_windows"), "0");
  EXPECT_EQ(
      db.Scalar("SELECT count(*) FROM model_state WHERE jsonb_path_exists(state, '$.segments.*.window')"),
      "0")
      << "no segment window inside the JSON state";
  TestServer again(db.url());
  stream.Feed(again, "again", 170, shares, accuracy);
  const double conf = 1 - 0.05 / 3;
  const json segments = again.Call("GET", "/v1/models/again/segments").Json()["segments"];
  ASSERT_EQ(segments.size(), 3u) << segments.dump();
  for (const auto& s : segments) {
    const Expected e = WilsonOfLast(stream.History(s["segment"].get<std::string>()), 300, conf);
    EXPECT_EQ(s["n"], e.n) << s.dump();
    EXPECT_NEAR(s["kpis"]["accuracy"]["value"].get<double>(), e.value, 1e-12) << s.dump();
    EXPECT_NEAR(s["kpis"]["accuracy"]["lower"].get<double>(), e.lower, 1e-9) << s.dump();
  }
}

TEST(Segments, ConfigIsValidatedAndReturnedWithDefaults) {
  TestDatabase db;
  TestServer server(db.url());
  json bad = SegmentModel("cfg", "http://127.0.0.1:9/h", 0.85, "loud");
  auto r = server.Call("POST", "/v1/models", bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("segments.mode"), std::string::npos) << r.body;
  bad["segments"] = {{"kpis", {{"eu", {{{"metric", "mae"}, {"max", 1}}}}}}};
  r = server.Call("POST", "/v1/models", bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("segments.kpis.eu[0].metric"), std::string::npos) << r.body;
  json plain = test_support::BinaryModel("cfg", "http://127.0.0.1:9/h");
  ASSERT_EQ(server.Call("POST", "/v1/models", plain).status, 201);
  const json stored = server.Call("GET", "/v1/models/cfg").Json();
  EXPECT_EQ(stored["segments"]["mode"], "monitor");
  EXPECT_EQ(stored["segments"]["min_samples"], 300);
  EXPECT_EQ(stored["segments"]["max_segments"], 100);
}

}  // namespace
}  // namespace driftgate

// Policy backtests and the closed-loop check over real HTTP and PostgreSQL: a scenario recorded through
// the live API, replayed by POST /v1/models/{model}/backtest (and `driftgate backtest`) with the same
// config, gives the decisions the live path took; a stricter config gives fewer retrains; nothing is
// written or sent.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include "app/backtest_cli.h"
#include "core/domain/time.h"
#include "tests/support/http_receiver.h"
#include "tests/support/stream.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::BinaryStream;
using test_support::HttpReceiver;
using test_support::TestDatabase;
using test_support::TestServer;

constexpr std::int64_t kSecondUs = 1'000'000;

// `batches` batches of `size` predictions, then their labels, at accuracy `p`; with `labels_first` the
// labels arrive before their predictions (evaluated when the predictions arrive). Labels are sent newest
// first, so arrival order differs from data-time order (the replay must follow arrival order).
void Feed(TestServer& server, const std::string& model, BinaryStream& stream, int batches, std::size_t size,
          double p, bool labels_first = false) {
  for (int b = 0; b < batches; ++b) {
    json preds, labels;
    stream.Next(size, p, preds, labels);
    std::reverse(labels["records"].begin(), labels["records"].end());
    const std::string base = "/v1/models/" + model;
    if (labels_first) {
      ASSERT_EQ(server.Call("POST", base + "/labels", labels).status, 200);
      ASSERT_EQ(server.Call("POST", base + "/predictions", preds).status, 200);
    } else {
      ASSERT_EQ(server.Call("POST", base + "/predictions", preds).status, 200);
      ASSERT_EQ(server.Call("POST", base + "/labels", labels).status, 200);
    }
  }
}

std::vector<json> All(TestServer& server, const std::string& model, const std::string& what) {
  std::vector<json> out;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    auto r = server.Call("GET", "/v1/models/" + model + "/" + what + "?limit=100" +
                                    (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.Json();
    for (const auto& d : body[what]) out.push_back(d);
    if (body["next_cursor"].is_null()) break;
    cursor = body["next_cursor"].get<std::string>();
  }
  return out;
}

// Feeds degraded batches until the model has `want` retrains; false when `max_batches` did not suffice.
bool FeedUntilRetrains(TestServer& server, const std::string& model, BinaryStream& stream, std::size_t want,
                       std::size_t size, double p, int max_batches = 20) {
  for (int b = 0; b < max_batches; ++b) {
    if (All(server, model, "retrains").size() >= want) return true;
    Feed(server, model, stream, 1, size, p);
  }
  return All(server, model, "retrains").size() >= want;
}

std::int64_t Us(const json& rfc3339) { return domain::ParseRfc3339(rfc3339.get<std::string>()).value(); }

// Row counts of everything an evaluation writes, and the state's version.
std::string WrittenRows(const TestDatabase& db) {
  return db.Scalar(
      "SELECT concat_ws(',', (SELECT count(*) FROM decisions), (SELECT count(*) FROM metrics), "
      "(SELECT count(*) FROM retrains), (SELECT count(*) FROM outbox), (SELECT count(*) FROM drift_events), "
      "(SELECT coalesce(sum(version), 0) FROM model_state), (SELECT count(*) FROM labels), "
      "(SELECT string_agg(status || coalesce(outcome, ''), ',' ORDER BY seq) FROM retrains))");
}

json Backtest(TestServer& server, const std::string& model, const json& body) {
  auto r = server.Call("POST", "/v1/models/" + model + "/backtest", body);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.Json();
}

// The live scenario: healthy, degraded until a retrain, two batches while it is in flight, its success
// one hour of data time after the request, healthy again (the new generation's first full window), then
// degraded until a second retrain. One healthy batch arrives labels-first.
struct Recorded {
  json config;
  std::int64_t first_retrain_us = 0;
  std::int64_t last_ts_us = 0;  // data time of the last label
};

Recorded RecordScenario(TestServer& server, HttpReceiver& receiver, const std::string& model) {
  Recorded rec{.config = BinaryModel(model, receiver.Url("/hooks/retrain"))};
  EXPECT_EQ(server.Call("POST", "/v1/models", rec.config).status, 201);
  BinaryStream stream(31, model + "-");
  Feed(server, model, stream, 3, 200, 0.92);
  Feed(server, model, stream, 1, 200, 0.92, /*labels_first=*/true);
  Feed(server, model, stream, 6, 200, 0.92);
  EXPECT_TRUE(FeedUntilRetrains(server, model, stream, 1, 200, 0.65));
  const auto retrains = All(server, model, "retrains");
  rec.first_retrain_us = Us(retrains.at(0)["requested_at"]);
  Feed(server, model, stream, 2, 200, 0.65);  // in flight: suppressed
  EXPECT_LT(stream.NextTsUs(), rec.first_retrain_us + 3600 * kSecondUs);
  const std::string status =
      "/v1/models/" + model + "/retrains/" + retrains[0]["id"].get<std::string>() + "/status";
  EXPECT_EQ(server.Call("POST", status, {{"status", "running"}}).status, 200);
  EXPECT_EQ(server.Call("POST", status, {{"status", "succeeded"}, {"model_version", "v2"}}).status, 200);
  // The pipeline took one hour of data time (what the backtest assumes by default).
  stream.Skip(
      static_cast<std::size_t>((rec.first_retrain_us + 3600 * kSecondUs - stream.NextTsUs()) / kSecondUs) +
      1);
  Feed(server, model, stream, 6, 200, 0.92);
  EXPECT_TRUE(FeedUntilRetrains(server, model, stream, 2, 200, 0.6));
  Feed(server, model, stream, 2, 200, 0.6);  // the second retrain in flight
  rec.last_ts_us = stream.NextTsUs() - kSecondUs;
  EXPECT_TRUE(receiver.WaitForRequests(2, std::chrono::seconds(10)));
  return rec;
}

TEST(Backtest, SameConfigReproducesTheLiveDecisionsAndAStricterOneRetrainsLess) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  const Recorded rec = RecordScenario(server, receiver, "replayed");
  const auto live = All(server, "replayed", "decisions");
  const auto retrains = All(server, "replayed", "retrains");
  ASSERT_EQ(retrains.size(), 2u);
  EXPECT_EQ(retrains[0]["outcome"], "improved") << retrains[0].dump();
  EXPECT_EQ(retrains[0]["outcome_kpis"]["accuracy"]["n"], 1000);
  EXPECT_TRUE(retrains[1]["outcome"].is_null());
  const auto actions = [&](const std::string& a) {
    return std::count_if(live.begin(), live.end(), [&](const json& d) { return d["action"] == a; });
  };
  EXPECT_EQ(actions("retrain"), 2);
  EXPECT_GE(actions("suppressed"), 2);
  EXPECT_GE(actions("warn"), 1);
  const std::string before = WrittenRows(db);

  const json same = Backtest(server, "replayed", {{"config", rec.config}});
  ASSERT_EQ(same["decisions"].size(), live.size()) << same["decisions"].dump(1);
  for (std::size_t i = 0; i < live.size(); ++i) {
    const json& b = same["decisions"][i];
    EXPECT_EQ(b["at"], live[i]["at"]) << i;
    EXPECT_EQ(b["action"], live[i]["action"]) << i;
    EXPECT_EQ(b["reason"], live[i]["reason"]) << i;
    EXPECT_EQ(b["kpis"], live[i]["kpis"]) << i;
    EXPECT_EQ(b["detectors"], live[i]["detectors"]) << i;
  }
  EXPECT_EQ(same["retrains"], 2);
  EXPECT_EQ(Us(same["retrain_requests"][0]["requested_at"]), rec.first_retrain_us);
  EXPECT_EQ(same["breach_seconds_unserved"], 0.0);
  EXPECT_TRUE(same["energy_kwh"].is_null()) << "the model states no retrain_cost";
  EXPECT_EQ(same["current"]["decisions"], same["decisions"]);
  EXPECT_EQ(same["not_simulated"], json::array({"carbon_deferral"})) << same.dump();

  // A daily budget of one: the second breach (same day of data time) is suppressed, not served.
  json strict = rec.config;
  strict["policy"]["max_retrains_per_day"] = 1;
  strict["retrain_cost"] = {{"energy_kwh", 40.0}, {"carbon_intensity_g_per_kwh", 400}};
  const json fewer = Backtest(server, "replayed", {{"config", strict}});
  EXPECT_EQ(fewer["retrains"], 1);
  EXPECT_EQ(fewer["current"]["retrains"], 2);
  // Unserved from the first budget suppression to the last evaluation (the budget stays used).
  const auto budget = std::find_if(fewer["decisions"].begin(), fewer["decisions"].end(),
                                   [](const json& d) { return d["reason_code"] == "suppressed:budget"; });
  ASSERT_NE(budget, fewer["decisions"].end());
  EXPECT_EQ(fewer["breach_seconds_unserved"].get<double>(),
            static_cast<double>(rec.last_ts_us - Us((*budget)["at"])) / 1e6);
  EXPECT_EQ(fewer["current"]["breach_seconds_unserved"], 0.0);
  EXPECT_EQ(fewer["energy_kwh"], 40.0);
  EXPECT_EQ(fewer["co2e_kg"], 16.0);
  EXPECT_TRUE(fewer["current"]["energy_kwh"].is_null());

  // Stricter evidence: more samples and 99.9 % intervals also retrain less on the same history.
  json cautious = rec.config;
  cautious["evaluation"] = {{"window", 1000}, {"min_samples", 900}, {"confidence", 0.999}};
  EXPECT_LT(Backtest(server, "replayed", {{"config", cautious}})["retrains"].get<int>(), 2);

  // Nothing was written and nothing sent.
  EXPECT_EQ(WrittenRows(db), before);
  EXPECT_EQ(receiver.RequestCount(), 2u);

  // The command line prints the same JSON.
  const std::string file = ::testing::TempDir() + "/backtest_strict_config.json";
  std::ofstream(file) << strict.dump();
  std::ostringstream out, err;
  ASSERT_EQ(service::RunBacktestCommand({"--model", "replayed", "--config", file, "--db", db.url()}, nullptr,
                                        out, err),
            0)
      << err.str();
  EXPECT_EQ(json::parse(out.str()), fewer);
  EXPECT_EQ(WrittenRows(db), before);
}

TEST(Backtest, PeriodBoundsTheReplayedLabelsAndAssumedDurationIsConfigurable) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  const Recorded rec = RecordScenario(server, receiver, "bounded");
  // Only the history up to the first retrain's request: exactly one retrain, and it never succeeds.
  const std::string to = domain::FormatRfc3339(rec.first_retrain_us + kSecondUs);
  const json part = Backtest(server, "bounded", {{"config", rec.config}, {"to", to}});
  EXPECT_EQ(part["retrains"], 1);
  EXPECT_EQ(part["period"]["to"], to);
  EXPECT_EQ(part["period"]["from"], "2026-11-01T00:00:00Z");
  // A pipeline assumed to take a week keeps the first retrain in flight to the end: one retrain.
  const json slow = Backtest(server, "bounded", {{"config", rec.config}, {"assume_retrain_hours", 168}});
  EXPECT_EQ(slow["retrains"], 1);
  EXPECT_EQ(slow["assume_retrain_hours"], 168);
}

TEST(Backtest, RejectsBadRequestsNamingTheField) {
  TestDatabase db;
  TestServer server(db.url());
  const json model = BinaryModel("checked", "http://127.0.0.1:9/h");
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  json bad_kpi = model;
  bad_kpi["kpis"][0]["metric"] = "bogus";
  auto r = server.Call("POST", "/v1/models/checked/backtest", {{"config", bad_kpi}});
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("config.kpis[0].metric"), std::string::npos) << r.body;
  json other = model;
  other["name"] = "other";
  EXPECT_EQ(server.Call("POST", "/v1/models/checked/backtest", {{"config", other}}).status, 400);
  EXPECT_EQ(server.Call("POST", "/v1/models/checked/backtest", {{"config", model}, {"extra", 1}}).status,
            400);
  EXPECT_EQ(server.Call("POST", "/v1/models/checked/backtest", json{{"from", "2026-11-01T00:00:00Z"}}).status,
            400);
  EXPECT_EQ(server
                .Call("POST", "/v1/models/checked/backtest",
                      {{"config", model}, {"from", "2026-11-02T00:00:00Z"}, {"to", "2026-11-01T00:00:00Z"}})
                .status,
            400);
  EXPECT_EQ(
      server.Call("POST", "/v1/models/checked/backtest", {{"config", model}, {"assume_retrain_hours", -1}})
          .status,
      400);
  EXPECT_EQ(server.Call("POST", "/v1/models/missing/backtest", {{"config", model}}).status, 404);
  // An unknown model is reported before its candidate's faults.
  EXPECT_EQ(server.Call("POST", "/v1/models/missing/backtest", {{"config", bad_kpi}}).status, 404);
  // Name and webhook may be omitted; with no stored pairs nothing is replayed.
  json minimal = {{"task", "binary_classification"}, {"kpis", {{{"metric", "accuracy"}, {"min", 0.9}}}}};
  auto empty = server.Call("POST", "/v1/models/checked/backtest", {{"config", minimal}});
  ASSERT_EQ(empty.status, 200) << empty.body;
  EXPECT_EQ(empty.Json()["retrains"], 0);
  EXPECT_EQ(empty.Json()["decisions"], json::array());
  EXPECT_TRUE(empty.Json()["period"]["from"].is_null());
}

TEST(ClosedLoop, RetrainWhoseNewVersionStillBreachesDidNotHelp) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  json model = BinaryModel("stubborn", receiver.Url("/h"));
  model["policy"]["cooldown_seconds"] = 0;
  model["retrain_cost"] = {{"energy_kwh", 10}, {"carbon_intensity_g_per_kwh", 100}};
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  BinaryStream stream(37);
  ASSERT_TRUE(FeedUntilRetrains(server, "stubborn", stream, 1, 500, 0.65));
  const std::string id = All(server, "stubborn", "retrains").at(0)["id"];
  ASSERT_EQ(
      server.Call("POST", "/v1/models/stubborn/retrains/" + id + "/status", {{"status", "succeeded"}}).status,
      200);
  Feed(server, "stubborn", stream, 1, 500, 0.65);
  EXPECT_TRUE(All(server, "stubborn", "retrains").at(0)["outcome"].is_null()) << "the window is not full yet";
  Feed(server, "stubborn", stream, 2, 500, 0.65);  // the new generation's window fills: still breaching
  const auto retrains = All(server, "stubborn", "retrains");
  EXPECT_EQ(retrains.at(0)["outcome"], "did_not_help");
  EXPECT_LT(retrains.at(0)["outcome_kpis"]["accuracy"]["value"].get<double>(), 0.85);
  EXPECT_TRUE(retrains.at(0).contains("outcome_at"));
  const json ledger = server.Call("GET", "/v1/models/stubborn/sustainability").Json();
  EXPECT_EQ(ledger["retrains"]["did_not_help"], 1);
  EXPECT_EQ(ledger["retrains"]["requested"], static_cast<int>(retrains.size()));
}

}  // namespace
}  // namespace driftgate

// The data-quality veto judged on the evaluated pairs, through the real API on real PostgreSQL: a model with
// about 300 predictions a day (data time), two days of reference, five healthy days, a five-day incident on
// feature x2, then three days after it. Each prediction's input faults are judged at ingest and travel with
// its pair, so the verdict needs no periodic drift check (drift.every 100,000 vetoes the same) and a
// backtest replays it.
#include <gtest/gtest.h>

#include <string>

#include "tests/support/quarter_stream.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::DayScript;
using test_support::QuarterStream;
using test_support::TestDatabase;
using test_support::TestServer;

constexpr DayScript kHealthy{};

json Model(const std::string& name, std::size_t drift_every) {
  json model = test_support::BinaryModel(name, "http://127.0.0.1:9/hook");
  model["reference"] = {{"size", 600}};
  model["drift"] = {{"every", drift_every}};
  return model;
}

void Feed(TestServer& server, const std::string& model, QuarterStream& stream, const DayScript& day,
          int days) {
  for (int d = 0; d < days; ++d) {
    json predictions, labels;
    stream.Day(day, predictions, labels);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/predictions", predictions).status, 200);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/labels", labels).status, 200);
  }
}

// Creates `model` and runs the quarter's days around an incident scripted by `incident`.
void RunIncident(TestServer& server, const std::string& model, std::size_t drift_every,
                 const DayScript& incident, std::uint64_t seed) {
  ASSERT_EQ(server.Call("POST", "/v1/models", Model(model, drift_every)).status, 201);
  QuarterStream stream(seed);
  ASSERT_NO_FATAL_FAILURE(Feed(server, model, stream, kHealthy, 2 + 5));  // reference, then healthy days
  ASSERT_NO_FATAL_FAILURE(Feed(server, model, stream, incident, 5));
  ASSERT_NO_FATAL_FAILURE(Feed(server, model, stream, kHealthy, 3));
}

// Retrain runs stored for `model`, counted in the table.
int Retrains(const TestDatabase& db, const std::string& model) {
  return std::stoi(db.Scalar(
      "SELECT count(*) FROM retrains r JOIN models m ON m.id = r.model_id WHERE m.name = '" + model + "'"));
}

// A string member of a decision ("" when absent: live decisions carry no reason_code).
std::string Member(const json& d, const char* key) {
  const auto it = d.find(key);
  return it != d.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json Decisions(TestServer& server, const std::string& model) {
  return server.Call("GET", "/v1/models/" + model + "/decisions?limit=1000").Json()["decisions"];
}

// The suppressed decisions whose reason names a data-quality incident on x2.
std::size_t SuppressedNamingX2(const json& decisions) {
  std::size_t n = 0;
  for (const auto& d : decisions) {
    const std::string code = Member(d, "reason_code");
    if (Member(d, "action") == "suppressed" && (code.empty() || code == "suppressed:data_quality") &&
        Member(d, "reason").find("data-quality incident on x2 (missing") != std::string::npos) {
      ++n;
    }
  }
  return n;
}

// The model's own config replayed over its stored history (`veto` false: with data_quality disabled in the
// candidate): retrains, and the answer's not_simulated.
json BacktestCurrent(TestServer& server, const std::string& model, bool veto = true) {
  const json config = server.Call("GET", "/v1/models/" + model).Json();
  json candidate = config;
  for (const char* k : {"created_at", "updated_at", "generation", "id", "name", "webhook"})
    candidate.erase(k);
  if (!veto) candidate["data_quality"]["enabled"] = false;
  // The pipeline never reports back here: a simulated retrain stays in flight for the whole history.
  auto r = server.Call("POST", "/v1/models/" + model + "/backtest",
                       {{"config", candidate}, {"assume_retrain_hours", 8760}});
  EXPECT_EQ(r.status, 200) << r.body;
  return r.Json();
}

// (a): x2 null on every prediction for five days while accuracy drops from 0.92 to 0.70.
void ExpectNullEverywhereNeverRetrains(std::size_t drift_every) {
  TestDatabase db;
  TestServer server(db.url());
  const DayScript incident{.null_share = 1.0, .accuracy_present = 0.70, .accuracy_null = 0.70};
  ASSERT_NO_FATAL_FAILURE(RunIncident(server, "null-x2", drift_every, incident, 1401));
  const json decisions = Decisions(server, "null-x2");
  EXPECT_EQ(Retrains(db, "null-x2"), 0) << decisions.dump(1);
  EXPECT_GE(SuppressedNamingX2(decisions), 1u) << decisions.dump(1);
  // The backtest replays the veto: the live config gives the same decisions.
  const json bt = BacktestCurrent(server, "null-x2");
  EXPECT_EQ(bt["current"]["retrains"], 0) << bt.dump();
  EXPECT_EQ(bt["not_simulated"], json::array({"carbon_deferral"}));
  EXPECT_EQ(SuppressedNamingX2(bt["current"]["decisions"]), SuppressedNamingX2(decisions)) << bt.dump();
  // Without the veto the same history retrains: the incident is a confirmed breach.
  EXPECT_GE(BacktestCurrent(server, "null-x2", false)["retrains"], 1);
}

// (b): x2 null on about half of the predictions, whose accuracy drops to 0.60 while the others stay at
// 0.92 — the whole window breaches (about 0.76).
void ExpectHalfNullCarryingTheBreachNeverRetrains(std::size_t drift_every) {
  TestDatabase db;
  TestServer server(db.url());
  const DayScript incident{.null_share = 0.5, .accuracy_present = 0.92, .accuracy_null = 0.60};
  ASSERT_NO_FATAL_FAILURE(RunIncident(server, "half-null", drift_every, incident, 1402));
  const json decisions = Decisions(server, "half-null");
  EXPECT_EQ(Retrains(db, "half-null"), 0) << decisions.dump(1);
  EXPECT_GE(SuppressedNamingX2(decisions), 1u) << decisions.dump(1);
  // The breach was real over the whole window: some decision confirmed it.
  bool confirmed = false;
  for (const auto& d : decisions)
    confirmed = confirmed || Member(d, "reason").rfind("confirmed breach: acc", 0) == 0;
  EXPECT_TRUE(confirmed) << decisions.dump(1);
  EXPECT_GE(BacktestCurrent(server, "half-null", false)["retrains"], 1);
}

TEST(InputVeto, FeatureNullOnEveryPredictionForFiveDaysNeverRetrains) {
  ExpectNullEverywhereNeverRetrains(1000);
}

TEST(InputVeto, HalfNullPredictionsCarryingTheBreachNeverRetrain) {
  ExpectHalfNullCarryingTheBreachNeverRetrains(1000);
}

// (d): no periodic drift check runs during the whole quarter; the veto is the same.
TEST(InputVeto, WithoutPeriodicDriftChecksNullEverywhereStillVetoes) {
  ExpectNullEverywhereNeverRetrains(100000);
}

TEST(InputVeto, WithoutPeriodicDriftChecksHalfNullStillVetoes) {
  ExpectHalfNullCarryingTheBreachNeverRetrains(100000);
}

// (c): as (b), but the predictions with x2 present drop to 0.70 too: the model degraded on good data.
TEST(InputVeto, CleanPairsConfirmingTheBreachRetrainExactlyOnce) {
  TestDatabase db;
  TestServer server(db.url());
  const DayScript incident{.null_share = 0.5, .accuracy_present = 0.70, .accuracy_null = 0.60};
  ASSERT_NO_FATAL_FAILURE(RunIncident(server, "degraded", 1000, incident, 1403));
  const json decisions = Decisions(server, "degraded");
  ASSERT_EQ(Retrains(db, "degraded"), 1) << decisions.dump(1);
  std::size_t retrain_decisions = 0;
  for (const auto& d : decisions) {
    if (Member(d, "action") != "retrain") continue;
    ++retrain_decisions;
    const std::string reason = Member(d, "reason");
    EXPECT_NE(reason.find("the clean pairs confirm the breach: accuracy"), std::string::npos) << d.dump();
    EXPECT_NE(reason.find("broken input on x2 (missing"), std::string::npos) << d.dump();
  }
  EXPECT_EQ(retrain_decisions, 1u) << decisions.dump(1);
  const json bt = BacktestCurrent(server, "degraded");
  EXPECT_EQ(bt["current"]["retrains"], 1) << bt.dump();
}

// Before the reference is complete no prediction is judged: a confirmed breach then says so.
TEST(InputVeto, BreachBeforeTheReferenceExistsSaysNoVerdictWasPossible) {
  TestDatabase db;
  TestServer server(db.url());
  json model = Model("early", 1000);
  model["reference"] = {{"size", 5000}};
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  QuarterStream stream(1404);
  ASSERT_NO_FATAL_FAILURE(
      Feed(server, "early", stream, {.null_share = 1.0, .accuracy_present = 0.6, .accuracy_null = 0.6}, 2));
  const json decisions = Decisions(server, "early");
  std::size_t retrains = 0;
  for (const auto& d : decisions) {
    if (Member(d, "action") != "retrain") continue;
    ++retrains;
    EXPECT_NE(Member(d, "reason").find("no input-quality verdict was possible"), std::string::npos)
        << d.dump();
  }
  EXPECT_EQ(retrains, 1u) << decisions.dump(1);
  // The predictions' key rows say "not judged".
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM record_keys WHERE kind = 'p' AND broken = '{}'"), "600");
}

}  // namespace
}  // namespace driftgate

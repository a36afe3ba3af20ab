// Carbon-aware deferral over real HTTP and PostgreSQL: PUT/GET /v1/grid-forecast validation, a retrain's
// webhook scheduled (outbox next_attempt_at) at the forecast's lowest-carbon slot inside the model's
// deferral window, sent at once without a forecast; and the ledger's gauges on GET /metrics.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <string>

#include "core/domain/time.h"
#include "db/pool.h"
#include "service/observability/ledger_metrics.h"
#include "service/observability/metrics.h"
#include "service/reporting/sustainability_service.h"
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

constexpr std::int64_t kHourUs = 3600LL * 1'000'000;

std::int64_t WallNowSecondsUs() {
  const auto s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  return static_cast<std::int64_t>(s) * 1'000'000;
}

// Hourly points from one hour before `base` to eight hours after it, all `high` but `low` at base + 2 h.
json Forecast(std::int64_t base_us, const std::string& region, double high = 400, double low = 100) {
  json points = json::array();
  for (int h = -1; h <= 8; ++h) {
    points.push_back(
        {{"at", domain::FormatRfc3339(base_us + h * kHourUs)}, {"g_per_kwh", h == 2 ? low : high}});
  }
  return {{"region", region}, {"points", points}};
}

// Healthy pairs, then degraded ones until the model requests one retrain.
void DriveToRetrain(TestServer& server, const std::string& model, std::uint64_t seed) {
  BinaryStream stream(seed, model + "-");
  auto feed = [&](double p) {
    json preds, labels;
    stream.Next(500, p, preds, labels);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/predictions", preds).status, 200);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/labels", labels).status, 200);
  };
  feed(0.92);
  feed(0.92);
  for (int b = 0; b < 10; ++b) {
    if (!server.Call("GET", "/v1/models/" + model + "/retrains").Json()["retrains"].empty()) return;
    feed(0.6);
  }
}

json OnlyRetrain(TestServer& server, const std::string& model) {
  const json retrains = server.Call("GET", "/v1/models/" + model + "/retrains").Json()["retrains"];
  EXPECT_EQ(retrains.size(), 1u);
  return retrains.empty() ? json::object() : retrains[0];
}

TEST(GridForecast, RejectsUnsortedDuplicateNegativeNonNumericAndTooManyPoints) {
  TestDatabase db;
  TestServer server(db.url());
  auto problem_field = [&](const json& body) {
    auto r = server.Call("PUT", "/v1/grid-forecast", body);
    EXPECT_EQ(r.status, 400) << r.body;
    return r.Json().value("field", std::string());
  };
  const json a{{"at", "2026-11-23T06:00:00Z"}, {"g_per_kwh", 300}};
  const json b{{"at", "2026-11-23T07:00:00Z"}, {"g_per_kwh", 200}};
  EXPECT_EQ(problem_field({{"points", {b, a}}}), "points[1].at");  // unsorted
  EXPECT_EQ(problem_field({{"points", {a, a}}}), "points[1].at");  // duplicate
  EXPECT_EQ(problem_field({{"points", {{{"at", "2026-11-23T06:00:00Z"}, {"g_per_kwh", -1}}}}}),
            "points[0].g_per_kwh");
  EXPECT_EQ(problem_field({{"points", {{{"at", "2026-11-23T06:00:00Z"}, {"g_per_kwh", "low"}}}}}),
            "points[0].g_per_kwh");
  EXPECT_EQ(problem_field({{"points", {{{"at", "yesterday"}, {"g_per_kwh", 1}}}}}), "points[0].at");
  EXPECT_EQ(problem_field({{"region", "Not A Name"}, {"points", json::array()}}), "region");
  EXPECT_EQ(problem_field({{"points", {a}}, {"extra", 1}}), "extra");
  EXPECT_EQ(problem_field(json::object()), "points");
  json many = json::array();
  for (int i = 0; i <= 10000; ++i) {
    many.push_back(
        {{"at", domain::FormatRfc3339(1'800'000'000'000'000LL + i * 60'000'000LL)}, {"g_per_kwh", 1}});
  }
  EXPECT_EQ(problem_field({{"points", many}}), "points");
  EXPECT_EQ(server.Call("GET", "/v1/grid-forecast").Json()["points"], json::array());  // nothing stored
}

TEST(GridForecast, ReplaceStoresAndGetReturnsPerRegion) {
  TestDatabase db;
  TestServer server(db.url());
  const json a{{"at", "2026-11-23T06:00:00Z"}, {"g_per_kwh", 300.5}};
  const json b{{"at", "2026-11-23T07:00:00Z"}, {"g_per_kwh", 0}};
  auto put = server.Call("PUT", "/v1/grid-forecast", {{"points", {a, b}}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.Json()["region"], "default");
  EXPECT_EQ(put.Json()["points"], json({a, b}));
  ASSERT_EQ(server.Call("PUT", "/v1/grid-forecast", {{"region", "de"}, {"points", {b}}}).status, 200);
  ASSERT_EQ(server.Call("PUT", "/v1/grid-forecast", {{"points", {b}}}).status, 200);  // replaces
  EXPECT_EQ(server.Call("GET", "/v1/grid-forecast").Json()["points"], json({b}));
  EXPECT_EQ(server.Call("GET", "/v1/grid-forecast?region=de").Json()["points"], json({b}));
  EXPECT_EQ(server.Call("GET", "/v1/grid-forecast?region=fr").Json()["points"], json::array());
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM audit_log WHERE action = 'grid_forecast.replace'"), "3");
}

TEST(CarbonDeferral, WebhookWaitsForLowestSlotInWindowAndGoesAtOnceWithoutForecast) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  const std::int64_t base = WallNowSecondsUs();
  ASSERT_EQ(server.Call("PUT", "/v1/grid-forecast", Forecast(base, "default")).status, 200);

  json deferred = BinaryModel("deferred", receiver.Url("/deferred"));
  deferred["policy"]["deferral_hours"] = 6;
  deferred["retrain_cost"] = {{"energy_kwh", 40.0}, {"carbon_intensity_g_per_kwh", 400}};
  auto created = server.Call("POST", "/v1/models", deferred);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["policy"]["deferral_hours"], 6.0);
  EXPECT_EQ(created.Json()["policy"]["grid_region"], "default");
  json prompt = BinaryModel("prompt", receiver.Url("/prompt"));
  prompt["policy"]["deferral_hours"] = 6;
  prompt["policy"]["grid_region"] = "nowhere";  // no forecast for this region
  ASSERT_EQ(server.Call("POST", "/v1/models", prompt).status, 201);

  DriveToRetrain(server, "deferred", 11);
  const json r = OnlyRetrain(server, "deferred");
  ASSERT_TRUE(r.contains("deferral")) << r.dump();
  const json& d = r["deferral"];
  const std::int64_t slot = base + 2 * kHourUs;
  EXPECT_EQ(d["scheduled_for"], domain::FormatRfc3339(slot));
  EXPECT_EQ(d["g_per_kwh_now"], 400.0);
  EXPECT_EQ(d["g_per_kwh_scheduled"], 100.0);
  EXPECT_EQ(d["window_hours"], 6.0);
  const auto requested = domain::ParseRfc3339(d["requested_at"].get<std::string>());
  ASSERT_TRUE(requested);
  EXPECT_GE(*requested, base);
  EXPECT_LT(*requested, base + 600LL * 1'000'000);
  // The outbox row is due at the slot (± 1 s), not now.
  const double due_s =
      std::stod(db.Scalar("SELECT extract(epoch from next_attempt_at) FROM outbox WHERE id = 'msg_" +
                          r["id"].get<std::string>() + "'"));
  EXPECT_NEAR(due_s, static_cast<double>(slot) / 1e6, 1.0);
  // The decision records the same deferral.
  const json decisions = server.Call("GET", "/v1/models/deferred/decisions?limit=1000").Json()["decisions"];
  int retrain_decisions = 0;
  for (const auto& dec : decisions) {
    if (dec["action"] != "retrain") continue;
    ++retrain_decisions;
    EXPECT_EQ(dec["deferral"], d);
  }
  EXPECT_EQ(retrain_decisions, 1);

  // Without a forecast for its region the other model's webhook goes at once, deferral recorded as such.
  DriveToRetrain(server, "prompt", 12);
  const json p = OnlyRetrain(server, "prompt");
  EXPECT_EQ(p["deferral"]["scheduled_for"], p["deferral"]["requested_at"]);
  EXPECT_EQ(p["deferral"]["g_per_kwh_scheduled"], nullptr);
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  EXPECT_TRUE(test_support::WaitUntil(
      [&] {
        return db.Scalar("SELECT status FROM outbox WHERE retrain_id::text = '" + p["id"].get<std::string>() +
                         "'") == "delivered";
      },
      std::chrono::seconds(10)));
  // By then the dispatcher has run; the deferred webhook is still pending and was never attempted.
  for (const auto& req : receiver.Requests()) EXPECT_EQ(req.path, "/prompt");
  EXPECT_EQ(db.Scalar("SELECT status || '/' || attempts FROM outbox WHERE id = 'msg_" +
                      r["id"].get<std::string>() + "'"),
            "pending/0");

  // The ledger costs the deferred retrain at the slot's 100 g/kWh: 40 kWh → 4 kg, not 16 kg.
  const json ledger = server.Call("GET", "/v1/models/deferred/sustainability").Json();
  EXPECT_DOUBLE_EQ(ledger["co2e_kg"]["spent"].get<double>(), 4.0);
  EXPECT_DOUBLE_EQ(ledger["energy_kwh"]["spent"].get<double>(), 40.0);
}

TEST(CarbonDeferral, NoDeferralWindowLeavesTheWebhookDueNow) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  ASSERT_EQ(server.Call("PUT", "/v1/grid-forecast", Forecast(WallNowSecondsUs(), "default")).status, 200);
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("plain", receiver.Url("/plain"))).status, 201);
  DriveToRetrain(server, "plain", 13);
  const json r = OnlyRetrain(server, "plain");
  EXPECT_FALSE(r.contains("deferral"));
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  EXPECT_FALSE(json::parse(receiver.Requests()[0].body).contains("deferral"));
}

// The value of one exposition line `name{labels} value`; NaN when absent.
double Sample(const std::string& text, const std::string& series) {
  const auto pos = text.find("\n" + series + " ");
  if (pos == std::string::npos) return std::nan("");
  return std::stod(text.substr(pos + series.size() + 2));
}

TEST(LedgerMetrics, GaugesMatchTheSustainabilityEndpointPerModel) {
  TestDatabase db;
  TestServer server(db.url());
  json costed = BinaryModel("costed", "http://127.0.0.1:9/h");
  costed["retrain_cost"] = {{"energy_kwh", 40.0}, {"carbon_intensity_g_per_kwh", 400}};
  costed["baseline_schedule_days"] = 0.001;  // 86.4 s: the 1,500+ s of data time hold many
  ASSERT_EQ(server.Call("POST", "/v1/models", costed).status, 201);
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("uncosted", "http://127.0.0.1:9/h")).status, 201);
  DriveToRetrain(server, "costed", 21);

  const json ledger = server.Call("GET", "/v1/models/costed/sustainability").Json();
  ASSERT_EQ(ledger["retrains"]["requested"], 1);
  // The gauges are computed in the background: wait for a computation that began after the data settled.
  const double settled =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::string text;
  ASSERT_TRUE(test_support::WaitUntil(
      [&] {
        text = server.Raw("GET", "/metrics", "").body;
        return Sample(text, "driftgate_ledger_updated_timestamp_seconds") > settled;
      },
      std::chrono::seconds(10)));
  for (const char* kind : {"requested", "suppressed", "baseline", "avoided"}) {
    EXPECT_EQ(Sample(text, std::string("driftgate_ledger_retrains{model=\"costed\",kind=\"") + kind + "\"}"),
              ledger["retrains"][kind].get<double>())
        << kind;
  }
  EXPECT_GT(ledger["retrains"]["avoided"].get<double>(), 0);
  for (const char* kind : {"spent", "avoided"}) {
    EXPECT_DOUBLE_EQ(
        Sample(text, std::string("driftgate_ledger_energy_kwh{model=\"costed\",kind=\"") + kind + "\"}"),
        ledger["energy_kwh"][kind].get<double>());
    EXPECT_DOUBLE_EQ(
        Sample(text, std::string("driftgate_ledger_co2e_kg{model=\"costed\",kind=\"") + kind + "\"}"),
        ledger["co2e_kg"][kind].get<double>());
  }
  EXPECT_DOUBLE_EQ(Sample(text, "driftgate_ledger_co2e_kg{model=\"costed\",kind=\"spent\"}"),
                   16.0);  // 40 × 0.4
  // A model without retrain_cost has counts but no energy or CO2e series.
  EXPECT_EQ(Sample(text, "driftgate_ledger_retrains{model=\"uncosted\",kind=\"requested\"}"), 0.0);
  EXPECT_EQ(text.find("driftgate_ledger_energy_kwh{model=\"uncosted\""), std::string::npos);
  // A deleted model drops out at the next scrape.
  ASSERT_EQ(server.Call("DELETE", "/v1/models/uncosted").status, 204);
  EXPECT_TRUE(test_support::WaitUntil(
      [&] { return server.Raw("GET", "/metrics", "").body.find("model=\"uncosted\"") == std::string::npos; },
      std::chrono::seconds(10)));
}

// With skipping on (the production default), a computation that finds nothing written since the last
// one is skipped; a write must still reach the gauges, within PostgreSQL's statistics delay.
TEST(LedgerMetrics, IdleSkippingStillSeesTheNextWrite) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("first", "http://127.0.0.1:9/h")).status, 201);
  db::Pool pool({.url = db.url(), .size = 2});
  service::SustainabilityService sustainability(pool);
  service::MetricsRegistry registry;
  service::LedgerMetrics ledger(
      registry, sustainability,
      {.interval = std::chrono::milliseconds(50), .max_age = std::chrono::minutes(10)});
  auto exported = [&registry](const std::string& model) {
    return registry.Render().find("driftgate_ledger_retrains{model=\"" + model + "\"") != std::string::npos;
  };
  ASSERT_TRUE(test_support::WaitUntil([&] { return exported("first"); }, std::chrono::seconds(10)));
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("second", "http://127.0.0.1:9/h")).status, 201);
  EXPECT_TRUE(test_support::WaitUntil([&] { return exported("second"); }, std::chrono::seconds(30)));
  EXPECT_TRUE(exported("first"));
}

}  // namespace
}  // namespace driftgate

// The sustainability ledger over real HTTP and PostgreSQL: retrain_cost and baseline_schedule_days in the
// model document, and GET /v1/models/{model}/sustainability and GET /v1/sustainability against
// hand-computed figures (energy_kwh and GPU variants).
#include <gtest/gtest.h>

#include "tests/support/stream.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::BinaryStream;
using test_support::TestDatabase;
using test_support::TestServer;

void Feed(TestServer& server, const std::string& model, BinaryStream& stream, int batches, std::size_t size,
          double p) {
  for (int b = 0; b < batches; ++b) {
    json preds, labels;
    stream.Next(size, p, preds, labels);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/predictions", preds).status, 200);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/labels", labels).status, 200);
  }
}

int Count(TestServer& server, const std::string& model, const std::string& what,
          const std::string& action = "") {
  const json body = server.Call("GET", "/v1/models/" + model + "/" + what + "?limit=1000").Json();
  int n = 0;
  for (const auto& item : body[what]) n += action.empty() || item["action"] == action;
  return n;
}

// 1000 healthy pairs, degraded pairs until one retrain (still requested, so later breaches are
// suppressed), three days without data, 500 more degraded pairs. Data time starts 2026-11-01T00:00:00Z.
void History(TestServer& server, const std::string& model, std::uint64_t seed) {
  BinaryStream stream(seed, model + "-");
  Feed(server, model, stream, 2, 500, 0.92);
  for (int b = 0; b < 10 && Count(server, model, "retrains") == 0; ++b)
    Feed(server, model, stream, 1, 500, 0.6);
  ASSERT_EQ(Count(server, model, "retrains"), 1);
  stream.Skip(3 * 86400);
  Feed(server, model, stream, 1, 500, 0.6);
}

json Ledger(TestServer& server, const std::string& path) {
  auto r = server.Call("GET", path);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.Json();
}

TEST(Sustainability, EnergyVariantMatchesHandComputedFigures) {
  TestDatabase db;
  TestServer server(db.url());
  json model = BinaryModel("energy", "http://127.0.0.1:9/h");
  model["retrain_cost"] = {{"energy_kwh", 40.0}, {"carbon_intensity_g_per_kwh", 400}};
  model["baseline_schedule_days"] = 1;
  auto created = server.Call("POST", "/v1/models", model);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Json()["retrain_cost"],
            json({{"energy_kwh", 40.0}, {"carbon_intensity_g_per_kwh", 400.0}}));
  EXPECT_EQ(created.Json()["baseline_schedule_days"], 1.0);
  History(server, "energy", 41);
  const int suppressed = Count(server, "energy", "decisions", "suppressed");
  ASSERT_GE(suppressed, 1);

  // Default period: first to last data time, a little over three days → 3 daily retrains; 1 requested.
  const json all = Ledger(server, "/v1/models/energy/sustainability");
  EXPECT_EQ(all["period"]["from"], "2026-11-01T00:00:00Z");
  EXPECT_EQ(all["retrains"], json({{"requested", 1},
                                   {"suppressed", suppressed},
                                   {"baseline", 3},
                                   {"avoided", 2},
                                   {"did_not_help", 0}}));
  EXPECT_EQ(all["energy_kwh"], json({{"spent", 40.0}, {"avoided", 80.0}}));  // 1 × 40, 2 × 40
  EXPECT_EQ(all["co2e_kg"], json({{"spent", 16.0}, {"avoided", 32.0}}));     // × 400 g/kWh
  EXPECT_EQ(all["model"], "energy");

  // Ten days: baseline 10, avoided 9 → 360 kWh and 144 kg avoided.
  const json ten =
      Ledger(server, "/v1/models/energy/sustainability?from=2026-11-01T00:00:00Z&to=2026-11-11T00:00:00Z");
  EXPECT_EQ(ten["retrains"]["baseline"], 10);
  EXPECT_EQ(ten["retrains"]["avoided"], 9);
  EXPECT_EQ(ten["energy_kwh"]["avoided"], 360.0);
  EXPECT_EQ(ten["co2e_kg"]["avoided"], 144.0);
  EXPECT_EQ(ten["period"], json({{"from", "2026-11-01T00:00:00Z"}, {"to", "2026-11-11T00:00:00Z"}}));

  // A period after the retrain: nothing spent, six days avoided.
  const json later =
      Ledger(server, "/v1/models/energy/sustainability?from=2026-11-02T00:00:00Z&to=2026-11-08T00:00:00Z");
  EXPECT_EQ(later["retrains"]["requested"], 0);
  EXPECT_EQ(later["retrains"]["avoided"], 6);
  EXPECT_EQ(later["energy_kwh"], json({{"spent", 0.0}, {"avoided", 240.0}}));
}

TEST(Sustainability, GpuVariantAndTheFleetSum) {
  TestDatabase db;
  TestServer server(db.url());
  json energy = BinaryModel("energy", "http://127.0.0.1:9/h");
  energy["retrain_cost"] = {{"energy_kwh", 40.0}, {"carbon_intensity_g_per_kwh", 400}};
  energy["baseline_schedule_days"] = 1;
  json gpu = BinaryModel("gpu", "http://127.0.0.1:9/h");
  gpu["retrain_cost"] = {
      {"gpu_hours", 8}, {"gpu_watts", 700}, {"pue", 1.2}, {"carbon_intensity_g_per_kwh", 250}};
  gpu["baseline_schedule_days"] = 2;
  json plain = BinaryModel("plain", "http://127.0.0.1:9/h");  // no cost: counts only; default 7-day schedule
  for (const auto& m : {energy, gpu, plain}) ASSERT_EQ(server.Call("POST", "/v1/models", m).status, 201);
  History(server, "energy", 43);
  History(server, "gpu", 47);

  // GPU: 8 h × 700 W / 1000 × 1.2 = 6.72 kWh per retrain, × 250 g/kWh = 1.68 kg. Ten days at a 2-day
  // schedule: baseline 5, 1 requested, 4 avoided.
  const std::string period = "?from=2026-11-01T00:00:00Z&to=2026-11-11T00:00:00Z";
  const json g = Ledger(server, "/v1/models/gpu/sustainability" + period);
  EXPECT_EQ(g["retrains"]["baseline"], 5);
  EXPECT_EQ(g["retrains"]["avoided"], 4);
  EXPECT_DOUBLE_EQ(g["energy_kwh"]["spent"].get<double>(), 6.72);
  EXPECT_DOUBLE_EQ(g["energy_kwh"]["avoided"].get<double>(), 26.88);
  EXPECT_DOUBLE_EQ(g["co2e_kg"]["spent"].get<double>(), 1.68);
  EXPECT_DOUBLE_EQ(g["co2e_kg"]["avoided"].get<double>(), 6.72);
  EXPECT_EQ(g["retrain_cost"]["pue"], 1.2);

  const json p = Ledger(server, "/v1/models/plain/sustainability" + period);
  EXPECT_EQ(p["retrains"]["baseline"], 1);  // floor(10 / 7)
  EXPECT_EQ(p["retrains"]["avoided"], 1);
  EXPECT_TRUE(p["energy_kwh"]["spent"].is_null());

  // Fleet: energy (10 baseline, 1 requested, 9 avoided) + gpu (5, 1, 4) + plain (1, 0, 1).
  const json fleet = Ledger(server, "/v1/sustainability" + period);
  EXPECT_EQ(fleet["retrains"]["requested"], 2);
  EXPECT_EQ(fleet["retrains"]["baseline"], 16);
  EXPECT_EQ(fleet["retrains"]["avoided"], 14);
  EXPECT_DOUBLE_EQ(fleet["energy_kwh"]["spent"].get<double>(), 40.0 + 6.72);
  EXPECT_DOUBLE_EQ(fleet["energy_kwh"]["avoided"].get<double>(), 360.0 + 26.88);
  EXPECT_DOUBLE_EQ(fleet["co2e_kg"]["spent"].get<double>(), 16.0 + 1.68);
  EXPECT_DOUBLE_EQ(fleet["co2e_kg"]["avoided"].get<double>(), 144.0 + 6.72);
  EXPECT_EQ(fleet["models"].size(), 3u);
  EXPECT_EQ(fleet["uncosted_models"], 1);
  EXPECT_EQ(fleet["period"], json({{"from", "2026-11-01T00:00:00Z"}, {"to", "2026-11-11T00:00:00Z"}}));
}

TEST(Sustainability, RetrainCostIsValidatedNamingTheField) {
  TestDatabase db;
  TestServer server(db.url());
  auto post = [&](const json& cost) {
    json m = BinaryModel("costly", "http://127.0.0.1:9/h");
    m["retrain_cost"] = cost;
    return server.Call("POST", "/v1/models", m);
  };
  auto both =
      post({{"energy_kwh", 1}, {"gpu_hours", 1}, {"gpu_watts", 1}, {"carbon_intensity_g_per_kwh", 1}});
  EXPECT_EQ(both.status, 400);
  EXPECT_NE(both.body.find("retrain_cost"), std::string::npos) << both.body;
  auto no_intensity = post({{"energy_kwh", 1}});
  EXPECT_EQ(no_intensity.status, 400);
  EXPECT_NE(no_intensity.body.find("retrain_cost.carbon_intensity_g_per_kwh"), std::string::npos);
  EXPECT_EQ(post({{"gpu_hours", 1}, {"carbon_intensity_g_per_kwh", 1}}).status, 400);  // no gpu_watts
  EXPECT_EQ(post({{"energy_kwh", -1}, {"carbon_intensity_g_per_kwh", 1}}).status, 400);
  EXPECT_EQ(
      post({{"gpu_hours", 1}, {"gpu_watts", 300}, {"pue", 0.5}, {"carbon_intensity_g_per_kwh", 1}}).status,
      400);
  EXPECT_EQ(post({{"energy_kwh", 1}, {"carbon_intensity_g_per_kwh", 1}, {"kwh", 2}}).status, 400);
  json m = BinaryModel("costly", "http://127.0.0.1:9/h");
  m["baseline_schedule_days"] = 0;
  EXPECT_EQ(server.Call("POST", "/v1/models", m).status, 400);
  // pue defaults to 1 and the stored document round-trips through PUT.
  auto ok = post({{"gpu_hours", 2}, {"gpu_watts", 500}, {"carbon_intensity_g_per_kwh", 300}});
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(ok.Json()["retrain_cost"]["pue"], 1.0);
  EXPECT_EQ(ok.Json()["baseline_schedule_days"], 7.0);
  EXPECT_EQ(server.Call("GET", "/v1/models/costly").Json()["retrain_cost"]["gpu_watts"], 500.0);
  EXPECT_EQ(server.Call("GET", "/v1/models/missing/sustainability").status, 404);
  EXPECT_EQ(server.Call("GET", "/v1/sustainability?from=yesterday").status, 400);
}

}  // namespace
}  // namespace driftgate

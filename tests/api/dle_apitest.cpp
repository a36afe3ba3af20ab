// The label-free regression estimate (DLE, core/dle/dle.h) through the real API on real PostgreSQL: a
// regression model whose error grows where one feature moves — the estimated MAE follows the realized one
// within its interval window after window; the boosters are stored with the reference, so a restarted
// server estimates without fitting again, and a new reference is fitted anew.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/support/sampler.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::Sampler;
using test_support::TestDatabase;
using test_support::TestServer;

// Predictions 2*x0 - x1 of a target whose noise grows with x0 above 0 (sd 0.3 + 0.6 max(x0, 0)); x0 ~
// N(shift, 1.3), x1, x2 ~ N(0, 1), a categorical `region` that does not matter. Records the absolute
// errors of each batch so a test knows the realized MAE without sending the labels.
class RegressionStream {
 public:
  explicit RegressionStream(std::uint64_t seed) : rng_(seed) {}

  void Next(std::size_t n, double shift, json& predictions, json& labels, std::vector<double>& errors) {
    predictions = {{"records", json::array()}};
    labels = {{"records", json::array()}};
    errors.clear();
    for (std::size_t i = 0; i < n; ++i, ++count_) {
      const std::string id = "g" + std::to_string(count_);
      const double x0 = rng_.Gaussian(shift, 1.3), x1 = rng_.Gaussian(0, 1), x2 = rng_.Gaussian(0, 1);
      const double prediction = 2 * x0 - x1;
      const double error = rng_.Gaussian(0, 0.3 + 0.6 * std::max(x0, 0.0));
      predictions["records"].push_back(
          {{"id", id},
           {"features", {{"x0", x0}, {"x1", x1}, {"x2", x2}, {"region", count_ % 3 ? "north" : "south"}}},
           {"prediction", prediction}});
      labels["records"].push_back({{"id", id}, {"label", prediction + error}});
      errors.push_back(std::abs(error));
    }
  }

 private:
  Sampler rng_;
  std::size_t count_ = 0;
};

json Model() {
  return {{"name", "dle"},
          {"task", "regression"},
          {"kpis", {{{"metric", "mae"}, {"max", 0.7}}, {{"metric", "rmse"}, {"max", 2.0}}}},
          {"evaluation", {{"window", 500}, {"min_samples", 300}, {"confidence", 0.95}}},
          {"detectors", json::array()},
          {"reference", {{"size", 2000}}},
          {"drift", {{"window", 500}, {"every", 500}}},
          {"webhook", {{"url", "http://127.0.0.1:9/hook"}}}};
}

json EstimatedPoints(TestServer& server) {
  return server.Call("GET", "/v1/models/dle/metrics?kind=estimated&limit=1000").Json()["metrics"];
}

// Sends a window of 500 predictions (no labels) and returns its estimate point once the check stored it.
json SendWindow(TestServer& server, RegressionStream& stream, double shift, double& realized_mae) {
  const std::size_t before = EstimatedPoints(server).size();
  json preds, labels;
  std::vector<double> errors;
  stream.Next(500, shift, preds, labels, errors);
  EXPECT_EQ(server.Call("POST", "/v1/models/dle/predictions", preds).status, 200);
  EXPECT_TRUE(test_support::WaitUntil([&] { return EstimatedPoints(server).size() > before; },
                                      std::chrono::seconds(60)));
  realized_mae = 0;
  for (double e : errors) realized_mae += e / 500.0;
  const json points = EstimatedPoints(server);
  return points.empty() ? json() : points.back();
}

void SendReference(TestServer& server, RegressionStream& stream) {
  json preds, labels;
  std::vector<double> errors;
  stream.Next(2000, 0.0, preds, labels, errors);
  ASSERT_EQ(server.Call("POST", "/v1/models/dle/predictions", preds).status, 200);
  ASSERT_EQ(server.Call("POST", "/v1/models/dle/labels", labels).status, 200);
}

double FitsMetric(TestServer& server) {
  const std::string body = server.Raw("GET", "/metrics", "").body;
  const std::string key = "driftgate_dle_fits_total{model=\"dle\"} ";
  const auto at = body.find(key);
  return at == std::string::npos ? 0.0 : std::stod(body.substr(at + key.size()));
}

TEST(RegressionEstimate, EstimatedMaeFollowsTheRealizedErrorAsTheFeatureShifts) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", Model()).status, 201);
  RegressionStream stream(311);
  ASSERT_NO_FATAL_FAILURE(SendReference(server, stream));

  int covered = 0;
  std::vector<double> estimated, realized;
  for (double shift : {0.0, 0.4, 0.8, 1.2, 1.6}) {
    double mae = 0;
    const json point = SendWindow(server, stream, shift, mae);
    ASSERT_TRUE(point.is_object()) << "no estimate for shift " << shift;
    EXPECT_EQ(point["n"], 500);
    const json est = point["kpis"]["mae"];
    ASSERT_TRUE(point["kpis"].contains("rmse")) << point.dump();
    covered += est["lower"].get<double>() <= mae && mae <= est["upper"].get<double>();
    estimated.push_back(est["value"].get<double>());
    realized.push_back(mae);
    std::printf("shift %.1f: realized MAE %.4f, estimated %.4f [%.4f, %.4f]\n", shift, mae,
                est["value"].get<double>(), est["lower"].get<double>(), est["upper"].get<double>());
  }
  EXPECT_GE(covered, 4) << "realized MAE inside the estimated interval in " << covered << " of 5 windows";
  // The error grew by more than half, and the estimate followed it.
  EXPECT_GT(realized.back(), 1.5 * realized.front());
  EXPECT_GT(estimated.back(), 1.5 * estimated.front());
  EXPECT_EQ(FitsMetric(server), 1.0);  // one fit for the reference, whatever the number of checks
  EXPECT_EQ(db.Scalar("SELECT labelled FROM dle_models"), "2000");
  // The estimated MAE's whole interval passed its maximum of 0.7 in the last windows: a label-free breach
  // warns, naming DLE, and never retrains (policy.allow_estimated is false).
  const json decisions = server.Call("GET", "/v1/models/dle/decisions?limit=100").Json()["decisions"];
  int warned = 0;
  for (const auto& d : decisions) {
    EXPECT_NE(d["action"], "retrain") << d.dump();
    warned += d["reason"].get<std::string>().find("estimated breach (DLE") != std::string::npos &&
              d["action"] == "warn" && d["kpis"]["mae"]["confirmed_breach"] == true;
  }
  EXPECT_EQ(warned, 1) << decisions.dump();
}

TEST(RegressionEstimate, RestartedServerUsesTheStoredFitAndANewReferenceIsFittedAnew) {
  TestDatabase db;
  RegressionStream stream(313);
  std::string fitted_at;
  {
    TestServer first(db.url());
    ASSERT_EQ(first.Call("POST", "/v1/models", Model()).status, 201);
    ASSERT_NO_FATAL_FAILURE(SendReference(first, stream));
    double mae = 0;
    ASSERT_TRUE(SendWindow(first, stream, 0.0, mae).is_object());
    EXPECT_EQ(FitsMetric(first), 1.0);
    fitted_at = db.Scalar("SELECT fitted_at::text FROM dle_models");
    ASSERT_FALSE(fitted_at.empty());
  }
  TestServer second(db.url());  // a restart: nothing in memory, the same database
  double mae = 0;
  const json point = SendWindow(second, stream, 0.8, mae);
  ASSERT_TRUE(point.is_object());
  EXPECT_TRUE(point["kpis"].contains("mae"));
  EXPECT_EQ(FitsMetric(second), 0.0);
  EXPECT_EQ(db.Scalar("SELECT fitted_at::text FROM dle_models"), fitted_at);

  // A new reference (the first 1,000 reference records again, already labelled): the next check refits.
  json preds, labels;
  std::vector<double> errors;
  RegressionStream replay(313);
  replay.Next(1000, 0.0, preds, labels, errors);
  ASSERT_EQ(second.Call("PUT", "/v1/models/dle/reference", preds).status, 200);
  ASSERT_TRUE(SendWindow(second, stream, 0.8, mae).is_object());
  EXPECT_EQ(FitsMetric(second), 1.0);
  EXPECT_NE(db.Scalar("SELECT fitted_at::text FROM dle_models"), fitted_at);
  EXPECT_EQ(db.Scalar("SELECT labelled FROM dle_models"), "1000");
}

TEST(RegressionEstimate, DleSettingsAreValidatedAndEchoed) {
  TestDatabase db;
  TestServer server(db.url());
  json model = Model();
  model["dle"] = {{"rounds", 0}};
  auto r = server.Call("POST", "/v1/models", model);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.Json()["field"], "dle.rounds") << r.body;
  model["dle"] = {{"depth", 3}};
  EXPECT_EQ(server.Call("POST", "/v1/models", model).Json()["field"], "dle.depth");
  model["dle"] = {{"rounds", 50}, {"eta", 0.2}};
  ASSERT_EQ(server.Call("POST", "/v1/models", model).status, 201);
  const json stored = server.Call("GET", "/v1/models/dle").Json();
  EXPECT_EQ(stored["dle"]["rounds"], 50);
  EXPECT_EQ(stored["dle"]["max_depth"], 4);
  EXPECT_EQ(stored["dle"]["holdout_every"], 4);
  json binary = test_support::BinaryModel("bin", "http://127.0.0.1:9/hook");
  binary["dle"] = {{"rounds", 50}};
  EXPECT_EQ(server.Call("POST", "/v1/models", binary).Json()["field"], "dle");
}

}  // namespace
}  // namespace driftgate

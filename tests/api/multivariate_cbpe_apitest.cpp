// Multivariate drift (PCA reconstruction error) and multiclass CBPE through the real API on real
// PostgreSQL: a flipped correlation that no single-feature test sees is stored as a `multivariate` drift
// event with a `warn` decision; a multiclass model's label-free estimate is a `kind=estimated` series whose
// interval holds the realized accuracy.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <utility>

#include "tests/support/sampler.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::TestDatabase;
using test_support::TestServer;

std::vector<json> Events(TestServer& server, const std::string& model, const std::string& kind) {
  std::vector<json> out;
  const json body = server.Call("GET", "/v1/models/" + model + "/drift?limit=1000").Json();
  for (const auto& e : body["drift"]) {
    if (e["kind"] == kind) out.push_back(e);
  }
  return out;
}

json Model(const std::string& name, const std::string& task) {
  json kpis = json::array();
  kpis.push_back({{"metric", "accuracy"}, {"min", 0.5}});
  if (task == "multiclass_classification") kpis.push_back({{"metric", "macro_f1"}, {"min", 0.3}});
  return {{"name", name},
          {"task", task},
          {"kpis", kpis},
          {"detectors", json::array()},
          {"reference", {{"size", 2000}}},
          {"drift", {{"window", 1000}, {"every", 1000}}},
          {"webhook", {{"url", "http://127.0.0.1:9/h"}}}};
}

std::string Ts(std::size_t i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "2026-11-01T%02zu:%02zu:%02zuZ", i / 3600, (i / 60) % 60, i % 60);
  return buf;
}

// `n` binary predictions from `start` whose features x, y have correlation `rho` (each N(0, 1)), with two
// independent features beside them.
json Correlated(test_support::Sampler& gen, std::size_t start, std::size_t n, double rho) {
  const auto z = [&gen] { return gen.Gaussian(0.0, 1.0); };
  json records = json::array();
  for (std::size_t i = start; i < start + n; ++i) {
    const double x = z(), y = rho * x + std::sqrt(1 - rho * rho) * z();
    records.push_back({{"id", "p" + std::to_string(i)},
                       {"ts", Ts(i)},
                       {"features", {{"x", x}, {"y", y}, {"n1", z()}, {"n2", z()}}},
                       {"prediction", x > 0 ? 1 : 0}});
  }
  return {{"records", records}};
}

TEST(MultivariateDrift, FlippedCorrelationWarnsWhileNoFeatureDrifts) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", Model("pairs", "binary_classification")).status, 201);
  test_support::Sampler gen(11);
  ASSERT_EQ(server.Call("POST", "/v1/models/pairs/predictions", Correlated(gen, 0, 2000, 0.8)).status, 200);
  ASSERT_EQ(server.Call("POST", "/v1/models/pairs/predictions", Correlated(gen, 2000, 1000, 0.8)).status,
            200);
  ASSERT_TRUE(test_support::WaitUntil([&] { return Events(server, "pairs", "multivariate").size() >= 1; },
                                      std::chrono::seconds(30)));
  ASSERT_EQ(server.Call("POST", "/v1/models/pairs/predictions", Correlated(gen, 3000, 1000, -0.8)).status,
            200);
  ASSERT_TRUE(test_support::WaitUntil([&] { return Events(server, "pairs", "multivariate").size() >= 2; },
                                      std::chrono::seconds(30)));
  const auto checks = Events(server, "pairs", "multivariate");
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_FALSE(checks[0]["alert"].get<bool>()) << checks[0].dump();
  EXPECT_TRUE(checks[1]["alert"].get<bool>()) << checks[1].dump();
  EXPECT_GT(checks[1]["reconstruction_error"].get<double>(), checks[1]["upper"].get<double>());
  EXPECT_EQ(checks[1]["method"], "pca_reconstruction");
  EXPECT_EQ(checks[1]["current_size"], 1000);
  EXPECT_EQ(checks[1]["features"], json::array({"n1", "n2", "x", "y"}));
  // Every single-feature test of the same check: nothing drifted.
  const auto data = Events(server, "pairs", "data");
  ASSERT_EQ(data.size(), 2u);
  for (const auto& f : data[1]["features"]) {
    if (f["feature"] != "prediction") {
      EXPECT_FALSE(f["drifted"].get<bool>()) << f.dump();
    }
  }
  const json decisions = server.Call("GET", "/v1/models/pairs/decisions").Json()["decisions"];
  ASSERT_EQ(decisions.size(), 1u) << decisions.dump(1);
  EXPECT_EQ(decisions[0]["action"], "warn");
  EXPECT_EQ(
      decisions[0]["reason"].get<std::string>().rfind("multivariate drift: PCA reconstruction error", 0), 0u)
      << decisions[0].dump();
}

TEST(MultivariateDrift, ConfigIsValidatedAndCanTurnItOff) {
  TestDatabase db;
  TestServer server(db.url());
  json bad = Model("bad", "binary_classification");
  bad["drift"]["multivariate"] = {{"variance", 1.0}};
  auto r = server.Call("POST", "/v1/models", bad);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("drift.multivariate.variance"), std::string::npos) << r.body;
  json off = Model("off", "binary_classification");
  off["drift"]["multivariate"] = {{"enabled", false}};
  r = server.Call("POST", "/v1/models", off);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.Json()["drift"]["multivariate"],
            (json{{"enabled", false}, {"variance", 0.65}, {"chunks", 10}}));
  test_support::Sampler gen(13);
  ASSERT_EQ(server.Call("POST", "/v1/models/off/predictions", Correlated(gen, 0, 2000, 0.8)).status, 200);
  ASSERT_EQ(server.Call("POST", "/v1/models/off/predictions", Correlated(gen, 2000, 1000, -0.8)).status, 200);
  ASSERT_TRUE(test_support::WaitUntil([&] { return Events(server, "off", "data").size() >= 1; },
                                      std::chrono::seconds(30)));
  EXPECT_TRUE(Events(server, "off", "multivariate").empty());
}

// Three string classes over x in R^2; P(y | x) = softmax(W x) never changes; the model's scores are the
// miscalibrated softmax(1.6 W x + b) and it predicts their argmax. (predictions, labels) from `start`.
std::pair<json, json> Multiclass(test_support::Sampler& gen, std::size_t start, std::size_t n, double mx,
                                 double my) {
  static const char* kClasses[] = {"cat", "dog", "emu"};
  json preds = json::array(), labels = json::array();
  for (std::size_t i = start; i < start + n; ++i) {
    const double x = gen.Gaussian(mx, 1.0), y = gen.Gaussian(my, 1.0);
    const double logit[3] = {2.0 * x, -x + 1.5 * y, -x - 1.5 * y};
    double truth[3], score[3], st = 0, ss = 0;
    for (int k = 0; k < 3; ++k) st += truth[k] = std::exp(logit[k]);
    const double bias[3] = {0.3, 0.0, -0.3};
    for (int k = 0; k < 3; ++k) ss += score[k] = std::exp(1.6 * logit[k] + bias[k]);
    int predicted = 0;
    for (int k = 0; k < 3; ++k) {
      truth[k] /= st;
      score[k] /= ss;
      if (score[k] > score[predicted]) predicted = k;
    }
    const double draw = gen.Uniform();
    const int actual = draw < truth[0] ? 0 : (draw < truth[0] + truth[1] ? 1 : 2);
    const std::string id = "m" + std::to_string(i);
    preds.push_back({{"id", id},
                     {"ts", Ts(i)},
                     {"features", {{"x", x}, {"y", y}}},
                     {"prediction", kClasses[predicted]},
                     {"score", {{"cat", score[0]}, {"dog", score[1]}, {"emu", score[2]}}}});
    labels.push_back({{"id", id}, {"label", kClasses[actual]}, {"ts", Ts(i)}});
  }
  return {json{{"records", preds}}, json{{"records", labels}}};
}

TEST(MulticlassEstimate, EstimatedAccuracyHoldsTheRealizedOneUnderCovariateShift) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", Model("zoo", "multiclass_classification")).status, 201);
  test_support::Sampler gen(17);
  const auto [ref_preds, ref_labels] = Multiclass(gen, 0, 2000, 0.0, 0.0);
  ASSERT_EQ(server.Call("POST", "/v1/models/zoo/predictions", ref_preds).status, 200);
  auto r = server.Call("POST", "/v1/models/zoo/labels", ref_labels);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto [preds, labels] = Multiclass(gen, 2000, 1000, 0.8, -0.5);
  ASSERT_EQ(server.Call("POST", "/v1/models/zoo/predictions", preds).status, 200);
  ASSERT_TRUE(test_support::WaitUntil([&] { return Events(server, "zoo", "data").size() >= 1; },
                                      std::chrono::seconds(30)));
  r = server.Call("GET", "/v1/models/zoo/metrics?kind=estimated");
  ASSERT_EQ(r.status, 200) << r.body;
  const json points = r.Json()["metrics"];
  ASSERT_EQ(points.size(), 1u) << points.dump();
  EXPECT_EQ(points[0]["n"], 1000);
  ASSERT_TRUE(points[0]["kpis"].contains("macro_f1")) << points.dump();
  const json est = points[0]["kpis"]["accuracy"];
  double realized = 0;
  for (std::size_t i = 0; i < 1000; ++i)
    realized += preds["records"][i]["prediction"] == labels["records"][i]["label"] ? 1.0 : 0.0;
  realized /= 1000;
  EXPECT_LE(est["lower"].get<double>(), realized) << est.dump();
  EXPECT_GE(est["upper"].get<double>(), realized) << est.dump();
  EXPECT_LT(est["upper"].get<double>() - est["lower"].get<double>(), 0.1) << est.dump();
  const json per_class = points[0]["per_class"];
  ASSERT_EQ(per_class.size(), 3u) << points[0].dump();
  for (const char* cls : {"cat", "dog", "emu"}) {
    ASSERT_TRUE(per_class.contains(cls)) << per_class.dump();
    const double recall = per_class[cls]["recall"]["value"].get<double>();
    EXPECT_GT(recall, 0.0);
    EXPECT_LT(recall, 1.0);
  }
}

}  // namespace
}  // namespace driftgate

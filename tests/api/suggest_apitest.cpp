// Threshold suggestions over real HTTP and PostgreSQL: on a reference of known accuracy, every binary KPI's
// value and interval equal an independent computation from the records the test sent (textbook formulas,
// O(n^2) loops where the server uses O(1) updates, quantiles printed by scipy), the suggested thresholds
// follow the stated rule, and the attached backtest equals POST .../backtest with the suggested config.
// Careless input gets problem+json naming the field; nothing is written.
#include <gtest/gtest.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <sstream>

#include "app/suggest_cli.h"
#include "core/domain/time.h"
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

// scipy.stats.norm.ppf(0.975) and scipy.stats.t.ppf(0.975, 999) (scipy 1.10, Debian's /usr/bin/python3).
constexpr double kZ95 = 1.959963984540054;
constexpr double kT95Df999 = 1.9623414611334487;
constexpr double kSecondUs = 1e6;

struct Record {
  int pred = 0;
  int label = 0;
  double score = 0.0;
  std::int64_t ts_us = 0;
};

struct Interval {
  double value, lower, upper;
};

Interval Wilson(double successes, double n) {
  const double p = successes / n, z2 = kZ95 * kZ95;
  const double center = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = kZ95 * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
  return {p, center - half, center + half};
}

double F1Of(const std::vector<Record>& rs, std::size_t skip) {
  double tp = 0, fp = 0, fn = 0;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    if (i == skip) continue;
    tp += rs[i].pred == 1 && rs[i].label == 1;
    fp += rs[i].pred == 1 && rs[i].label == 0;
    fn += rs[i].pred == 0 && rs[i].label == 1;
  }
  return 2 * tp / (2 * tp + fp + fn);
}

// Delete-one jackknife by brute force: F1 recounted without each record in turn.
Interval JackknifeF1(const std::vector<Record>& rs) {
  const double n = static_cast<double>(rs.size());
  std::vector<double> reps;
  for (std::size_t i = 0; i < rs.size(); ++i) reps.push_back(F1Of(rs, i));
  double mean = 0, ss = 0;
  for (double r : reps) mean += r / n;
  for (double r : reps) ss += (r - mean) * (r - mean);
  const double se = std::sqrt((n - 1) / n * ss), v = F1Of(rs, rs.size());
  return {v, std::max(0.0, v - kZ95 * se), std::min(1.0, v + kZ95 * se)};
}

// DeLong et al. (1988) from the pairwise kernel, O(m n).
Interval DeLongAuc(const std::vector<Record>& rs) {
  std::vector<double> x, y;
  for (const auto& r : rs) (r.label == 1 ? x : y).push_back(r.score);
  const double m = static_cast<double>(x.size()), n = static_cast<double>(y.size());
  std::vector<double> v10(x.size(), 0.0), v01(y.size(), 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    for (std::size_t j = 0; j < y.size(); ++j) {
      const double psi = x[i] > y[j] ? 1.0 : x[i] == y[j] ? 0.5 : 0.0;
      v10[i] += psi / n;
      v01[j] += psi / m;
    }
  }
  double auc = 0, s10 = 0, s01 = 0;
  for (double v : v10) auc += v / m;
  for (double v : v10) s10 += (v - auc) * (v - auc) / (m - 1);
  for (double v : v01) s01 += (v - auc) * (v - auc) / (n - 1);
  const double se = std::sqrt(s10 / m + s01 / n);
  return {auc, std::max(0.0, auc - kZ95 * se), std::min(1.0, auc + kZ95 * se)};
}

// sklearn's log_loss per record (p clipped to [eps, 1 - eps]) and a Student t interval of the mean.
Interval LogLoss(const std::vector<Record>& rs) {
  std::vector<double> losses;
  for (const auto& r : rs) {
    const double p = std::clamp(r.score, DBL_EPSILON, 1 - DBL_EPSILON);
    losses.push_back(r.label == 1 ? -std::log(p) : -std::log(1 - p));
  }
  const double n = static_cast<double>(losses.size());
  double mean = 0, ss = 0;
  for (double l : losses) mean += l / n;
  for (double l : losses) ss += (l - mean) * (l - mean);
  const double half = kT95Df999 * std::sqrt(ss / (n - 1)) / std::sqrt(n);
  return {mean, std::max(0.0, mean - half), mean + half};
}

// Sends `batches` of `size` records at accuracy `p` (predictions, then labels) and keeps what it sent.
void Feed(TestServer& server, const std::string& model, BinaryStream& stream, int batches, std::size_t size,
          double p, std::vector<Record>* sent = nullptr) {
  for (int b = 0; b < batches; ++b) {
    json preds, labels;
    stream.Next(size, p, preds, labels);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/predictions", preds).status, 200);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/labels", labels).status, 200);
    for (std::size_t i = 0; sent && i < size; ++i) {
      const json& pr = preds["records"][i];
      sent->push_back({.pred = pr["prediction"].get<int>(),
                       .label = labels["records"][i]["label"].get<int>(),
                       .score = pr["score"].get<double>(),
                       .ts_us = *domain::ParseRfc3339(pr["ts"].get<std::string>())});
    }
  }
}

json Suggest(TestServer& server, const std::string& model, const json& body) {
  auto r = server.Call("POST", "/v1/models/" + model + "/suggest", body);
  EXPECT_EQ(r.status, 200) << r.body;
  return r.Json();
}

std::string WrittenRows(const TestDatabase& db) {
  return db.Scalar(
      "SELECT concat_ws(',', (SELECT count(*) FROM decisions), (SELECT count(*) FROM metrics), "
      "(SELECT count(*) FROM retrains), (SELECT count(*) FROM outbox), "
      "(SELECT coalesce(sum(version), 0) FROM model_state), (SELECT count(*) FROM labels))");
}

void ExpectKpi(const json& got, const Interval& want, const std::string& name) {
  EXPECT_NEAR(got["value"].get<double>(), want.value, 1e-12) << name;
  EXPECT_NEAR(got["lower"].get<double>(), want.lower, 1e-9) << name;
  EXPECT_NEAR(got["upper"].get<double>(), want.upper, 1e-9) << name;
}

// A model whose reference is its first 1000 predictions, all labelled at accuracy 0.9; then 1000 more
// healthy pairs and a collapse to 0.6 that the live path retrains on.
struct Scenario {
  std::vector<Record> reference;
  std::vector<Record> later;
};

Scenario Record1000(TestServer& server, const std::string& model) {
  json config = BinaryModel(model, "http://127.0.0.1:9/hooks/retrain", 0.85);
  config["reference"] = {{"size", 1000}};
  EXPECT_EQ(server.Call("POST", "/v1/models", config).status, 201);
  Scenario s;
  BinaryStream stream(17, model + "-");
  Feed(server, model, stream, 5, 200, 0.9, &s.reference);
  Feed(server, model, stream, 5, 200, 0.9, &s.later);
  Feed(server, model, stream, 6, 200, 0.6);
  return s;
}

TEST(Suggest, ReferenceKpisMatchAnIndependentComputationAndTheBacktestIsThatOfTheSuggestedConfig) {
  TestDatabase db;
  TestServer server(db.url());
  const Scenario s = Record1000(server, "suggested");
  ASSERT_EQ(db.Scalar("SELECT count(*) FROM reference_records"), "1000");
  const std::string before = WrittenRows(db);

  const json answer = Suggest(server, "suggested", json::object());
  EXPECT_EQ(answer["baseline"]["source"], "reference");
  EXPECT_EQ(answer["baseline"]["pairs"], 1000);
  EXPECT_EQ(answer["baseline"]["from"], domain::FormatRfc3339(s.reference.front().ts_us));
  EXPECT_EQ(answer["baseline"]["to"], domain::FormatRfc3339(s.reference.back().ts_us));
  EXPECT_EQ(answer["confidence"], 0.95);
  const json& k = answer["kpis"];
  ASSERT_EQ(k.size(), 6u) << k.dump();

  double correct = 0, tp = 0, fp = 0, fn = 0;
  for (const auto& r : s.reference) {
    correct += r.pred == r.label;
    tp += r.pred == 1 && r.label == 1;
    fp += r.pred == 1 && r.label == 0;
    fn += r.pred == 0 && r.label == 1;
  }
  const Interval accuracy = Wilson(correct, 1000);
  ExpectKpi(k["accuracy"], accuracy, "accuracy");
  // The stream's accuracy is 0.9 by construction; its 95 % interval covers it.
  EXPECT_LE(accuracy.lower, 0.9);
  EXPECT_GE(accuracy.upper, 0.9);
  ExpectKpi(k["precision"], Wilson(tp, tp + fp), "precision");
  ExpectKpi(k["recall"], Wilson(tp, tp + fn), "recall");
  ExpectKpi(k["f1"], JackknifeF1(s.reference), "f1");
  ExpectKpi(k["roc_auc"], DeLongAuc(s.reference), "roc_auc");
  const Interval log_loss = LogLoss(s.reference);
  ExpectKpi(k["log_loss"], log_loss, "log_loss");
  EXPECT_EQ(k["accuracy"]["n"], 1000);
  EXPECT_EQ(k["precision"]["n"], 1000);  // Estimate::n counts the pairs (kpi/estimators.h)
  EXPECT_EQ(k["accuracy"]["interval_method"], "wilson");

  // Default tolerances: 0.02 below a lower bound, 10 % above an upper bound.
  for (const char* m : {"accuracy", "precision", "recall", "f1", "roc_auc"}) {
    EXPECT_NEAR(k[m]["suggested"]["min"].get<double>(), k[m]["lower"].get<double>() - 0.02, 1e-15) << m;
  }
  EXPECT_NEAR(k["accuracy"]["suggested"]["min"].get<double>(), accuracy.lower - 0.02, 1e-9);
  EXPECT_NEAR(k["log_loss"]["suggested"]["max"].get<double>(), log_loss.upper * 1.1, 1e-9);
  EXPECT_EQ(k["log_loss"]["rule"].get<std::string>().rfind("max = upper * (1 + 0.1)", 0), 0u)
      << k["log_loss"];
  EXPECT_EQ(k["accuracy"]["rule"].get<std::string>().rfind("min = lower - 0.02", 0), 0u) << k["accuracy"];

  // The suggested config monitors the model's KPIs (accuracy) at the suggested threshold.
  EXPECT_EQ(k["accuracy"]["in_config"], "suggested");
  EXPECT_TRUE(k["f1"]["in_config"].is_null());
  EXPECT_EQ(answer["config"]["kpis"],
            json::array({{{"metric", "accuracy"}, {"min", k["accuracy"]["suggested"]["min"]}}}));
  EXPECT_FALSE(answer["config"].contains("webhook"));
  // The attached backtest is exactly POST .../backtest with that config; the collapse retrains.
  auto bt = server.Call("POST", "/v1/models/suggested/backtest", {{"config", answer["config"]}});
  ASSERT_EQ(bt.status, 200) << bt.body;
  EXPECT_EQ(bt.Json(), answer["backtest"]);
  EXPECT_GE(answer["backtest"]["retrains"].get<int>(), 1) << answer["backtest"].dump();
  EXPECT_EQ(answer["backtest"]["pairs"], 3200);

  // The command line prints the same JSON.
  std::ostringstream out, err;
  ASSERT_EQ(service::RunSuggestCommand({"--model", "suggested", "--db", db.url()}, nullptr, out, err), 0)
      << err.str();
  EXPECT_EQ(json::parse(out.str()), answer);
  EXPECT_EQ(WrittenRows(db), before);
}

TEST(Suggest, TolerancesKpiChoiceAndAPeriodAreHonoured) {
  TestDatabase db;
  TestServer server(db.url());
  const Scenario s = Record1000(server, "tuned");
  const json body = {{"tolerance", {{"absolute", 0.05}, {"relative", 0.25}}},
                     {"kpis", json::array({"log_loss", "accuracy"})},
                     {"assume_retrain_hours", 2}};
  const json answer = Suggest(server, "tuned", body);
  const json& k = answer["kpis"];
  EXPECT_EQ(answer["tolerance"], json({{"absolute", 0.05}, {"relative", 0.25}}));
  EXPECT_NEAR(k["accuracy"]["suggested"]["min"].get<double>(), k["accuracy"]["lower"].get<double>() - 0.05,
              1e-15);
  EXPECT_NEAR(k["log_loss"]["suggested"]["max"].get<double>(), LogLoss(s.reference).upper * 1.25, 1e-9);
  EXPECT_EQ(answer["config"]["kpis"],
            json::array({{{"metric", "log_loss"}, {"max", k["log_loss"]["suggested"]["max"]}},
                         {{"metric", "accuracy"}, {"min", k["accuracy"]["suggested"]["min"]}}}));
  auto bt = server.Call("POST", "/v1/models/tuned/backtest",
                        {{"config", answer["config"]}, {"assume_retrain_hours", 2}});
  ASSERT_EQ(bt.status, 200) << bt.body;
  EXPECT_EQ(bt.Json(), answer["backtest"]);

  // A period of label data time [from, to): the second thousand pairs.
  const std::string from = domain::FormatRfc3339(s.later.front().ts_us);
  const std::string to = domain::FormatRfc3339(s.later.back().ts_us + static_cast<std::int64_t>(kSecondUs));
  const json period = Suggest(server, "tuned", {{"from", from}, {"to", to}});
  EXPECT_EQ(period["baseline"], json({{"source", "period"}, {"from", from}, {"to", to}, {"pairs", 1000}}));
  double correct = 0;
  for (const auto& r : s.later) correct += r.pred == r.label;
  ExpectKpi(period["kpis"]["accuracy"], Wilson(correct, 1000), "accuracy");
  ExpectKpi(period["kpis"]["log_loss"], LogLoss(s.later), "log_loss");
}

TEST(Suggest, WithoutLabelledPairsNothingIsSuggestedAndConfiguredThresholdsStay) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("bare", "http://127.0.0.1:9/h")).status, 201);
  const json answer = Suggest(server, "bare", json::object());
  EXPECT_EQ(answer["baseline"]["pairs"], 0);
  EXPECT_TRUE(answer["kpis"]["accuracy"]["value"].is_null());
  EXPECT_TRUE(answer["kpis"]["accuracy"]["suggested"].is_null());
  EXPECT_EQ(answer["kpis"]["accuracy"]["rule"], "none: the metric is undefined on these pairs");
  EXPECT_EQ(answer["kpis"]["accuracy"]["in_config"], "current");
  EXPECT_EQ(answer["config"]["kpis"], json::array({{{"metric", "accuracy"}, {"min", 0.85}}}));
  EXPECT_EQ(answer["backtest"]["pairs"], 0);
  // A metric with neither a suggestion nor a configured threshold is left out; none left: no config.
  const json none = Suggest(server, "bare", {{"kpis", json::array({"f1"})}});
  EXPECT_TRUE(none["kpis"]["f1"]["in_config"].is_null());
  EXPECT_TRUE(none["config"].is_null());
  EXPECT_TRUE(none["backtest"].is_null());
}

TEST(Suggest, CarelessInputIsAProblemNamingTheField) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("careful", "http://127.0.0.1:9/h")).status, 201);
  const std::string admin = std::string("Authorization: Bearer ") + test_support::kAdminToken;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"tolerance": {"absolute": -0.1}})", "tolerance.absolute"},
      {R"({"tolerance": {"relative": 1.5}})", "tolerance.relative"},
      {R"({"tolerance": {"relative": "10%"}})", "tolerance.relative"},
      {R"({"tolerance": {"abs": 0.1}})", "tolerance.abs"},
      {R"({"tolerance": 0.1})", "tolerance"},
      {R"({"kpis": ["mae"]})", "kpis[0]"},
      {R"({"kpis": ["accuracy", "bogus"]})", "kpis[1]"},
      {R"({"kpis": ["accuracy", "accuracy"]})", "kpis[1]"},
      {R"({"kpis": []})", "kpis"},
      {R"({"kpis": "accuracy"})", "kpis"},
      {R"({"from": "yesterday"})", "from"},
      {R"({"to": 5})", "to"},
      {R"({"from": "2026-11-02T00:00:00Z", "to": "2026-11-01T00:00:00Z"})", "to"},
      {R"({"from": "0001-01-01T00:00:00Z"})", "from"},
      {R"({"assume_retrain_hours": -1})", "assume_retrain_hours"},
      {R"({"confidence": 0.9})", "confidence"},
      {R"([1])", "body"},
  };
  for (const auto& [body, field] : cases) {
    auto r =
        server.Raw("POST", "/v1/models/careful/suggest", body, {admin, "Content-Type: application/json"});
    EXPECT_EQ(r.status, 400) << body << " " << r.body;
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << body;
    EXPECT_EQ(r.Json()["field"], field) << body << " " << r.body;
    EXPECT_NE(r.Json()["detail"].get<std::string>().find(field), std::string::npos) << r.body;
  }
  EXPECT_EQ(server.Raw("POST", "/v1/models/careful/suggest", "{\"from\":", {admin}).status, 400);
  EXPECT_EQ(server.Call("POST", "/v1/models/missing/suggest", json::object()).status, 404);
  // Read scope, and a read token restricted to the model may ask; an ingest token may not.
  auto token = [&](const std::vector<std::string>& scopes, const std::string& model) {
    auto r = server.Call("POST", "/v1/tokens", {{"name", "t"}, {"scopes", scopes}, {"model", model}});
    EXPECT_EQ(r.status, 201) << r.body;
    return "Authorization: Bearer " + r.Json()["token"].get<std::string>();
  };
  EXPECT_EQ(server.Raw("POST", "/v1/models/careful/suggest", "{}", {token({"read"}, "careful")}).status, 200);
  EXPECT_EQ(server.Raw("POST", "/v1/models/careful/suggest", "{}", {token({"read"}, "other")}).status, 403);
  EXPECT_EQ(server.Raw("POST", "/v1/models/careful/suggest", "{}", {token({"ingest"}, "careful")}).status,
            403);
  EXPECT_EQ(server.Raw("POST", "/v1/models/careful/suggest", "", {admin}).status,
            200);  // empty body: defaults
}

TEST(Suggest, CommandLineRefusesBadOptions) {
  std::ostringstream out, err;
  EXPECT_EQ(service::RunSuggestCommand({"--db", "postgresql://127.0.0.1:1/x"}, nullptr, out, err), 2);
  EXPECT_NE(err.str().find("--model"), std::string::npos) << err.str();
  err.str("");
  EXPECT_EQ(
      service::RunSuggestCommand({"--model", "m", "--tolerance", "x", "--db", "postgresql://127.0.0.1:1/x"},
                                 nullptr, out, err),
      2);
  EXPECT_NE(err.str().find("--tolerance"), std::string::npos) << err.str();
  err.str("");
  EXPECT_EQ(service::RunSuggestCommand(
                {"--model", "m", "--kpis", "accuracy,nope", "--db", "postgresql://127.0.0.1:1/x"}, nullptr,
                out, err),
            2);
  EXPECT_NE(err.str().find("kpis[1]"), std::string::npos) << err.str();
  EXPECT_TRUE(out.str().empty());
}

}  // namespace
}  // namespace driftgate

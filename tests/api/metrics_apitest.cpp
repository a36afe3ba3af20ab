// GET /metrics: the Prometheus text exposition after a scripted scenario (real PostgreSQL, the server
// in-process, real HTTP, a real webhook receiver), read with a small parser of the text format; and the
// registry's own contract (escaping, buckets, concurrency) without a server.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "service/observability/metrics.h"
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

// ---- a tiny parser of the text exposition format (0.0.4)

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;
  double value = 0.0;
};

struct Family {
  std::string type;
  std::vector<Sample> samples;
};

struct Exposition {
  std::map<std::string, Family> families;
  std::vector<std::string> errors;  // empty when the text is well-formed

  // The value of the one sample `name` whose labels are exactly `labels`; NaN when absent.
  double Value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const auto& [family, f] : families) {
      for (const auto& s : f.samples) {
        if (s.name == name && s.labels == labels) return s.value;
      }
    }
    return std::nan("");
  }
};

bool ValidName(const std::string& n) {
  if (n.empty() || std::isdigit(static_cast<unsigned char>(n[0]))) return false;
  for (char c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != ':') return false;
  }
  return true;
}

std::optional<double> ParseValue(const std::string& v) {
  if (v == "+Inf") return HUGE_VAL;
  if (v == "-Inf") return -HUGE_VAL;
  if (v == "NaN") return std::nan("");
  char* end = nullptr;
  const double d = std::strtod(v.c_str(), &end);
  if (v.empty() || end != v.c_str() + v.size()) return std::nullopt;
  return d;
}

// `name{a="x",b="y\"z"} value`: fills `s`, or returns what is wrong.
std::optional<std::string> ParseSample(const std::string& line, Sample& s) {
  std::size_t i = 0;
  while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
  s.name = line.substr(0, i);
  if (!ValidName(s.name)) return "bad metric name";
  if (i < line.size() && line[i] == '{') {
    ++i;
    while (i < line.size() && line[i] != '}') {
      const std::size_t eq = line.find('=', i);
      if (eq == std::string::npos) return "label without '='";
      const std::string label = line.substr(i, eq - i);
      if (!ValidName(label) || eq + 1 >= line.size() || line[eq + 1] != '"') return "bad label " + label;
      std::string value;
      std::size_t j = eq + 2;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\') {
          if (++j >= line.size()) return "dangling escape";
          if (line[j] == 'n') {
            value += '\n';
          } else if (line[j] == '\\' || line[j] == '"') {
            value += line[j];
          } else {
            return "unknown escape";
          }
        } else {
          value += line[j];
        }
      }
      if (j >= line.size()) return "unterminated label value";
      if (!s.labels.emplace(label, value).second) return "repeated label " + label;
      i = j + 1;
      if (i < line.size() && line[i] == ',') ++i;
    }
    if (i >= line.size()) return "unterminated label set";
    ++i;
  }
  if (i >= line.size() || line[i] != ' ') return "no value";
  const auto v = ParseValue(line.substr(i + 1));
  if (!v) return "bad value";
  s.value = *v;
  return std::nullopt;
}

Exposition ParseExposition(const std::string& text) {
  Exposition out;
  std::istringstream in(text);
  std::string line, help_for, current;
  int n = 0;
  auto error = [&](const std::string& what) {
    out.errors.push_back("line " + std::to_string(n) + ": " + what);
  };
  while (std::getline(in, line)) {
    ++n;
    if (line.empty()) continue;
    if (line.rfind("# HELP ", 0) == 0) {
      help_for = line.substr(7, line.find(' ', 7) - 7);
      continue;
    }
    if (line.rfind("# TYPE ", 0) == 0) {
      std::istringstream t(line.substr(7));
      std::string name, type;
      t >> name >> type;
      if (name != help_for) error("TYPE " + name + " without HELP right before it");
      if (out.families.count(name)) error("family " + name + " described twice");
      if (type != "counter" && type != "gauge" && type != "histogram") error("type " + type);
      out.families[name].type = type;
      current = name;
      continue;
    }
    if (line[0] == '#') continue;
    Sample s;
    if (auto e = ParseSample(line, s)) {
      error(*e + ": " + line);
      continue;
    }
    const Family* f = current.empty() ? nullptr : &out.families[current];
    const bool belongs =
        f && (s.name == current ||
              (f->type == "histogram" && (s.name == current + "_bucket" || s.name == current + "_sum" ||
                                          s.name == current + "_count")));
    if (!belongs) error("sample " + s.name + " outside its family's HELP/TYPE");
    if (belongs) out.families[current].samples.push_back(std::move(s));
  }
  return out;
}

// Every histogram: buckets cumulative (monotone in `le`), +Inf == _count, and _count equal to the
// sample of `counter` with the same labels when `counter` is given.
void ExpectHistogramsConsistent(const Exposition& e, const std::string& histogram,
                                const std::string& counter) {
  const auto it = e.families.find(histogram);
  ASSERT_NE(it, e.families.end()) << histogram;
  std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> buckets;
  for (const auto& s : it->second.samples) {
    if (s.name != histogram + "_bucket") continue;
    auto labels = s.labels;
    const double le = *ParseValue(labels.at("le"));
    labels.erase("le");
    buckets[labels].emplace_back(le, s.value);
  }
  ASSERT_FALSE(buckets.empty());
  for (auto& [labels, bs] : buckets) {
    std::sort(bs.begin(), bs.end());
    for (std::size_t i = 1; i < bs.size(); ++i) EXPECT_LE(bs[i - 1].second, bs[i].second) << histogram;
    EXPECT_TRUE(std::isinf(bs.back().first)) << "no +Inf bucket";
    const double count = e.Value(histogram + "_count", labels);
    EXPECT_EQ(bs.back().second, count);
    EXPECT_FALSE(std::isnan(e.Value(histogram + "_sum", labels)));
    if (!counter.empty()) {
      EXPECT_EQ(e.Value(counter, labels), count) << labels.at("route");
    }
  }
}

Exposition Scrape(TestServer& server) {
  auto r = server.Raw("GET", "/metrics", "");  // no token needed
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.Header("content-type").rfind("text/plain; version=0.0.4", 0), 0u) << r.Header("content-type");
  Exposition e = ParseExposition(r.body);
  EXPECT_TRUE(e.errors.empty()) << e.errors.front() << "\n" << r.body;
  return e;
}

TEST(Metrics, ScenarioIsCountedInThePrometheusExposition) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  receiver.QueueStatuses({503});  // one failed attempt, then delivered
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("scored", receiver.Url("/hooks/retrain"))).status,
            201);

  BinaryStream stream(23);
  int label_calls = 0;
  json first_predictions;
  for (int b = 0; b < 4; ++b) {  // 2,000 pairs at accuracy 0.65 against a minimum of 0.85
    json preds, labels;
    stream.Next(500, 0.65, preds, labels);
    if (b == 0) first_predictions = preds;
    ASSERT_EQ(server.Call("POST", "/v1/models/scored/predictions", preds).status, 200);
    ASSERT_EQ(server.Call("POST", "/v1/models/scored/labels", labels).status, 200);
    ++label_calls;
  }
  auto dup = server.Call("POST", "/v1/models/scored/predictions", first_predictions).Json();
  ASSERT_EQ(dup["duplicates"], 500);
  auto unmatched =
      server.Call("POST", "/v1/models/scored/labels", {{"records", {{{"id", "not-yet"}, {"label", 1}}}}});
  ASSERT_EQ(unmatched.status, 200);
  ++label_calls;
  EXPECT_EQ(server.Raw("GET", "/no/such/path", "").status, 404);
  ASSERT_TRUE(receiver.WaitForRequests(2, std::chrono::seconds(10)));
  // The dispatcher counts a delivery once its outcome is recorded, just after the receiver answered.
  ASSERT_TRUE(
      test_support::WaitUntil([&] { return Scrape(server).Value("driftgate_webhook_deliveries_total") == 1; },
                              std::chrono::seconds(10)));

  auto history = server.Call("GET", "/v1/models/scored/metrics?limit=1000").Json();
  ASSERT_FALSE(history["metrics"].empty());
  const json last = history["metrics"].back()["kpis"]["accuracy"];

  const Exposition e = Scrape(server);
  const std::map<std::string, std::string> labels_2xx{
      {"route", "/v1/models/{model}/labels"}, {"method", "POST"}, {"code", "2xx"}};
  EXPECT_GE(e.Value("driftgate_http_requests_total", labels_2xx), label_calls);
  EXPECT_GE(e.Value("driftgate_http_requests_total",
                    {{"route", "/v1/models/{model}/metrics"}, {"method", "GET"}, {"code", "2xx"}}),
            1);
  // An unknown path is counted without its raw path.
  EXPECT_EQ(
      e.Value("driftgate_http_requests_total", {{"route", "unmatched"}, {"method", "GET"}, {"code", "4xx"}}),
      1);
  for (const auto& s : e.families.at("driftgate_http_requests_total").samples) {
    EXPECT_NE(s.labels.at("route"), "/no/such/path");
  }
  ExpectHistogramsConsistent(e, "driftgate_http_request_duration_seconds", "driftgate_http_requests_total");

  EXPECT_EQ(e.Value("driftgate_ingest_records_total", {{"kind", "predictions"}, {"result", "accepted"}}),
            2000);
  EXPECT_EQ(e.Value("driftgate_ingest_records_total", {{"kind", "predictions"}, {"result", "duplicate"}}),
            500);
  EXPECT_EQ(e.Value("driftgate_ingest_records_total", {{"kind", "labels"}, {"result", "accepted"}}), 2001);
  EXPECT_EQ(e.Value("driftgate_ingest_labels_unmatched_total"), 1);

  EXPECT_EQ(e.Value("driftgate_decisions_total", {{"action", "retrain"}}), 1);
  EXPECT_GE(e.Value("driftgate_decisions_total", {{"action", "suppressed"}}), 1);
  EXPECT_EQ(e.Value("driftgate_webhook_deliveries_total"), 1);
  EXPECT_EQ(e.Value("driftgate_webhook_failed_attempts_total"), 1);
  EXPECT_EQ(e.Value("driftgate_webhook_gone_total"), 0);
  EXPECT_EQ(e.Value("driftgate_webhook_blocked_total"), 0);
  EXPECT_TRUE(test_support::WaitUntil([&] { return Scrape(server).Value("driftgate_outbox_pending") == 0; },
                                      std::chrono::seconds(10)));
  EXPECT_GE(e.Value("driftgate_db_pool_connections_in_use"), 0);
  EXPECT_EQ(e.Value("driftgate_db_pool_connections_max"), 6);  // TestServer: threads + 2
  EXPECT_FALSE(std::isnan(e.Value("driftgate_drift_checks_total", {{"result", "drift"}})));

  const std::map<std::string, std::string> kpi{{"model", "scored"}, {"metric", "accuracy"}};
  EXPECT_DOUBLE_EQ(e.Value("driftgate_kpi_value", kpi), last["value"].get<double>());
  EXPECT_DOUBLE_EQ(e.Value("driftgate_kpi_lower", kpi), last["lower"].get<double>());
  EXPECT_DOUBLE_EQ(e.Value("driftgate_kpi_upper", kpi), last["upper"].get<double>());
  EXPECT_DOUBLE_EQ(e.Value("driftgate_kpi_threshold", kpi), 0.85);
  EXPECT_EQ(e.Value("driftgate_kpi_samples", kpi), last["n"].get<double>());
  EXPECT_GT(e.Value("driftgate_kpi_updated_timestamp_seconds", {{"model", "scored"}}), 1.7e9);

  // Deleting the model drops its KPI gauges (memory stays bounded by the models that exist).
  ASSERT_EQ(server.Call("DELETE", "/v1/models/scored").status, 204);
  const Exposition after = Scrape(server);
  EXPECT_TRUE(std::isnan(after.Value("driftgate_kpi_value", kpi)));
  EXPECT_TRUE(std::isnan(after.Value("driftgate_kpi_updated_timestamp_seconds", {{"model", "scored"}})));
}

TEST(Metrics, PendingDeliveriesShowAsOutboxBacklog) {
  TestDatabase db;
  TestServer server(db.url(), {.backoff_base_seconds = 60, .backoff_max_seconds = 60});
  HttpReceiver receiver;
  receiver.SetStatus(503);
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("backlog", receiver.Url("/h"))).status, 201);
  BinaryStream stream(29);
  json preds, labels;
  stream.Next(500, 0.6, preds, labels);
  ASSERT_EQ(server.Call("POST", "/v1/models/backlog/predictions", preds).status, 200);
  ASSERT_EQ(server.Call("POST", "/v1/models/backlog/labels", labels).status, 200);
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  ASSERT_TRUE(test_support::WaitUntil(
      [&] { return Scrape(server).Value("driftgate_webhook_failed_attempts_total") == 1; },
      std::chrono::seconds(10)));
  // Counted in the background: the backlog shows within a few counts.
  EXPECT_TRUE(test_support::WaitUntil([&] { return Scrape(server).Value("driftgate_outbox_pending") == 1; },
                                      std::chrono::seconds(10)));  // retried in a minute
  const Exposition e = Scrape(server);
  EXPECT_EQ(e.Value("driftgate_webhook_deliveries_total"), 0);
}

// DRIFTGATE_METRICS_TOKEN: the exposition names models, so a deployment can require a bearer token.
TEST(Metrics, MetricsTokenIsRequiredWhenConfigured) {
  TestDatabase db;
  const std::string token = "scrape-token-0123456789";
  TestServer server(db.url(), {.metrics_token = token});
  for (const std::vector<std::string>& headers : {std::vector<std::string>{},
                                                  {"Authorization: Bearer wrong-token-0123456789"},
                                                  {"Authorization: Bearer " + token + "x"},
                                                  {"Authorization: " + token}}) {
    const auto r = server.Raw("GET", "/metrics", "", headers);
    EXPECT_EQ(r.status, 401) << (headers.empty() ? "" : headers[0]);
    EXPECT_EQ(r.Header("content-type"), "application/problem+json");
    EXPECT_EQ(r.body.find("driftgate_"), std::string::npos);
  }
  const auto ok = server.Raw("GET", "/metrics", "", {"Authorization: Bearer " + token});
  EXPECT_EQ(ok.status, 200);
  EXPECT_NE(ok.body.find("driftgate_http_requests_total"), std::string::npos);
  // The API's own tokens do not open it: the admin token is another secret.
  EXPECT_EQ(server.Call("GET", "/metrics").status, 401);
}

// ---- the registry without a server

TEST(MetricsRegistry, EscapesLabelValuesAndHelp) {
  service::MetricsRegistry registry;
  auto& c = registry.Counter("demo_total", "a help line\nwith a back\\slash");
  c.Inc(service::LabelKey({{"path", "C:\\dir \"quoted\"\nnext"}}), 2);
  const std::string text = registry.Render();
  EXPECT_NE(text.find("# HELP demo_total a help line\\nwith a back\\\\slash\n"), std::string::npos) << text;
  EXPECT_NE(text.find("demo_total{path=\"C:\\\\dir \\\"quoted\\\"\\nnext\"} 2\n"), std::string::npos) << text;
  const Exposition e = ParseExposition(text);
  ASSERT_TRUE(e.errors.empty()) << e.errors.front();
  EXPECT_EQ(e.Value("demo_total", {{"path", "C:\\dir \"quoted\"\nnext"}}), 2);
}

TEST(MetricsRegistry, HistogramBucketsAreCumulativeAndUpperInclusive) {
  service::MetricsRegistry registry;
  auto& h = registry.Histogram("demo_seconds", "demo", {0.1, 1.0});
  for (double v : {0.05, 0.1, 0.5, 1.0, 7.0}) h.Observe("", v);
  const Exposition e = ParseExposition(registry.Render());
  ASSERT_TRUE(e.errors.empty()) << e.errors.front();
  EXPECT_EQ(e.Value("demo_seconds_bucket", {{"le", "0.1"}}), 2);  // le is inclusive: 0.05 and 0.1
  EXPECT_EQ(e.Value("demo_seconds_bucket", {{"le", "1"}}), 4);
  EXPECT_EQ(e.Value("demo_seconds_bucket", {{"le", "+Inf"}}), 5);
  EXPECT_EQ(e.Value("demo_seconds_count"), 5);
  EXPECT_DOUBLE_EQ(e.Value("demo_seconds_sum"), 8.65);
  ExpectHistogramsConsistent(e, "demo_seconds", "");
}

TEST(MetricsRegistry, ConcurrentIncrementsAreNotLost) {
  service::MetricsRegistry registry;
  auto& c = registry.Counter("demo_total", "demo");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c, t] {
      for (int i = 0; i < 20000; ++i) c.Inc(service::LabelKey({{"worker", std::to_string(t % 2)}}));
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(*c.Value(service::LabelKey({{"worker", "0"}})), 40000);
  EXPECT_EQ(*c.Value(service::LabelKey({{"worker", "1"}})), 40000);
}

}  // namespace
}  // namespace driftgate

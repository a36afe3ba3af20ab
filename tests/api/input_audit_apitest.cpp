// The input contract swept over every route the server registers (so a route added later is covered by
// itself): a query parameter a route does not take, or one given twice, gets 400 naming it; a path
// parameter naming something that does not exist gets 404 naming that parameter in `field`. Each refusal
// has the exact status and `field`, leaves the server healthy and the database as it was.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/support/test_db.h"
#include "tests/support/test_server.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::HttpResponse;
using test_support::kAdminToken;
using test_support::RouteInfo;
using test_support::TestDatabase;
using test_support::TestServer;

constexpr const char* kHook = "http://127.0.0.1:9/hooks/retrain";
constexpr const char* kNoRetrain = "00000000-0000-4000-8000-000000000000";

std::vector<std::string> Admin() { return {std::string("Authorization: Bearer ") + kAdminToken}; }

// A concrete path for a route pattern: `{model}` is `model`, ids are a well-formed UUID nobody issued.
std::string PathFor(const std::string& pattern, const std::string& model) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{') {
      out += pattern[i++];
      continue;
    }
    const auto close = pattern.find('}', i);
    const std::string name = pattern.substr(i + 1, close - i - 1);
    out += name == "model" ? model : name == "asset" ? "index.html" : name == "dir" ? "assets" : kNoRetrain;
    i = close + 1;
  }
  return out;
}

bool TakesBody(const std::string& method) { return method == "POST" || method == "PUT" || method == "PATCH"; }

// Every table a refused request could touch, and the models' content.
std::string DatabaseState(const TestDatabase& db) {
  return db.Scalar(
      "SELECT 'predictions=' || (SELECT count(*) FROM predictions) || ' labels=' || (SELECT count(*) FROM "
      "labels) || ' decisions=' || (SELECT count(*) FROM decisions) || ' audit=' || (SELECT count(*) FROM "
      "audit_log) || ' reference=' || (SELECT count(*) FROM reference_records) || ' tokens=' || (SELECT "
      "count(*) FROM tokens WHERE revoked_at IS NULL) || ' models=' || (SELECT md5(string_agg(name || "
      "config::text || updated_at::text, ',' ORDER BY name)) FROM models)");
}

void ExpectProblem(const HttpResponse& r, int status, const std::string& field) {
  ASSERT_EQ(r.status, status) << r.error << r.body;
  EXPECT_EQ(r.Header("content-type"), "application/problem+json");
  const json body = r.Json();
  ASSERT_TRUE(body.is_object()) << r.body;
  EXPECT_EQ(body.value("status", 0), status);
  ASSERT_TRUE(body.contains("field")) << r.body;
  EXPECT_EQ(body["field"], field) << r.body;
  EXPECT_NE(body.value("detail", "").find(field), std::string::npos) << r.body;
}

// One model with stored records, labels and metric points, so "unchanged" compares non-empty tables.
void Seed(TestServer& server) {
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("bin", kHook)).status, 201);
  for (int i = 0; i < 3; ++i) {
    const std::string id = "seed-" + std::to_string(i);
    const std::string ts = "2026-11-23T06:00:0" + std::to_string(i) + "Z";
    ASSERT_EQ(server
                  .Call("POST", "/v1/models/bin/predictions",
                        {{"records", {{{"id", id}, {"ts", ts}, {"prediction", i % 2}, {"score", 0.6}}}}})
                  .status,
              200);
    ASSERT_EQ(
        server.Call("POST", "/v1/models/bin/labels", {{"records", {{{"id", id}, {"label", 1}, {"ts", ts}}}}})
            .status,
        200);
  }
  ASSERT_EQ(server.Call("POST", "/v1/tokens", {{"name", "reader"}, {"scopes", {"read"}}}).status, 201);
}

// `dry_run=true` would be a natural thing to try; no route takes it, so no route may act on the request.
TEST(InputAudit, EveryRouteRefusesAQueryParameterItDoesNotTakeBeforeActing) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  const std::vector<RouteInfo> routes = server.Routes();
  ASSERT_GE(routes.size(), 30u);
  for (const RouteInfo& route : routes) {
    const std::string path = PathFor(route.pattern, "bin") + "?dry_run=true";
    SCOPED_TRACE(route.method + " " + path);
    const std::string before = DatabaseState(db);
    ExpectProblem(server.Raw(route.method, path, TakesBody(route.method) ? "{}" : "", Admin()), 400,
                  "dry_run");
    EXPECT_EQ(server.Raw("GET", "/healthz", "").status, 200);
    EXPECT_EQ(DatabaseState(db), before);
  }
}

// `limit=1&limit=500` names one parameter twice: serving either value would be a guess.
TEST(InputAudit, AQueryParameterGivenTwiceIsRefusedNamingIt) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  struct Case {
    std::string method, path, field;
  };
  const std::vector<Case> cases = {
      {"GET", "/v1/models/bin/decisions?limit=1&limit=500", "limit"},
      {"GET", "/v1/models/bin/metrics?kind=realized&from=2026-11-01T00:00:00Z&kind=estimated", "kind"},
      {"GET", "/v1/models/bin/drift?to=2027-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to"},
      {"GET", "/v1/models/bin/sustainability?from=2026-01-01T00:00:00Z&from=1970-01-01T00:00:00Z", "from"},
      {"GET", "/v1/audit?cursor=a&cursor=b", "cursor"},
      {"GET", "/v1/grid-forecast?region=default&region=other", "region"},
      {"GET", "/v1/models/bin/retrains?limit&limit", "limit"},
      {"GET", "/v1/models/bin/metrics?li%6dit=1&limit=2", "limit"},  // the same name once decoded
      {"DELETE", "/v1/models/bin?force=1&force=1", "force"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.method + " " + k.path);
    const std::string before = DatabaseState(db);
    ExpectProblem(server.Raw(k.method, k.path, "", Admin()), 400, k.field);
    EXPECT_EQ(server.Raw("GET", "/healthz", "").status, 200);
    EXPECT_EQ(DatabaseState(db), before);
  }
  // Given once, the same parameters are served.
  EXPECT_EQ(server.Raw("GET", "/v1/models/bin/decisions?limit=1", "", Admin()).status, 200);
  EXPECT_EQ(server.Raw("GET", "/v1/models/bin/metrics?kind=estimated", "", Admin()).status, 200);
  EXPECT_EQ(server.Raw("GET", "/v1/grid-forecast?region=default", "", Admin()).status, 200);
}

// Percent-decoded query text that is not UTF-8 (or holds NUL) means nothing to any parameter, and
// PostgreSQL would refuse it as text: 400 naming the parameter, on any route, before the handler runs.
TEST(InputAudit, QueryTextThatIsNotUtf8IsRefusedNamingTheParameter) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  struct Case {
    std::string path, field;
  };
  const std::vector<Case> cases = {
      {"/v1/models/bin/metrics?segment=%FF", "segment"},
      {"/v1/models/bin/metrics?segment=a%C3%28", "segment"},
      {"/v1/models/bin/metrics?segment=%ED%A0%80", "segment"},  // a UTF-16 surrogate
      {"/v1/models/bin/metrics?segment=%C0%AF", "segment"},     // an overlong '/'
      {"/v1/grid-forecast?region=%FF", "region"},
      {"/v1/models/bin/decisions?cursor=c%00", "cursor"},
      {"/v1/models/bin/decisions?%FF=1", "\xEF\xBF\xBD"},  // U+FFFD stands for the byte in the answer
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.path);
    const std::string before = DatabaseState(db);
    ExpectProblem(server.Raw("GET", k.path, "", Admin()), 400, k.field);
    EXPECT_EQ(server.Raw("GET", "/healthz", "").status, 200);
    EXPECT_EQ(DatabaseState(db), before);
  }
  // Non-ASCII text that is UTF-8 is served.
  EXPECT_EQ(server.Raw("GET", "/v1/models/bin/metrics?segment=%C3%A9u", "", Admin()).status, 200);
}

// What a request names that does not exist is the one input at fault: 404 with `field` naming the path
// parameter (`model`, `retrain_id`, `id`), on every route under /v1/models/{model}.
TEST(InputAudit, UnknownResourcesAre404NamingThePathParameter) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  auto pred = [](const std::string& id) {
    return json{{"records", {{{"id", id}, {"ts", "2026-11-23T06:00:00Z"}, {"prediction", 1}}}}}.dump();
  };
  json config = BinaryModel("nosuch", kHook);
  config.erase("name");
  json backtest_config = config;
  backtest_config.erase("webhook");
  // Valid bodies for the routes that take one, so that only the model is wrong.
  const std::map<std::string, std::string> bodies = {
      {"POST /v1/models/{model}/predictions", pred("x-1")},
      {"POST /v1/models/{model}/labels", json{{"records", {{{"id", "x-1"}, {"label", 1}}}}}.dump()},
      {"PUT /v1/models/{model}/reference", pred("x-1")},
      {"PUT /v1/models/{model}", config.dump()},
      {"PATCH /v1/models/{model}", R"({"policy": {"cooldown_seconds": 0}})"},
      {"POST /v1/models/{model}/backtest", json{{"config", backtest_config}}.dump()},
      {"POST /v1/models/{model}/suggest", "{}"},
      {"POST /v1/models/{model}/retrains/{retrain_id}/status", R"({"status": "running"})"},
  };
  std::set<std::string> covered;
  for (const RouteInfo& route : server.Routes()) {
    if (route.pattern.find("{model}") == std::string::npos) continue;
    const std::string key = route.method + " " + route.pattern;
    const auto body = bodies.find(key);
    if (TakesBody(route.method) && body == bodies.end()) continue;  // its body is validated first
    SCOPED_TRACE(key);
    const std::string before = DatabaseState(db);
    ExpectProblem(server.Raw(route.method, PathFor(route.pattern, "nosuch"),
                             body == bodies.end() ? "" : body->second, Admin()),
                  404, "model");
    EXPECT_EQ(server.Raw("GET", "/healthz", "").status, 200);
    EXPECT_EQ(DatabaseState(db), before);
    covered.insert(key);
  }
  for (const auto& [key, body] : bodies) EXPECT_TRUE(covered.count(key)) << "not swept: " << key;
  EXPECT_GE(covered.size(), 15u);

  // Known model, unknown run or token: the id is named; a path segment kilobytes long is not echoed.
  const std::string status = R"({"status": "running"})";
  const std::string long_id(5000, 'a');
  struct Case {
    std::string method, path, body, field;
  };
  const std::vector<Case> cases = {
      {"POST", "/v1/models/bin/retrains/" + std::string(kNoRetrain) + "/status", status, "retrain_id"},
      {"POST", "/v1/models/bin/retrains/" + long_id + "/status", status, "retrain_id"},
      {"DELETE", "/v1/tokens/" + std::string(kNoRetrain), "", "id"},
      {"DELETE", "/v1/tokens/" + long_id, "", "id"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.method + " " + k.path.substr(0, 60));
    const std::string before = DatabaseState(db);
    const auto r = server.Raw(k.method, k.path, k.body, Admin());
    ExpectProblem(r, 404, k.field);
    EXPECT_LT(r.Json().value("detail", "").size(), 200u) << r.body;
    EXPECT_EQ(server.Raw("GET", "/healthz", "").status, 200);
    EXPECT_EQ(DatabaseState(db), before);
  }
}

// A number beyond a double's range is not "invalid JSON": every body, on every route that takes one, says
// "number out of range" and names the member holding it.
TEST(InputAudit, NumbersOutOfRangeAreNamedWhereverTheyAre) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  struct Case {
    std::string method, path, body, field;
  };
  const std::string status_path = "/v1/models/bin/retrains/" + std::string(kNoRetrain) + "/status";
  const std::vector<Case> cases = {
      {"POST", "/v1/models/bin/predictions",
       R"({"records": [{"id": "o", "prediction": 1, "features": {"f": 1e400}}]})", "records[0].features.f"},
      {"POST", "/v1/models/bin/labels", R"({"records": [{"id": "o", "label": -1e400}]})", "records[0].label"},
      {"POST", "/v1/models",
       R"({"name": "o", "task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 1e400}],
           "webhook": {"url": "http://127.0.0.1:9/h"}})",
       "kpis[0].min"},
      {"PATCH", "/v1/models/bin", R"({"evaluation": {"confidence": 1e400}})", "evaluation.confidence"},
      {"POST", "/v1/models/bin/backtest",
       R"({"config": {"task": "binary_classification", "kpis": [{"metric": "accuracy", "min": 0.8}]},
           "assume_retrain_hours": 1e400})",
       "assume_retrain_hours"},
      {"PUT", "/v1/grid-forecast",
       R"({"region": "default", "points": [{"at": "2026-11-23T06:00:00Z", "g_per_kwh": 1e400}]})",
       "points[0].g_per_kwh"},
      {"POST", status_path, R"({"status": "running", "model_version": 1e400})", "model_version"},
      {"POST", "/v1/tokens", R"({"name": -1e400, "scopes": ["read"]})", "name"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.method + " " + k.path + " " + k.field);
    const std::string before = DatabaseState(db);
    const auto r = server.Raw(k.method, k.path, k.body, Admin());
    ExpectProblem(r, 400, k.field);
    EXPECT_NE(r.Json().value("detail", "").find(k.field + ": number out of range"), std::string::npos)
        << r.body;
    EXPECT_EQ(server.Raw("GET", "/healthz", "").status, 200);
    EXPECT_EQ(DatabaseState(db), before);
  }
}

// The time domain on the time inputs the input-contract corpus does not reach: a threshold suggestion's
// period and one segment's metric series.
TEST(InputAudit, SuggestionPeriodsAndSegmentSeriesStayInTheTimeDomain) {
  TestDatabase db;
  TestServer server(db.url());
  Seed(server);
  struct Case {
    std::string method, path, body, field;
  };
  const std::vector<Case> cases = {
      {"POST", "/v1/models/bin/suggest", R"({"from": "0001-01-01T00:00:00+01:00"})", "from"},
      {"POST", "/v1/models/bin/suggest", R"({"to": "9999-12-31T23:59:59-05:00"})", "to"},
      {"POST", "/v1/models/bin/suggest", R"({"from": "1969-12-31T23:59:59Z"})", "from"},
      {"GET", "/v1/models/bin/metrics?segment=eu&from=0001-01-01T00:00:00Z", "", "from"},
      {"GET", "/v1/models/bin/metrics?segment=eu&to=9999-01-01T00:00:00Z", "", "to"},
  };
  for (const Case& k : cases) {
    SCOPED_TRACE(k.method + " " + k.path + " " + k.body);
    const std::string before = DatabaseState(db);
    ExpectProblem(server.Raw(k.method, k.path, k.body, Admin()), 400, k.field);
    EXPECT_EQ(server.Raw("GET", "/healthz", "").status, 200);
    EXPECT_EQ(DatabaseState(db), before);
  }
  // The domain's edges are served.
  EXPECT_EQ(server
                .Raw("POST", "/v1/models/bin/suggest",
                     R"({"from": "1970-01-01T00:00:00Z", "to": "2200-01-01T00:00:00Z"})", Admin())
                .status,
            200);
}

}  // namespace
}  // namespace driftgate

// Scoped tokens, the audit log, the per-token rate limit and the webhook allow-list, over real HTTP
// against a fresh PostgreSQL database per test. The auth matrix is derived from the server's router, so
// a route added later is covered without touching this file.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "app/config.h"
#include "service/access/rate_limiter.h"
#include "tests/support/http_receiver.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::HttpReceiver;
using test_support::HttpResponse;
using test_support::RouteInfo;
using test_support::TestDatabase;
using test_support::TestServer;
using test_support::TestServerOptions;
using test_support::WaitUntil;

constexpr const char* kWebhookSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

HttpResponse As(TestServer& server, const std::string& token, const std::string& method,
                const std::string& path, const std::string& body = "") {
  std::vector<std::string> headers = {"Content-Type: application/json"};
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  return server.Raw(method, path, body, headers);
}

// Creates a token through the API (as the admin env token) and returns its creation answer.
json CreateToken(TestServer& server, const std::string& name, const std::vector<std::string>& scopes,
                 const std::optional<std::string>& model = std::nullopt) {
  json body{{"name", name}, {"scopes", scopes}};
  if (model) body["model"] = *model;
  auto r = server.Call("POST", "/v1/tokens", body);
  EXPECT_EQ(r.status, 201) << r.body;
  return r.Json();
}

// A concrete path for a route pattern: {model} → `model`, any other parameter → a well-formed unknown id.
std::string PathFor(const std::string& pattern, const std::string& model) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    if (pattern[i] == '{') {
      const auto close = pattern.find('}', i);
      const std::string name = pattern.substr(i + 1, close - i - 1);
      out += name == "model" ? model : "00000000-0000-4000-8000-000000000000";
      i = close + 1;
    } else {
      out += pattern[i++];
    }
  }
  return out;
}

std::vector<json> AllAudit(TestServer& server, const std::string& query = "") {
  std::vector<json> out;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    auto r = server.Call("GET", "/v1/audit?limit=2" + query + (cursor.empty() ? "" : "&cursor=" + cursor));
    EXPECT_EQ(r.status, 200) << r.body;
    const json body = r.Json();
    for (const auto& e : body["audit"]) out.push_back(e);
    if (body["next_cursor"].is_null()) break;
    cursor = body["next_cursor"].get<std::string>();
  }
  return out;
}

TEST(Auth, EveryRouteAnswersTheDocumentedStatusForEveryKindOfToken) {
  TestDatabase db;
  TestServer server(db.url());
  // "m1" is never created: an authorized request reaches its handler and ends 400/404, changing nothing.
  const std::string ingest = CreateToken(server, "ingest", {"ingest"})["token"];
  const std::string read = CreateToken(server, "read", {"read"})["token"];
  const std::string admin = CreateToken(server, "admin", {"admin"})["token"];
  const std::string other_model = CreateToken(server, "other", {"admin", "ingest", "read"}, "other")["token"];
  const std::string own_model = CreateToken(server, "own", {"ingest", "read"}, "m1")["token"];
  const json revoked_token = CreateToken(server, "revoked", {"admin"});
  ASSERT_EQ(server.Call("DELETE", "/v1/tokens/" + revoked_token["id"].get<std::string>()).status, 204);
  const std::string revoked = revoked_token["token"];

  const auto routes = server.Routes();
  std::set<std::string> patterns;
  for (const auto& r : routes) patterns.insert(r.method + " " + r.pattern);
  for (const char* expected : {"POST /v1/tokens", "GET /v1/tokens", "DELETE /v1/tokens/{id}", "GET /v1/audit",
                               "POST /v1/models", "POST /v1/models/{model}/predictions"}) {
    EXPECT_TRUE(patterns.count(expected)) << expected;
  }

  enum class Expect { kPass, k401, k403 };
  struct Caller {
    std::string label;
    std::string token;
    std::function<Expect(const RouteInfo&)> expect;
  };
  auto holds = [](std::vector<std::string> scopes) {
    return [scopes](const RouteInfo& r) {
      for (const auto& s : scopes) {
        if (s == *r.scope || s == "admin") return Expect::kPass;
      }
      return Expect::k403;
    };
  };
  const std::vector<Caller> callers = {
      {"no token", "", [](const RouteInfo&) { return Expect::k401; }},
      {"wrong token", "dg_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
       [](const RouteInfo&) { return Expect::k401; }},
      {"garbage token", "not-a-token", [](const RouteInfo&) { return Expect::k401; }},
      {"revoked token", revoked, [](const RouteInfo&) { return Expect::k401; }},
      {"ingest", ingest, holds({"ingest"})},
      {"read", read, holds({"read"})},
      {"admin", admin, holds({"admin"})},
      {"admin env", test_support::kAdminToken, holds({"admin"})},
      {"restricted to another model", other_model, [](const RouteInfo&) { return Expect::k403; }},
      {"restricted to this model", own_model,
       [](const RouteInfo& r) {
         if (r.pattern.find("{model}") == std::string::npos) return Expect::k403;
         return *r.scope == "admin" ? Expect::k403 : Expect::kPass;
       }},
  };

  int checked = 0;
  for (const auto& route : routes) {
    const std::string path = PathFor(route.pattern, "m1");
    for (const auto& caller : callers) {
      const auto r = As(server, caller.token, route.method, path);
      const std::string where =
          caller.label + ": " + route.method + " " + path + " -> " + std::to_string(r.status) + " " + r.body;
      if (!route.scope) {  // no token needed: a token, right or wrong, changes nothing
        EXPECT_NE(r.status, 401) << where;
        EXPECT_NE(r.status, 403) << where;
        continue;
      }
      switch (caller.expect(route)) {
        case Expect::k401:
          EXPECT_EQ(r.status, 401) << where;
          EXPECT_EQ(r.Header("www-authenticate"), "Bearer") << where;
          break;
        case Expect::k403:
          EXPECT_EQ(r.status, 403) << where;
          EXPECT_EQ(r.Header("content-type"), "application/problem+json") << where;
          break;
        case Expect::kPass:
          EXPECT_NE(r.status, 401) << where;
          EXPECT_NE(r.status, 403) << where;
          EXPECT_LT(r.status, 500) << where;
          break;
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, 15 * 10);
}

TEST(Auth, TokensAreCreatedListedWithoutValuesAndRevoked) {
  // Everything logged while the server runs, at every level, to check that no token value leaks.
  std::ostringstream logged;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(logged);
  const auto old_level = spdlog::default_logger()->level();
  spdlog::default_logger()->sinks().push_back(sink);
  spdlog::set_level(spdlog::level::trace);
  std::string value, id;
  {
    TestDatabase db;
    TestServer server(db.url());
    const json created = CreateToken(server, "pipeline", {"read", "ingest", "read"}, "fraud");
    value = created["token"];
    id = created["id"];
    EXPECT_EQ(value.rfind("dg_", 0), 0u);
    EXPECT_EQ(value.size(), 3u + 43u);  // 32 bytes in unpadded URL-safe base64
    EXPECT_EQ(created["name"], "pipeline");
    EXPECT_EQ(created["scopes"], json({"ingest", "read"}));  // sorted, duplicates dropped
    EXPECT_EQ(created["model"], "fraud");
    EXPECT_TRUE(created["created_at"].is_string());
    EXPECT_NE(CreateToken(server, "second", {"read"})["token"], value);

    const auto list = server.Call("GET", "/v1/tokens");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.body.find(value), std::string::npos);
    ASSERT_EQ(list.Json()["tokens"].size(), 2u);
    const json listed = list.Json()["tokens"][0];
    EXPECT_EQ(listed["id"], id);
    EXPECT_FALSE(listed.contains("token"));
    EXPECT_EQ(listed["scopes"], json({"ingest", "read"}));

    // Only the hash is stored.
    EXPECT_EQ(
        db.Scalar("SELECT count(*) FROM tokens WHERE hash = sha256(convert_to('" + value + "', 'UTF8'))"),
        "1");
    EXPECT_EQ(db.Scalar("SELECT count(*) FROM tokens t WHERE t::text LIKE '%" + value.substr(3) + "%'"), "0");

    EXPECT_EQ(As(server, value, "GET", "/v1/models/fraud/metrics").status, 404);  // authorized; no such model
    ASSERT_EQ(server.Call("DELETE", "/v1/tokens/" + id).status, 204);
    EXPECT_EQ(As(server, value, "GET", "/v1/models/fraud/metrics").status, 401);  // at once in this replica
    EXPECT_EQ(server.Call("DELETE", "/v1/tokens/" + id).status, 404);             // already revoked
    EXPECT_EQ(server.Call("DELETE", "/v1/tokens/not-a-uuid").status, 404);
    EXPECT_EQ(server.Call("GET", "/v1/tokens").Json()["tokens"].size(), 1u);

    auto bad = [&](const json& body, const std::string& field) {
      auto r = server.Call("POST", "/v1/tokens", body);
      EXPECT_EQ(r.status, 400) << body.dump();
      EXPECT_EQ(r.Json()["field"], field) << r.body;
    };
    bad({{"scopes", {"read"}}}, "name");
    bad({{"name", ""}, {"scopes", {"read"}}}, "name");
    bad({{"name", "x"}}, "scopes");
    bad({{"name", "x"}, {"scopes", json::array()}}, "scopes");
    bad({{"name", "x"}, {"scopes", {"read", "root"}}}, "scopes[1]");
    bad({{"name", "x"}, {"scopes", {"read"}}, {"model", "Not A Name"}}, "model");
    bad({{"name", "x"}, {"scopes", {"read"}}, {"expires", 3}}, "expires");
  }
  spdlog::default_logger()->sinks().pop_back();
  spdlog::set_level(old_level);
  const std::string log = logged.str();
  EXPECT_NE(log.find("token created: id=" + id), std::string::npos) << log;
  EXPECT_EQ(log.find(value), std::string::npos);
  EXPECT_EQ(log.find(value.substr(3)), std::string::npos);
}

TEST(Auth, ARevocationByAnotherReplicaTakesEffectWithinTheCacheLifetime) {
  TestDatabase db;
  TestServer server(db.url());
  const json created = CreateToken(server, "reader", {"read"});
  const std::string value = created["token"];
  ASSERT_EQ(As(server, value, "GET", "/v1/models").status, 200);  // now cached as valid
  // Another replica revokes it: this process only learns it when its cached lookup expires (2 s).
  db.Scalar("UPDATE tokens SET revoked_at = now() WHERE id = '" + created["id"].get<std::string>() +
            "' RETURNING 1");
  const auto revoked_at = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitUntil([&] { return As(server, value, "GET", "/v1/models").status == 401; },
                        std::chrono::seconds(10)));
  EXPECT_LT(std::chrono::steady_clock::now() - revoked_at, std::chrono::milliseconds(4000));
}

TEST(Auth, AdminActionsAreAuditedWithTheirActorAndNoSecrets) {
  TestDatabase db;
  TestServer server(db.url());
  HttpReceiver receiver;
  const std::string hook = receiver.Url("/hooks/retrain-audit");
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("fraud", hook)).status, 201);
  const json admin = CreateToken(server, "deployer", {"admin"});
  const std::string admin_id = admin["id"], admin_value = admin["token"];

  ASSERT_EQ(As(server, admin_value, "PUT", "/v1/models/fraud", BinaryModel("fraud", hook, 0.8).dump()).status,
            200);
  const json reference{
      {"records",
       {{{"id", "r-1"}, {"ts", "2026-11-23T06:00:00Z"}, {"features", {{"amount", 1.5}}}, {"prediction", 1}},
        {{"id", "r-2"},
         {"ts", "2026-11-23T06:00:01Z"},
         {"features", {{"amount", 2.5}}},
         {"prediction", 0}}}}};
  auto up = As(server, admin_value, "PUT", "/v1/models/fraud/reference", reference.dump());
  ASSERT_EQ(up.status, 200) << up.body;
  EXPECT_EQ(As(server, admin_value, "POST", "/v1/models", BinaryModel("fraud", hook).dump()).status,
            409);  // not audited
  ASSERT_EQ(As(server, admin_value, "DELETE", "/v1/models/fraud").status, 204);
  ASSERT_EQ(server.Call("DELETE", "/v1/tokens/" + admin_id).status, 204);

  const auto entries = AllAudit(server);  // two per page: the cursor is exercised
  std::vector<std::string> actions, actors, targets;
  for (const auto& e : entries) {
    actions.push_back(e["action"]);
    actors.push_back(e["actor"]);
    targets.push_back(e["target"]);
    EXPECT_TRUE(e["id"].is_number_integer());
    EXPECT_TRUE(e["at"].is_string());
    EXPECT_TRUE(e["detail"].is_object());
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"model.create", "token.create", "model.replace",
                                               "reference.upload", "model.delete", "token.delete"}));
  EXPECT_EQ(actors,
            (std::vector<std::string>{"admin-env", "admin-env", admin_id, admin_id, admin_id, "admin-env"}));
  EXPECT_EQ(targets, (std::vector<std::string>{"fraud", admin_id, "fraud", "fraud", "fraud", admin_id}));
  ASSERT_EQ(entries.size(), 6u);
  EXPECT_EQ(entries[0]["detail"]["task"], "binary_classification");
  EXPECT_EQ(entries[1]["detail"]["name"], "deployer");
  EXPECT_EQ(entries[1]["detail"]["scopes"], json({"admin"}));
  EXPECT_EQ(entries[3]["detail"]["size"], 2);

  const std::string all = json(entries).dump() +
                          db.Scalar("SELECT string_agg(detail::text || target || actor, '|') FROM audit_log");
  for (const std::string& secret : {std::string(kWebhookSecret), std::string("whsec_"), admin_value,
                                    admin_value.substr(3), std::string("/hooks/retrain-audit")}) {
    EXPECT_EQ(all.find(secret), std::string::npos) << secret;
  }
  EXPECT_EQ(all.find(db.Scalar("SELECT encode(hash, 'hex') FROM tokens WHERE id = '" + admin_id + "'")),
            std::string::npos);

  EXPECT_TRUE(AllAudit(server, "&from=2199-01-01T00:00:00Z").empty());
  EXPECT_TRUE(AllAudit(server, "&to=2000-01-01T00:00:00Z").empty());
  EXPECT_EQ(AllAudit(server, "&from=2000-01-01T00:00:00Z&to=2199-01-01T00:00:00Z").size(), 6u);
  EXPECT_EQ(server.Call("GET", "/v1/audit?cursor=nonsense").status, 400);
  EXPECT_EQ(server.Call("GET", "/v1/audit?limit=0").status, 400);
}

TEST(Auth, ATokenOverItsRateGets429WithRetryAfterAndRecovers) {
  TestDatabase db;
  TestServer server(db.url(), TestServerOptions{.rate_limit_rps = 2, .rate_limit_burst = 2});
  const std::string limited = CreateToken(server, "busy", {"read"})["token"];
  const std::string other = CreateToken(server, "quiet", {"read"})["token"];

  HttpResponse refused;
  for (int i = 0; i < 10 && refused.status != 429; ++i) refused = As(server, limited, "GET", "/v1/models");
  ASSERT_EQ(refused.status, 429) << refused.body;
  EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
  EXPECT_EQ(refused.Json()["status"], 429);
  const std::string retry_after = refused.Header("retry-after");
  ASSERT_FALSE(retry_after.empty());
  EXPECT_GE(std::stoi(retry_after), 1);
  // Buckets are per token: another token is not slowed down by the busy one.
  EXPECT_EQ(As(server, other, "GET", "/v1/models").status, 200);
  // A refused request takes nothing from the bucket, so the token recovers at the refill rate.
  EXPECT_TRUE(WaitUntil([&] { return As(server, limited, "GET", "/v1/models").status == 200; },
                        std::chrono::seconds(5)));
}

TEST(Auth, TheWebhookAllowListRefusesOtherHostsAtCreateAndReplace) {
  TestDatabase db;
  TestServer server(db.url(),
                    TestServerOptions{.webhook_allow = "127.0.0.1,*.internal.example.com,10.0.0.0/8"});
  auto create = [&](const std::string& name, const std::string& url) {
    return server.Call("POST", "/v1/models", BinaryModel(name, url));
  };
  for (const std::string url : {"http://evil.example.org/hook", "http://internal.example.com/hook",
                                "http://127.0.0.2:9000/hook", "http://[::1]:9000/hook",
                                "https://11.0.0.1/hook", "http://hooks.internal.example.com.evil.org/hook"}) {
    const auto r = create("refused", url);
    EXPECT_EQ(r.status, 400) << url << " " << r.body;
    EXPECT_EQ(r.Json()["field"], "webhook.url") << url;
    EXPECT_NE(r.Json()["detail"].get<std::string>().find("DRIFTGATE_WEBHOOK_ALLOW"), std::string::npos)
        << r.body;
  }
  EXPECT_EQ(create("a", "http://127.0.0.1:9/hook").status, 201);
  EXPECT_EQ(create("b", "https://Hooks.Internal.Example.com/hook").status, 201);
  EXPECT_EQ(create("c", "http://10.20.30.40:8080/hook").status, 201);
  const auto replaced = server.Call("PUT", "/v1/models/a", BinaryModel("a", "http://evil.example.org/hook"));
  EXPECT_EQ(replaced.status, 400);
  EXPECT_EQ(replaced.Json()["field"], "webhook.url");
  EXPECT_EQ(server.Call("GET", "/v1/models/a").Json()["webhook"]["url"], "http://127.0.0.1:9/hook");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM audit_log"), "3");  // refused changes are not audited
}

TEST(Auth, TheDispatcherRefusesDeliveriesTheAllowListNoLongerOrNeverResolvesTo) {
  TestDatabase db;
  HttpReceiver allowed, rebound;
  // "localhost" is allowed by name, but it resolves to loopback, which only an address entry can open:
  // the delivery to it is refused at connect time like a DNS rebinding would be.
  const std::string allowed_port = std::to_string(allowed.port());
  TestServer server(db.url(), TestServerOptions{.webhook_allow = "127.0.0.1:" + allowed_port + ",localhost"});
  const std::string ok_url = "http://127.0.0.1:" + allowed_port + "/hook";
  const std::string rebound_url = "http://localhost:" + std::to_string(rebound.port()) + "/hook";
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("fraud", ok_url)).status, 201);
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("local", rebound_url)).status, 201);
  // Deliveries as the evaluator enqueues them; the third host was allowed once and no longer is.
  db.Scalar("INSERT INTO outbox (id, model_id, url, body) VALUES ('msg_ok', 1, '" + ok_url +
            "', '{}'), "
            "('msg_rebound', 2, '" +
            rebound_url +
            "', '{}'), ('msg_gone', 1, 'http://evil.example.org/hook', '{}') "
            "RETURNING 1");
  ASSERT_TRUE(
      WaitUntil([&] { return db.Scalar("SELECT count(*) FROM outbox WHERE status = 'pending'") == "0"; },
                std::chrono::seconds(10)));
  EXPECT_EQ(db.Scalar("SELECT status FROM outbox WHERE id = 'msg_ok'"), "delivered");
  for (const char* id : {"msg_rebound", "msg_gone"}) {
    EXPECT_EQ(
        db.Scalar(
            std::string("SELECT status || ' ' || attempts || ' ' || last_error FROM outbox WHERE id = '") +
            id + "'"),
        "failed 1 blocked by DRIFTGATE_WEBHOOK_ALLOW")
        << id;
  }
  EXPECT_TRUE(allowed.WaitForRequests(1, std::chrono::seconds(5)));
  EXPECT_EQ(rebound.RequestCount(), 0u);
}

TEST(Auth, ConfigValidatesTheRateLimitAndTheAllowList) {
  auto load = [](std::map<std::string, std::string> env) {
    env["DRIFTGATE_DB_URL"] = "postgresql://x/y";
    env["DRIFTGATE_ADMIN_TOKEN"] = "0123456789abcdef0123";
    env.emplace("DRIFTGATE_SECRET_KEY", test_support::kSecretKey);
    return service::LoadServeConfig({}, [env](const char* name) -> const char* {
      auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    });
  };
  auto ok = load({{"DRIFTGATE_RATE_LIMIT_RPS", "0.5"},
                  {"DRIFTGATE_RATE_LIMIT_BURST", "3"},
                  {"DRIFTGATE_WEBHOOK_ALLOW", "127.0.0.1, *.internal.example.com ,10.0.0.0/8,[::1]:9000"}});
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->rate_limit_rps, 0.5);
  EXPECT_EQ(ok->rate_limit_burst, 3);
  EXPECT_EQ(load({})->rate_limit_rps, 0.0);  // off by default
  EXPECT_TRUE(load({})->db_prepared);        // prepared statements on by default (db/exec.h)
  EXPECT_FALSE(load({{"DRIFTGATE_DB_PREPARED", "off"}})->db_prepared);
  EXPECT_TRUE(load({{"DRIFTGATE_DB_PREPARED", "on"}})->db_prepared);
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{
           {"DRIFTGATE_RATE_LIMIT_RPS", "-1"},
           {"DRIFTGATE_RATE_LIMIT_RPS", "nan"},
           {"DRIFTGATE_RATE_LIMIT_BURST", "0.5"},
           {"DRIFTGATE_DB_PREPARED", "maybe"},
           {"DRIFTGATE_WEBHOOK_ALLOW", "10.0.0.0/33"},
           {"DRIFTGATE_WEBHOOK_ALLOW", "host:0"},
           {"DRIFTGATE_WEBHOOK_ALLOW", "a,,b"},
           {"DRIFTGATE_WEBHOOK_ALLOW", "http://x.example.com"}}) {
    auto bad = load({{name, value}});
    ASSERT_FALSE(bad.ok()) << name << "=" << value;
    EXPECT_EQ(bad.error().field, name) << bad.error().message;
  }
}

TEST(Auth, ATokenBucketRefillsAtItsRateUpToItsBurst) {
  service::RateLimiter limiter({.rate_per_second = 2, .burst = 3});
  const auto t0 = std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Take("a", t0)) << i;
  const auto wait = limiter.Take("a", t0);
  ASSERT_TRUE(wait);
  EXPECT_DOUBLE_EQ(*wait, 0.5);
  EXPECT_FALSE(limiter.Take("b", t0));  // its own bucket
  EXPECT_FALSE(limiter.Take("a", t0 + std::chrono::milliseconds(500)));
  EXPECT_TRUE(limiter.Take("a", t0 + std::chrono::milliseconds(500)));
  // A long pause refills to the burst, not beyond.
  const auto later = t0 + std::chrono::seconds(60);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limiter.Take("a", later)) << i;
  EXPECT_TRUE(limiter.Take("a", later));
  EXPECT_FALSE(service::RateLimiter({}).Take("a", t0));  // off
}

}  // namespace
}  // namespace driftgate

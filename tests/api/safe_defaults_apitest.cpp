// Safe defaults against hostile callers, the cases the edge and webhook-policy suites leave open: the
// database's own port and this server's port are never webhook destinations unless listed; an unknown
// token is answered from the negative cache, not the database; notify URLs (Slack incoming webhooks
// carry their credential in the path) are redacted for readers like webhook URLs; PagerDuty routing
// keys are sealed at rest and moved to the new key by `driftgate reseal`; and a refusal reaches a client
// that keeps sending its oversized head. Traffic stays on 127.0.0.1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <map>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "app/secret_reseal.h"
#include "codec/notify_config.h"
#include "db/pool.h"
#include "service/access/auth.h"
#include "service/webhooks/transport/secret_box.h"
#include "tests/support/http_receiver.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::HttpReceiver;
using test_support::kAdminToken;
using test_support::TestDatabase;
using test_support::TestServer;
using test_support::TestServerOptions;
using test_support::WaitUntil;

constexpr const char* kRoutingKey = "R0UTING-safe-defaults-0123456789abcdef";
constexpr const char* kOtherKey = "cm90YXRlZC1zZWNyZXQta2V5LTAxMjM0NTY3ODlhYmM=";  // base64 of 32 bytes

// Every "table.column" (base tables, partitions included) whose text holds `needle`.
std::vector<std::string> ColumnsHolding(const TestDatabase& db, const std::string& needle) {
  pqxx::connection conn(db.url());
  pqxx::work tx(conn);
  std::vector<std::string> found;
  const auto columns = tx.exec(
      "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t "
      "USING (table_schema, table_name) WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'");
  EXPECT_GT(columns.size(), 50u);
  for (const auto& col : columns) {
    const std::string table = col[0].as<std::string>(), column = col[1].as<std::string>();
    const auto hits = tx.exec_params1("SELECT count(*) FROM " + tx.quote_name(table) + " WHERE strpos(" +
                                          tx.quote_name(column) + "::text, $1) > 0",
                                      needle)[0]
                          .as<long>();
    if (hits > 0) found.push_back(table + "." + column);
  }
  return found;
}

// A retrain request for `url` as the evaluator would enqueue it.
void Enqueue(const TestDatabase& db, const std::string& id, const std::string& url) {
  db.Scalar("INSERT INTO outbox (id, model_id, url, body) VALUES ('" + id + "', 1, '" + url +
            "', '{}') RETURNING 1");
}

std::string OutcomeOf(const TestDatabase& db, const std::string& id) {
  return db.Scalar("SELECT status || ' ' || coalesce(last_error, '') FROM outbox WHERE id = '" + id + "'");
}

// The database driftgate uses and the port driftgate itself listens on are internal destinations like
// any other loopback address: refused at create time and at delivery time by the default policy, and
// still refused when an entry opens another port of the same address.
TEST(SafeDefaults, TheDatabasePortAndTheServerItselfAreNeverWebhookDestinationsUnlessListed) {
  TestDatabase db;
  HttpReceiver receiver;
  const std::string db_port = db.Scalar("SELECT current_setting('port')");
  for (const std::string& allow : {std::string(), "127.0.0.1:" + std::to_string(receiver.port())}) {
    TestServerOptions options;
    options.webhook_allow = allow;
    TestServer server(db.url(), options);
    const std::string self = std::to_string(server.port());
    const std::vector<std::string> internal = {
        "http://127.0.0.1:" + db_port + "/", "http://[::ffff:127.0.0.1]:" + db_port + "/",
        "http://0x7f.1:" + self + "/v1/models", "http://127.0.0.1:" + self + "/v1/tokens"};
    for (const auto& url : internal) {
      const auto r = server.Call("POST", "/v1/models", BinaryModel("internal", url));
      EXPECT_EQ(r.status, 400) << allow << " " << url << " " << r.body;
      EXPECT_EQ(r.Json()["field"], "webhook.url") << r.body;
    }
    const std::string round = allow.empty() ? "d" : "e";
    Enqueue(db, round + "_db", "http://127.0.0.1:" + db_port + "/");
    Enqueue(db, round + "_db_name", "http://localhost:" + db_port + "/");
    Enqueue(db, round + "_self", "http://127.0.0.1:" + self + "/v1/models");
    Enqueue(db, round + "_receiver", receiver.Url("/hook"));
    ASSERT_TRUE(
        WaitUntil([&] { return db.Scalar("SELECT count(*) FROM outbox WHERE status = 'pending'") == "0"; },
                  std::chrono::seconds(10)));
    for (const char* which : {"_db", "_db_name", "_self"}) {
      EXPECT_EQ(OutcomeOf(db, round + which), "failed blocked by DRIFTGATE_WEBHOOK_ALLOW") << round + which;
    }
    // The listed receiver is reached; without an entry it is not.
    EXPECT_EQ(db.Scalar("SELECT status FROM outbox WHERE id = '" + round + "_receiver'"),
              allow.empty() ? "failed" : "delivered");
  }
  EXPECT_EQ(receiver.RequestCount(), 1u);
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM models"), "0");
}

// An unknown, well-formed token costs one lookup: its hash is then remembered as unknown, so the same
// token again is refused without asking the database — proven by a row for that hash appearing after the
// first refusal, which only a fresh lookup could see.
TEST(SafeDefaults, AnUnknownTokenIsRefusedFromTheNegativeCacheUntilItExpires) {
  TestDatabase db;
  db::Pool pool({.url = db.url(), .size = 1});
  service::AuthenticatorOptions options;
  options.cache_ttl = std::chrono::seconds(120);
  options.throttle.failures_per_second = 0;
  service::Authenticator auth(kAdminToken, pool, options);
  const std::string token = service::NewTokenValue();
  const auto first = auth.Authenticate("Bearer " + token);
  ASSERT_FALSE(first.ok());
  EXPECT_EQ(first.error().code, ErrorCode::kUnauthorized);
  db.Scalar("INSERT INTO tokens (name, hash, scopes) VALUES ('late', decode('" +
            service::HexOf(service::HashToken(token)) + "', 'hex'), '{read}') RETURNING 1");
  for (int i = 0; i < 3; ++i) {
    const auto again = auth.Authenticate("Bearer " + token);
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kUnauthorized);
  }
  auth.ForgetCached();  // what a token creation or revocation on this replica does
  const auto fresh = auth.Authenticate("Bearer " + token);
  ASSERT_TRUE(fresh.ok()) << fresh.error().message;
  EXPECT_EQ(fresh->scopes, std::vector<service::Scope>{service::Scope::kRead});
}

json ModelWithNotify(const std::string& name) {
  json model = BinaryModel(name, "http://127.0.0.1:9/hooks/T0SECRETPATH");
  model["notify"] = {
      {{"kind", "slack"}, {"url", "http://127.0.0.1:9/services/T0/B0/SLACKSECRET"}, {"events", {"retrain"}}},
      {{"kind", "pagerduty"},
       {"url", "http://127.0.0.1:9"},
       {"routing_key", kRoutingKey},
       {"events", {"retrain"}}}};
  return model;
}

TEST(SafeDefaults, ReadersSeeNotifyUrlsCutToSchemeHostAndPortAdminsTheWholeUrl) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(server.Call("POST", "/v1/models", ModelWithNotify("fraud")).status, 201);
  const auto created = server.Call("POST", "/v1/tokens", json{{"name", "viewer"}, {"scopes", {"read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::vector<std::string> reader = {"Authorization: Bearer " +
                                           created.Json()["token"].get<std::string>()};
  for (const std::string path : {"/v1/models/fraud", "/v1/models"}) {
    const auto r = server.Raw("GET", path, "", reader);
    ASSERT_EQ(r.status, 200) << r.body;
    const json model = path == "/v1/models" ? r.Json()["models"][0] : r.Json();
    EXPECT_EQ(model["notify"][0]["url"], "http://127.0.0.1:9") << path;
    EXPECT_EQ(model["notify"][0]["url_redacted"], true) << path;
    EXPECT_EQ(model["webhook"]["url"], "http://127.0.0.1:9") << path;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("R0UTING"), std::string::npos) << r.body;
  }
  const json admin_view = server.Call("GET", "/v1/models/fraud").Json();
  EXPECT_EQ(admin_view["notify"][0]["url"], "http://127.0.0.1:9/services/T0/B0/SLACKSECRET");
  EXPECT_FALSE(admin_view["notify"][0].contains("url_redacted"));
  EXPECT_EQ(admin_view["notify"][1]["routing_key_set"], true);
}

// A key rotation must not strand a routing key under the old key: after `driftgate reseal`, the new key
// alone opens it, and no table holds it in plaintext at any point.
TEST(SafeDefaults, ARotationReSealsPagerDutyRoutingKeysUnderTheNewKey) {
  TestDatabase db;
  {
    TestServer server(db.url());
    ASSERT_EQ(server.Call("POST", "/v1/models", ModelWithNotify("fraud")).status, 201);
  }
  EXPECT_EQ(ColumnsHolding(db, kRoutingKey), std::vector<std::string>{});
  const auto sealed_key = [&db] {
    return db.Scalar("SELECT config->'notify'->1->>'routing_key_sealed' FROM models");
  };
  const auto& old_box = test_support::TestSecretBox();
  ASSERT_EQ(old_box.Open(sealed_key(), codec::kRoutingKeyPurpose), std::optional<std::string>(kRoutingKey));

  const std::map<std::string, std::string> env = {
      {"DRIFTGATE_DB_URL", db.url()},
      {"DRIFTGATE_SECRET_KEY", kOtherKey},
      {"DRIFTGATE_SECRET_KEY_PREVIOUS", test_support::kSecretKey}};
  std::ostringstream out, err;
  ASSERT_EQ(service::RunResealCommand(
                {},
                [&env](const char* name) -> const char* {
                  const auto it = env.find(name);
                  return it == env.end() ? nullptr : it->second.c_str();
                },
                out, err),
            0)
      << err.str();
  const auto new_only = *webhook::SecretBox::Make(kOtherKey, "", nullptr);
  EXPECT_EQ(new_only.Open(sealed_key(), codec::kRoutingKeyPurpose), std::optional<std::string>(kRoutingKey));
  EXPECT_FALSE(old_box.Open(sealed_key(), codec::kRoutingKeyPurpose));
  EXPECT_EQ(ColumnsHolding(db, kRoutingKey), std::vector<std::string>{});
  // The rest of the config is untouched.
  EXPECT_EQ(db.Scalar("SELECT config->'notify'->0->>'url' FROM models"),
            "http://127.0.0.1:9/services/T0/B0/SLACKSECRET");
}

// A client that keeps sending an oversized head (here up to 64 MiB, without pausing) reads its 431 while
// it is still sending: the answer must not wait for the client to stop, nor be lost when it does.
TEST(SafeDefaults, ARefusalReachesAClientThatIsStillSending) {
  TestDatabase db;
  TestServer server(db.url());
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  std::atomic<bool> answered{false};
  std::atomic<std::size_t> sent{0};
  std::thread sender([&] {
    const std::string head = "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: ";
    const std::string filler(64 * 1024, 'b');
    if (::send(fd, head.data(), head.size(), MSG_NOSIGNAL) <= 0) return;
    while (!answered && sent < (std::size_t{64} << 20)) {
      const ssize_t n = ::send(fd, filler.data(), filler.size(), MSG_NOSIGNAL);
      if (n <= 0) return;
      sent += static_cast<std::size_t>(n);
    }
  });
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (received.find("\r\n\r\n") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    received.append(buf, static_cast<std::size_t>(n));
  }
  const std::size_t sent_when_answered = sent;
  answered = true;
  ::shutdown(fd, SHUT_RDWR);  // ends a send the server no longer reads
  sender.join();
  ::close(fd);
  EXPECT_EQ(received.rfind("HTTP/1.1 431", 0), 0u) << received.substr(0, 200);
  EXPECT_NE(received.find("application/problem+json"), std::string::npos) << received.substr(0, 400);
  // Answered long before the client would have stopped: the server read at most its lingering allowance.
  EXPECT_LT(sent_when_answered, std::size_t{32} << 20);
}

}  // namespace
}  // namespace driftgate

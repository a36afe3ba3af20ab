// Where webhooks may go and what callers see of them: the default destination policy (public addresses
// only; README, DRIFTGATE_WEBHOOK_ALLOW) against the SSRF matrix — refused at create time when the URL
// is an address literal and at delivery time always, opened only by explicit entries — plus webhook
// URLs redacted for callers without the admin scope, and header values without control characters.
// Every refused model here is created (or refused) and never fed labels: no traffic leaves 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>

#include "tests/support/http_receiver.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"
#include "tests/support/wait.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::BinaryModel;
using test_support::HttpReceiver;
using test_support::TestDatabase;
using test_support::TestServer;
using test_support::TestServerOptions;
using test_support::WaitUntil;

// Internal destinations in the spellings an attacker would try, each an address literal.
const std::vector<std::string> kInternalUrls = {"http://127.0.0.1:9/hook",
                                                "http://127.1:9/hook",
                                                "http://0x7f.1:9/hook",
                                                "http://2130706433:9/hook",
                                                "http://017700000001:9/hook",
                                                "http://0177.0.0.1:9/hook",
                                                "http://0x7f000001:9/hook",
                                                "http://[::1]:9/hook",
                                                "http://[::ffff:127.0.0.1]:9/hook",
                                                "http://[::ffff:7f00:1]:9/hook",
                                                "http://[::127.0.0.1]:9/hook",
                                                "http://169.254.169.254/latest/meta-data/",
                                                "http://[fe80::1]/hook",
                                                "http://10.0.0.1/hook",
                                                "http://172.16.0.1/hook",
                                                "http://192.168.1.1/hook",
                                                "http://100.64.0.1/hook",
                                                "http://[fc00::1]/hook",
                                                "http://[fd12:3456::1]/hook",
                                                "http://0.0.0.0:5432/",
                                                "http://0/hook",
                                                "http://[::]/hook",
                                                "http://224.0.0.1/hook",
                                                "http://[ff02::1]/hook",
                                                "https://255.255.255.255/hook",
                                                "http://[::ffff:169.254.169.254]/latest/meta-data/"};

// Entries that open each of the above, and nothing public.
constexpr const char* kInternalEntries =
    "127.0.0.0/8,::1,::/96,169.254.0.0/16,fe80::/10,10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,"
    "fc00::/7,0.0.0.0,224.0.0.0/4,ff00::/8,255.255.255.255";

TestServerOptions DefaultPolicy() {
  TestServerOptions options;
  options.webhook_allow = "";  // DRIFTGATE_WEBHOOK_ALLOW unset
  return options;
}

TEST(WebhookPolicy, TheDefaultRefusesEveryInternalAddressLiteralAtCreate) {
  TestDatabase db;
  TestServer server(db.url(), DefaultPolicy());
  for (const auto& url : kInternalUrls) {
    const auto r = server.Call("POST", "/v1/models", BinaryModel("refused", url));
    EXPECT_EQ(r.status, 400) << url << " " << r.body;
    EXPECT_EQ(r.Json()["field"], "webhook.url") << url;
    EXPECT_NE(r.body.find("not a public address"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("DRIFTGATE_WEBHOOK_ALLOW"), std::string::npos) << r.body;
  }
  // A host that ends in a number but is no address is no valid host either.
  for (const char* url : {"http://1.2.3.4.5/hook", "http://256.1.1.1/hook", "http://0x1g.1/hook"}) {
    const auto r = server.Call("POST", "/v1/models", BinaryModel("refused", url));
    EXPECT_EQ(r.status, 400) << url;
    EXPECT_EQ(r.Json()["field"], "webhook.url") << r.body;
  }
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM models"), "0");
  // Public destinations are what the default allows: names (checked again at connect time) and public
  // address literals. Created only, never fed labels.
  EXPECT_EQ(server.Call("POST", "/v1/models", BinaryModel("named", "https://hooks.example.com/x")).status,
            201);
  EXPECT_EQ(server.Call("POST", "/v1/models", BinaryModel("public", "http://93.184.216.34/x")).status, 201);
  const auto replaced =
      server.Call("PUT", "/v1/models/named", BinaryModel("named", "http://[::ffff:10.0.0.1]/"));
  EXPECT_EQ(replaced.status, 400);
  EXPECT_EQ(replaced.Json()["field"], "webhook.url");
}

TEST(WebhookPolicy, ExplicitEntriesOpenInternalAddressesAndOnlyThose) {
  TestDatabase db;
  {
    TestServerOptions options;
    options.webhook_allow = kInternalEntries;
    TestServer server(db.url(), options);
    for (std::size_t i = 0; i < kInternalUrls.size(); ++i) {
      const auto r =
          server.Call("POST", "/v1/models", BinaryModel("m" + std::to_string(i), kInternalUrls[i]));
      EXPECT_EQ(r.status, 201) << kInternalUrls[i] << " " << r.body;
    }
  }
  TestServerOptions metadata_only;
  metadata_only.webhook_allow = "169.254.169.254";
  TestServer server(db.url(), metadata_only);
  EXPECT_EQ(server.Call("POST", "/v1/models", BinaryModel("meta", "http://169.254.169.254/x")).status, 201);
  for (const char* url :
       {"http://169.254.169.253/x", "http://127.0.0.1/x", "http://0x7f.1/x", "http://10.0.0.1/"}) {
    EXPECT_EQ(server.Call("POST", "/v1/models", BinaryModel("other", url)).status, 400) << url;
  }
}

// Hosts that reach 127.0.0.1: a name and the spellings of the address.
const std::vector<std::string> kLoopbackHosts = {"localhost",  "127.0.0.1",    "0x7f.1",
                                                 "2130706433", "017700000001", "127.1"};

// Deliveries as the evaluator would enqueue them, msg_0, msg_1, ... in the order of `hosts`.
void EnqueueDeliveries(const TestDatabase& db, const HttpReceiver& receiver,
                       const std::vector<std::string>& hosts) {
  const std::string port = std::to_string(receiver.port());
  std::string values;
  int i = 0;
  for (const auto& host : hosts) {
    values += std::string(values.empty() ? "" : ", ") + "('msg_" + std::to_string(i++) + "', 1, 'http://" +
              host + ":" + port + "/hook', '{}')";
  }
  db.Scalar("INSERT INTO outbox (id, model_id, url, body) VALUES " + values + " RETURNING 1");
}

TEST(WebhookPolicy, TheDefaultRefusesLoopbackAtDeliveryWhateverTheSpellingOrName) {
  TestDatabase db;
  HttpReceiver receiver;
  TestServer server(db.url(), DefaultPolicy());
  auto hosts = kLoopbackHosts;
  hosts.push_back("[::ffff:127.0.0.1]");
  EnqueueDeliveries(db, receiver, hosts);
  ASSERT_TRUE(
      WaitUntil([&] { return db.Scalar("SELECT count(*) FROM outbox WHERE status = 'pending'") == "0"; },
                std::chrono::seconds(10)));
  // "localhost" passes the URL check (a name) and is refused at connect time, on the address it resolved to.
  EXPECT_EQ(
      db.Scalar(
          "SELECT string_agg(DISTINCT status || ' ' || attempts || ' ' || last_error, ',') FROM outbox"),
      "failed 1 blocked by DRIFTGATE_WEBHOOK_ALLOW");
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

TEST(WebhookPolicy, AnAddressEntryOpensLoopbackInEverySpellingButNotByName) {
  TestDatabase db;
  HttpReceiver receiver;
  TestServer server(db.url());  // webhook_allow "127.0.0.1"
  EnqueueDeliveries(db, receiver, kLoopbackHosts);
  ASSERT_TRUE(
      WaitUntil([&] { return db.Scalar("SELECT count(*) FROM outbox WHERE status = 'pending'") == "0"; },
                std::chrono::seconds(10)));
  // A name entry would be needed for "localhost", and even then only public addresses (allow_list.h).
  EXPECT_EQ(db.Scalar("SELECT status || ' ' || last_error FROM outbox WHERE id = 'msg_0'"),
            "failed blocked by DRIFTGATE_WEBHOOK_ALLOW");
  // Every spelling of the listed address reaches the receiver, once.
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM outbox WHERE status = 'delivered'"), "5");
  EXPECT_EQ(receiver.RequestCount(), 5u);
}

std::string ReadToken(TestServer& server) {
  const auto r = server.Call("POST", "/v1/tokens", json{{"name", "viewer"}, {"scopes", {"read"}}});
  EXPECT_EQ(r.status, 201) << r.body;
  return r.Json()["token"].get<std::string>();
}

TEST(WebhookRedaction, ReadersSeeSchemeHostAndPortAdminsTheWholeUrl) {
  TestDatabase db;
  TestServer server(db.url(), DefaultPolicy());
  const std::string url =
      "https://hooks.example.com:8443/services/T0001/B0002/SLACKSECRETPATH?token=QUERYSECRET";
  ASSERT_EQ(server.Call("POST", "/v1/models", BinaryModel("fraud", url)).status, 201);
  const std::string reader = ReadToken(server);
  for (const std::string path : {"/v1/models/fraud", "/v1/models"}) {
    const auto r = server.Raw("GET", path, "", {"Authorization: Bearer " + reader});
    ASSERT_EQ(r.status, 200) << r.body;
    const json model = path == "/v1/models" ? r.Json()["models"][0] : r.Json();
    EXPECT_EQ(model["webhook"]["url"], "https://hooks.example.com:8443") << path;
    EXPECT_EQ(model["webhook"]["url_redacted"], true) << path;
    EXPECT_EQ(r.body.find("SECRET"), std::string::npos) << r.body;
  }
  const json admin_view = server.Call("GET", "/v1/models/fraud").Json();
  EXPECT_EQ(admin_view["webhook"]["url"], url);
  EXPECT_FALSE(admin_view["webhook"].contains("url_redacted"));
}

TEST(WebhookHeaders, ValuesWithControlCharactersOrLineSeparatorsAreRefusedNamingTheField) {
  TestDatabase db;
  TestServer server(db.url());
  auto with_header = [](const std::string& kind, const std::string& value) {
    json model = BinaryModel("fraud", "http://127.0.0.1:9/hook");
    model["webhook"]["headers"] = {{"X-Token", {{kind, value}}}};
    return model;
  };
  for (const std::string bad : {"a\rb", "a\nb",
                                "a\x0b"
                                "b",
                                "a\x0c"
                                "b",
                                "a\x1b"
                                "b",
                                "a\x7f"
                                "b",
                                "a\u0085b", "a\u0080b", "a\u009fb", "a\u2028b", "a\u2029b"}) {
    for (const std::string kind : {"value", "secret"}) {
      const auto r = server.Call("POST", "/v1/models", with_header(kind, bad));
      EXPECT_EQ(r.status, 400) << kind << " " << json(bad).dump() << " " << r.body;
      EXPECT_EQ(r.Json()["field"], "webhook.headers.X-Token." + kind) << r.body;
    }
  }
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM models"), "0");
  // HTAB and other Unicode are header text (RFC 9110 field-vchar, obs-text).
  const auto ok =
      server.Call("POST", "/v1/models", with_header("value", "a\tb caf\u00e9 \u00a0\u2027\u20ac"));
  EXPECT_EQ(ok.status, 201) << ok.body;
}

}  // namespace
}  // namespace driftgate

// Secrets sealed at rest (README "Secrets at rest"): after models with webhook and header secrets are
// created and their retrain requests delivered, no column of any table holds a plaintext secret, while
// receivers on 127.0.0.1 still get the same signatures and header values. Rows written before sealing
// are sealed by the start-up pass, and a key rotation re-seals everything (`driftgate reseal`).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <pqxx/pqxx>
#include <sstream>

#include "app/config.h"
#include "app/secret_reseal.h"
#include "db/pool.h"
#include "service/webhooks/transport/secret_box.h"
#include "service/webhooks/transport/signature.h"
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
using test_support::RecordedRequest;
using test_support::TestDatabase;
using test_support::TestServer;
using test_support::TestServerOptions;

constexpr const char* kSecret = "whsec_c2VhbGVkLWF0LXJlc3QtdGVzdC1rZXktMTIzNDU2";
constexpr const char* kHeaderSecret = "Bearer tok-SEALED-0123456789abcdef";
constexpr const char* kOtherKey = "cm90YXRlZC1zZWNyZXQta2V5LTAxMjM0NTY3ODlhYmM=";  // 32 bytes

std::string Hex(const std::string& s) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

// "table.column" for every column of every table (partitions included) whose text form contains any
// of `needles`, as written or hex-encoded (how bytea columns print).
std::vector<std::string> ColumnsHolding(const TestDatabase& db, const std::vector<std::string>& needles) {
  pqxx::connection conn(db.url());
  pqxx::work tx(conn);
  std::vector<std::string> found;
  const auto columns = tx.exec(
      "SELECT c.table_name, c.column_name FROM information_schema.columns c JOIN information_schema.tables t "
      "USING (table_schema, table_name) WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'");
  EXPECT_GT(columns.size(), 50u);  // the scan sees the whole schema
  for (const auto& col : columns) {
    const std::string table = col[0].as<std::string>(), column = col[1].as<std::string>();
    for (const auto& needle : needles) {
      const auto hits = tx.exec_params1("SELECT count(*) FROM " + tx.quote_name(table) + " WHERE strpos(" +
                                            tx.quote_name(column) + "::text, $1) > 0 OR strpos(" +
                                            tx.quote_name(column) + "::text, $2) > 0",
                                        needle, Hex(needle))[0]
                            .as<long>();
      if (hits > 0) found.push_back(table + "." + column);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

void Degrade(TestServer& server, const std::string& model) {
  BinaryStream stream(17);
  for (int b = 0; b < 4; ++b) {
    json preds, labels;
    stream.Next(500, 0.65, preds, labels);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/predictions", preds).status, 200);
    ASSERT_EQ(server.Call("POST", "/v1/models/" + model + "/labels", labels).status, 200);
  }
}

bool SignedWith(const RecordedRequest& req, const std::string& secret) {
  return webhook::Verify(secret, req.Header("webhook-id"), std::stoll(req.Header("webhook-timestamp")),
                         req.body, req.Header("webhook-signature"));
}

json ModelWithSecrets(const std::string& name, const std::string& url) {
  json model = BinaryModel(name, url);
  model["webhook"]["secret"] = kSecret;
  model["webhook"]["headers"] = {{"Authorization", {{"secret", kHeaderSecret}}},
                                 {"X-Env", {{"value", "prod"}}}};
  return model;
}

TEST(SecretsAtRest, NoTableHoldsAPlaintextSecretAfterModelsAndDeliveries) {
  TestDatabase db;
  HttpReceiver receiver;
  receiver.QueueStatuses({503});  // the first attempt fails: the retry is signed from the sealed row again
  std::string generated;
  {
    TestServer server(db.url());
    ASSERT_EQ(server.Call("POST", "/v1/models", ModelWithSecrets("fraud", receiver.Url("/hook"))).status,
              201);
    json plain = BinaryModel("plain", receiver.Url("/plain"));  // never fed labels
    plain["webhook"].erase("secret");
    const auto created = server.Call("POST", "/v1/models", plain);
    ASSERT_EQ(created.status, 201) << created.body;
    generated = created.Json()["webhook"]["secret"].get<std::string>();  // shown once, generated
    // A replace that keeps the stored secrets re-seals them.
    json replaced = BinaryModel("fraud", receiver.Url("/hook"));
    replaced["webhook"].erase("secret");
    const auto put = server.Call("PUT", "/v1/models/fraud", replaced);
    ASSERT_EQ(put.status, 200) << put.body;
    EXPECT_EQ(put.Json()["webhook"]["headers"]["Authorization"], json({{"secret_set", true}}));
    Degrade(server, "fraud");
    ASSERT_TRUE(receiver.WaitForRequests(2, std::chrono::seconds(10)));
    ASSERT_TRUE(test_support::WaitUntil([&] { return db.Scalar("SELECT status FROM outbox") == "delivered"; },
                                        std::chrono::seconds(5)));
  }
  // The signature format and the header values are what they were before sealing.
  for (const auto& req : receiver.Requests()) {
    EXPECT_TRUE(SignedWith(req, kSecret)) << req.Header("webhook-signature");
    EXPECT_EQ(req.Header("authorization"), kHeaderSecret);
    EXPECT_EQ(req.Header("x-env"), "prod");
    EXPECT_EQ(req.Header("webhook-id"), receiver.Requests()[0].Header("webhook-id"));
  }
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM outbox"), "1");  // delivered once, after one retry
  const std::string secret_base64 = std::string(kSecret).substr(6);
  EXPECT_EQ(ColumnsHolding(db, {kSecret, secret_base64, kHeaderSecret, "tok-SEALED", generated}),
            std::vector<std::string>{});
  // What is there instead: sealed text under the current key, and the key's id per row.
  const std::string key = test_support::TestSecretBox().key_id();
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM models WHERE webhook_secret LIKE 'dgs1." + key +
                      ".%' AND secrets_key_id = '" + key + "'"),
            "2");
  EXPECT_EQ(db.Scalar("SELECT count(*) FROM outbox WHERE secret LIKE 'dgs1." + key +
                      ".%' AND secrets_key_id = '" + key + "' AND headers::text LIKE '%\"sealed\"%'"),
            "1");
}

// Rows as a version before sealing wrote them: a model's plaintext secret and header secret, and a
// pending delivery that carries both.
void WriteLegacyRows(const TestDatabase& db, const std::string& url) {
  db.Scalar(std::string("UPDATE models SET webhook_secret = '") + kSecret +
            "', webhook_header_secrets = '{\"Authorization\": \"" + kHeaderSecret +
            "\"}', secrets_key_id = NULL RETURNING 1");
  db.Scalar(std::string(
                "INSERT INTO outbox (id, model_id, url, secret, body, headers) SELECT 'msg_legacy', id, '") +
            url + "', '" + kSecret + "', '{\"type\":\"retrain.requested\"}', '[[\"Authorization\", \"" +
            kHeaderSecret + "\"], [\"X-Env\", \"prod\"]]' FROM models RETURNING 1");
}

TEST(SecretsAtRest, PlaintextRowsOfAnEarlierVersionAreSealedAndStillDelivered) {
  TestDatabase db;
  HttpReceiver receiver;
  {
    TestServer server(db.url());
    ASSERT_EQ(server.Call("POST", "/v1/models", ModelWithSecrets("fraud", receiver.Url("/unused"))).status,
              201);
  }
  WriteLegacyRows(db, receiver.Url("/hook"));
  // The scan finds plaintext where there is some.
  ASSERT_EQ(ColumnsHolding(db, {kHeaderSecret}),
            (std::vector<std::string>{"models.webhook_header_secrets", "outbox.headers"}));
  db::Pool pool({.url = db.url(), .size = 1});
  auto sealed = service::ResealSecrets(pool, test_support::TestSecretBox(), {.legacy_only = true});
  ASSERT_TRUE(sealed.ok()) << sealed.error().message;
  EXPECT_EQ(sealed->models, 1);
  EXPECT_EQ(sealed->outbox, 1);
  EXPECT_EQ(ColumnsHolding(db, {kSecret, kHeaderSecret, "tok-SEALED"}), std::vector<std::string>{});
  // A second pass has nothing left to do.
  EXPECT_EQ(service::ResealSecrets(pool, test_support::TestSecretBox(), {.legacy_only = true})->models, 0);

  TestServer server(db.url());
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  const auto req = receiver.Requests().at(0);
  EXPECT_EQ(req.Header("webhook-id"), "msg_legacy");
  EXPECT_TRUE(SignedWith(req, kSecret));
  EXPECT_EQ(req.Header("authorization"), kHeaderSecret);
  EXPECT_EQ(req.Header("x-env"), "prod");
  // The model's sealed secrets open too: a replace keeps them, sealed again.
  json replaced = BinaryModel("fraud", receiver.Url("/hook"));
  replaced["webhook"].erase("secret");
  ASSERT_EQ(server.Call("PUT", "/v1/models/fraud", replaced).status, 200);
  EXPECT_EQ(
      test_support::TestSecretBox().Open(db.Scalar("SELECT webhook_secret FROM models"), "webhook.secret"),
      std::optional<std::string>(kSecret));
}

TEST(SecretsAtRest, ARotationReSealsEveryRowUnderTheNewKey) {
  TestDatabase db;
  HttpReceiver receiver;
  receiver.SetStatus(503);  // the delivery stays pending through the rotation
  {
    TestServer server(db.url());
    ASSERT_EQ(server.Call("POST", "/v1/models", ModelWithSecrets("fraud", receiver.Url("/hook"))).status,
              201);
    Degrade(server, "fraud");
    ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  }
  const auto& old_box = test_support::TestSecretBox();
  const auto new_box = *webhook::SecretBox::Make(kOtherKey, test_support::kSecretKey, nullptr);
  ASSERT_NE(new_box.key_id(), old_box.key_id());

  // `driftgate reseal` with only the new key cannot open the old rows: it says which key is missing.
  const std::map<std::string, std::string> env_new_only = {{"DRIFTGATE_DB_URL", db.url()},
                                                           {"DRIFTGATE_SECRET_KEY", kOtherKey}};
  auto env_of = [](const std::map<std::string, std::string>& env) {
    return [&env](const char* name) -> const char* {
      const auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    };
  };
  std::ostringstream out, err;
  EXPECT_EQ(service::RunResealCommand({}, env_of(env_new_only), out, err), 1);
  EXPECT_NE(err.str().find(old_box.key_id()), std::string::npos) << err.str();
  EXPECT_EQ(err.str().find(kSecret), std::string::npos);

  auto env_rotation = env_new_only;
  env_rotation["DRIFTGATE_SECRET_KEY_PREVIOUS"] = test_support::kSecretKey;
  out.str("");
  ASSERT_EQ(service::RunResealCommand({}, env_of(env_rotation), out, err), 0) << err.str();
  EXPECT_EQ(json::parse(out.str()), json({{"key_id", new_box.key_id()}, {"models", 1}, {"outbox", 1}}));
  EXPECT_EQ(
      db.Scalar("SELECT string_agg(DISTINCT secrets_key_id, ',') FROM (SELECT secrets_key_id FROM models "
                "UNION ALL SELECT secrets_key_id FROM outbox) k"),
      new_box.key_id());
  EXPECT_EQ(ColumnsHolding(db, {kSecret, kHeaderSecret}), std::vector<std::string>{});
  const std::string sealed_secret = db.Scalar("SELECT webhook_secret FROM models");
  EXPECT_FALSE(old_box.Open(sealed_secret, "webhook.secret"));  // the old key alone no longer opens it
  EXPECT_EQ(new_box.Open(sealed_secret, "webhook.secret"), std::optional<std::string>(kSecret));

  // A server with the new key delivers the pending request, signed as before.
  receiver.SetStatus(200);
  const std::size_t before = receiver.RequestCount();
  TestServerOptions options;
  options.secrets = &new_box;
  TestServer server(db.url(), options);
  ASSERT_TRUE(test_support::WaitUntil([&] { return db.Scalar("SELECT status FROM outbox") == "delivered"; },
                                      std::chrono::seconds(10)));
  const auto last = receiver.Requests().back();
  EXPECT_GT(receiver.RequestCount(), before);
  EXPECT_TRUE(SignedWith(last, kSecret));
  EXPECT_EQ(last.Header("authorization"), kHeaderSecret);
}

TEST(SecretsAtRest, ADeliveryWhoseKeyIsNotConfiguredWaitsAndGoesOutOnceItIs) {
  TestDatabase db;
  HttpReceiver receiver;
  const auto& box = test_support::TestSecretBox();
  db.Scalar("INSERT INTO outbox (id, model_id, url, secret, body, secrets_key_id) VALUES ('msg_k', 1, '" +
            receiver.Url("/hook") + "', '" + box.Seal(kSecret, "webhook.secret") + "', '{}', '" +
            box.key_id() + "') RETURNING 1");
  {
    const auto other = *webhook::SecretBox::Make(kOtherKey, "", nullptr);
    TestServerOptions options;
    options.secrets = &other;
    TestServer server(db.url(), options);
    // Retried with backoff, naming the missing key (never a value); nothing is sent unsigned.
    ASSERT_TRUE(test_support::WaitUntil(
        [&] { return std::stoi(db.Scalar("SELECT attempts FROM outbox")) >= 2; }, std::chrono::seconds(10)));
  }
  EXPECT_EQ(db.Scalar("SELECT status FROM outbox"), "pending");
  const std::string error = db.Scalar("SELECT last_error FROM outbox");
  EXPECT_NE(error.find(box.key_id()), std::string::npos) << error;
  EXPECT_EQ(error.find(kSecret), std::string::npos) << error;
  EXPECT_EQ(receiver.RequestCount(), 0u);
  TestServer server(db.url());  // the key is back
  ASSERT_TRUE(receiver.WaitForRequests(1, std::chrono::seconds(10)));
  EXPECT_TRUE(SignedWith(receiver.Requests().at(0), kSecret));
  ASSERT_TRUE(test_support::WaitUntil([&] { return db.Scalar("SELECT status FROM outbox") == "delivered"; },
                                      std::chrono::seconds(5)));
}

TEST(SecretsAtRest, ServeRefusesToStartWithoutAUsableKey) {
  auto load = [](std::map<std::string, std::string> env) {
    env["DRIFTGATE_DB_URL"] = "postgresql://x/y";
    env["DRIFTGATE_ADMIN_TOKEN"] = "0123456789abcdef0123";
    return service::LoadServeConfig({}, [env](const char* name) -> const char* {
      auto it = env.find(name);
      return it == env.end() ? nullptr : it->second.c_str();
    });
  };
  EXPECT_TRUE(load({{"DRIFTGATE_SECRET_KEY", kOtherKey}}).ok());
  EXPECT_TRUE(
      load({{"DRIFTGATE_SECRET_KEY", std::string(kOtherKey) + "\n"},
            {"DRIFTGATE_SECRET_KEY_PREVIOUS", std::string(test_support::kSecretKey) + ", " + kOtherKey}})
          .ok());
  for (const auto& [name, env] : std::vector<std::pair<std::string, std::map<std::string, std::string>>>{
           {"DRIFTGATE_SECRET_KEY", {}},
           {"DRIFTGATE_SECRET_KEY", {{"DRIFTGATE_SECRET_KEY", "c2hvcnQ="}}},  // 5 bytes
           {"DRIFTGATE_SECRET_KEY", {{"DRIFTGATE_SECRET_KEY", "not base64 at all!"}}},
           {"DRIFTGATE_SECRET_KEY_PREVIOUS",
            {{"DRIFTGATE_SECRET_KEY", kOtherKey}, {"DRIFTGATE_SECRET_KEY_PREVIOUS", "c2hvcnQ="}}}}) {
    const auto bad = load(env);
    ASSERT_FALSE(bad.ok()) << name;
    EXPECT_EQ(bad.error().field, name) << bad.error().message;
    EXPECT_NE(bad.error().message.find("openssl rand -base64 32"), std::string::npos) << bad.error().message;
  }
}

}  // namespace
}  // namespace driftgate

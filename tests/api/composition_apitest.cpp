// The composition root (app/composition.h) as `driftgate serve` builds it: from the configuration the
// real loader produces, it refuses alert routing the allow list or the URL rules refuse (naming the
// variable), serves once started, and stops the listener on Stop (twice is harmless). Every other
// api-tier test runs the same composition through tests/support/test_server.cpp.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <string>

#include "api/server.h"
#include "app/composition.h"
#include "app/config.h"
#include "tests/support/http_client.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"

namespace driftgate {
namespace {

using test_support::HttpClient;
using test_support::TestDatabase;

// The configuration LoadServeConfig makes of `env` (plus the database, the admin token and the key),
// listening on a free port of 127.0.0.1.
service::ServeConfig ConfigOf(const TestDatabase& db, std::map<std::string, std::string> env) {
  env["DRIFTGATE_DB_URL"] = db.url();
  env["DRIFTGATE_ADMIN_TOKEN"] = test_support::kAdminToken;
  env["DRIFTGATE_SECRET_KEY"] = test_support::kSecretKey;
  // Through PgBouncer in transaction mode (tests/scale/pgbouncer.sh) statements must not be prepared.
  if (const char* prepared = std::getenv("DRIFTGATE_DB_PREPARED")) env["DRIFTGATE_DB_PREPARED"] = prepared;
  auto config = service::LoadServeConfig({"--bind", "127.0.0.1", "--port", "0", "--threads", "2"},
                                         [&env](const char* name) -> const char* {
                                           auto it = env.find(name);
                                           return it == env.end() ? nullptr : it->second.c_str();
                                         });
  EXPECT_TRUE(config.ok()) << config.error().message;
  return *config;
}

constexpr const char* kNotify = R"([{"kind": "webhook", "url": "http://127.0.0.1:9/alerts"}])";

TEST(Composition, AlertRoutingTheAllowListRefusesStopsItNamingTheVariable) {
  TestDatabase db;
  // The default policy (no DRIFTGATE_WEBHOOK_ALLOW) refuses loopback targets.
  auto refused = app::Composition::Make(ConfigOf(db, {{"DRIFTGATE_NOTIFY", kNotify}}));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("DRIFTGATE_NOTIFY[0].url"), std::string::npos)
      << refused.error().message;

  auto bad_url = app::Composition::Make(ConfigOf(db, {{"DRIFTGATE_PUBLIC_URL", "ftp://driftgate.example"}}));
  ASSERT_FALSE(bad_url.ok());
  EXPECT_NE(bad_url.error().message.find("DRIFTGATE_PUBLIC_URL"), std::string::npos);

  auto allowed = app::Composition::Make(
      ConfigOf(db, {{"DRIFTGATE_NOTIFY", kNotify}, {"DRIFTGATE_WEBHOOK_ALLOW", "127.0.0.1"}}));
  EXPECT_TRUE(allowed.ok()) << allowed.error().message;
}

TEST(Composition, ServesOnceStartedAndStopsListeningOnStop) {
  TestDatabase db;
  auto app = app::Composition::Make(ConfigOf(db, {}));
  ASSERT_TRUE(app.ok()) << app.error().message;
  (*app)->Start();
  const std::string readyz = "http://127.0.0.1:" + std::to_string((*app)->server().port()) + "/readyz";

  HttpClient before;
  EXPECT_EQ(before.Send("GET", readyz).status, 200);
  const auto models =
      before.Send("GET", "http://127.0.0.1:" + std::to_string((*app)->server().port()) + "/v1/models", "",
                  {std::string("Authorization: Bearer ") + test_support::kAdminToken});
  EXPECT_EQ(models.status, 200) << models.body;  // the services behind the routes are wired

  (*app)->Stop();
  HttpClient after;  // a new connection: the listener is closed
  const auto refused = after.Send("GET", readyz);
  EXPECT_EQ(refused.status, 0) << refused.body;
  (*app)->Stop();  // idempotent; the destructor calls it once more
}

}  // namespace
}  // namespace driftgate

#include "app/secret_reseal.h"

#include <nlohmann/json.hpp>
#include <ostream>
#include <pqxx/pqxx>

#include "app/config.h"
#include "codec/notify_config.h"
#include "db/models_repo.h"
#include "db/outbox_repo.h"
#include "db/pool.h"
#include "db/secrets_repo.h"
#include "service/webhooks/webhook_secrets.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

Error RowError(const char* table, const std::string& id, const Error& e) {
  return Error{e.code, std::string(table) + " row " + id + ": " + e.message, {}};
}

Result<std::string> Reseal(const std::string& value, std::string_view purpose, const webhook::SecretBox& box,
                           bool legacy) {
  if (value.empty()) return value;
  auto plain = OpenSecretValue(value, purpose, box, legacy);
  if (!plain.ok()) return plain.error();
  return box.Seal(*plain, purpose);
}

// models: the sealed PagerDuty routing keys in the config's notify targets (`routing_key_sealed`,
// service/models/notify_secrets.h). They were sealed from the start, so they are never read as plaintext.
Status ResealRoutingKeys(db::SecretsRow& row, const webhook::SecretBox& box) {
  json notify = json::parse(row.notify_json, nullptr, /*allow_exceptions=*/false);
  if (!notify.is_array()) return Ok{};
  for (auto& target : notify) {
    if (!target.is_object() || !target.contains("routing_key_sealed") ||
        !target["routing_key_sealed"].is_string()) {
      continue;
    }
    auto value =
        Reseal(target["routing_key_sealed"].get<std::string>(), codec::kRoutingKeyPurpose, box, false);
    if (!value.ok()) return value.error();
    target["routing_key_sealed"] = std::move(value).value();
    row.notify_changed = true;
  }
  if (row.notify_changed) row.notify_json = notify.dump();
  return Ok{};
}

// models: the signing secret, {"name": value} of the secret headers, and the notify routing keys.
Status ResealModel(db::SecretsRow& row, const webhook::SecretBox& box) {
  auto secret = Reseal(row.secret, kWebhookSecretPurpose, box, row.legacy_plaintext);
  if (!secret.ok()) return secret.error();
  row.secret = std::move(secret).value();
  json headers = json::parse(row.headers_json, nullptr, /*allow_exceptions=*/false);
  if (!headers.is_object()) headers = json::object();
  for (auto it = headers.begin(); it != headers.end(); ++it) {
    if (!it.value().is_string()) continue;
    auto value =
        Reseal(it.value().get<std::string>(), HeaderSecretPurpose(it.key()), box, row.legacy_plaintext);
    if (!value.ok()) return value.error();
    it.value() = std::move(value).value();
  }
  row.headers_json = headers.dump();
  return ResealRoutingKeys(row, box);
}

// outbox: the signing secret and [[name, value | {"sealed": value}], ...]. A legacy row does not say
// which of its header values were secret, so all of them are sealed.
Status ResealOutbox(db::SecretsRow& row, const webhook::SecretBox& box) {
  auto secret = Reseal(row.secret, kWebhookSecretPurpose, box, row.legacy_plaintext);
  if (!secret.ok()) return secret.error();
  row.secret = std::move(secret).value();
  json headers = json::parse(row.headers_json, nullptr, /*allow_exceptions=*/false);
  if (!headers.is_array()) headers = json::array();
  for (auto& pair : headers) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string()) continue;
    const std::string purpose = HeaderSecretPurpose(pair[0].get<std::string>());
    const bool sealed = pair[1].is_object() && pair[1].contains("sealed") && pair[1]["sealed"].is_string();
    if (!sealed && !(row.legacy_plaintext && pair[1].is_string())) continue;  // a plain header stays plain
    auto value = Reseal(sealed ? pair[1]["sealed"].get<std::string>() : pair[1].get<std::string>(), purpose,
                        box, row.legacy_plaintext);
    if (!value.ok()) return value.error();
    pair[1] = json{{"sealed", std::move(value).value()}};
  }
  row.headers_json = headers.dump();
  return Ok{};
}

// One batch of one table; the number of rows re-sealed (0: done).
template <class Lock, class Update, class Transform>
Result<std::int64_t> Batch(db::Pool& pool, const webhook::SecretBox& box, const ResealOptions& options,
                           const char* table, Lock lock, Update update, Transform transform) {
  return db::Transact<std::int64_t>(pool, [&](pqxx::work& tx) -> Result<std::int64_t> {
    auto rows = lock(tx, box.key_id(), options.legacy_only, options.batch);
    for (auto& row : rows) {
      if (auto done = transform(row, box); !done.ok()) return RowError(table, row.id, done.error());
      update(tx, row, box.key_id());
    }
    return static_cast<std::int64_t>(rows.size());
  });
}

}  // namespace

Result<ResealCounts> ResealSecrets(db::Pool& pool, const webhook::SecretBox& box, ResealOptions options) {
  ResealCounts counts;
  while (true) {
    auto n = Batch(pool, box, options, "models", db::LockModelsToReseal, db::UpdateModelSecrets, ResealModel);
    if (!n.ok()) return n.error();
    if (*n == 0) break;
    counts.models += *n;
  }
  while (true) {
    auto n =
        Batch(pool, box, options, "outbox", db::LockOutboxToReseal, db::UpdateOutboxSecrets, ResealOutbox);
    if (!n.ok()) return n.error();
    if (*n == 0) break;
    counts.outbox += *n;
  }
  return counts;
}

int RunResealCommand(const std::vector<std::string>& args, const std::function<const char*(const char*)>& env,
                     std::ostream& out, std::ostream& err) {
  auto var = [&env](const char* name) { return std::string(env(name) ? env(name) : ""); };
  const auto db_url = CommandDatabaseUrl("reseal", args, var("DRIFTGATE_DB_URL"), err);
  if (!db_url) return 2;
  const std::string& url = *db_url;
  std::string why;
  const auto box =
      webhook::SecretBox::Make(var("DRIFTGATE_SECRET_KEY"), var("DRIFTGATE_SECRET_KEY_PREVIOUS"), &why);
  if (!box) {
    err << "driftgate reseal: " << why << "\n";
    return 2;
  }
  db::Pool pool({.url = url, .size = 1});
  auto counts = ResealSecrets(pool, *box);
  if (!counts.ok()) {
    err << "driftgate reseal: " << counts.error().message << "\n";
    return 1;
  }
  out << json{{"key_id", box->key_id()}, {"models", counts->models}, {"outbox", counts->outbox}}.dump()
      << "\n";
  return 0;
}

}  // namespace driftgate::service

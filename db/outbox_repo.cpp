#include "db/outbox_repo.h"

#include "db/exec.h"
#include "db/sql/outbox.h"

namespace driftgate::db {
namespace {
// libpqxx 6.4 takes no std::optional parameters: NULL is a null pointer.
const char* OrNull(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }
}  // namespace

void InsertOutbox(pqxx::transaction_base& tx, std::int64_t model_id, const NewOutbox& row) {
  const std::optional<std::string> due =
      row.due_at_us ? std::optional<std::string>(std::to_string(*row.due_at_us)) : std::nullopt;
  ExecText(tx, sql::kInsertOutbox, row.id, model_id, OrNull(row.retrain_id), row.url, row.secret, row.body,
           OrNull(row.secrets_key_id), OrNull(row.headers_json), OrNull(row.format), OrNull(row.notify_key),
           OrNull(due));
}

void InsertNotification(pqxx::transaction_base& tx, std::int64_t model_id, const NewNotification& n) {
  ExecText(tx, sql::kSupersedeNotifications, n.notify_key);
  InsertOutbox(tx, model_id,
               NewOutbox{.id = n.id,
                         .url = n.url,
                         .secret = n.secret,
                         .secrets_key_id = n.secrets_key_id,
                         .body = n.body,
                         .headers_json = "[]",
                         .format = n.format,
                         .notify_key = n.notify_key});
}

std::optional<OutboxOrigin> FindOutboxOrigin(pqxx::transaction_base& tx, const std::string& outbox_id) {
  const pqxx::result r = ExecText(tx, sql::kOutboxOrigin, outbox_id);
  if (r.empty()) return std::nullopt;
  return OutboxOrigin{.model_id = r[0][0].as<std::int64_t>(), .retrain_webhook = r[0][1].as<bool>()};
}

std::vector<OutboxItem> ClaimOutbox(pqxx::transaction_base& tx, int limit, double lease_seconds) {
  std::vector<OutboxItem> out;
  for (const auto& r : ExecText(tx, sql::kClaimOutbox, limit, lease_seconds)) {
    out.push_back(OutboxItem{.id = r[0].as<std::string>(),
                             .url = r[1].as<std::string>(),
                             .secret = r[2].as<std::string>(),
                             .body = r[3].as<std::string>(),
                             .attempts = r[4].as<int>(),
                             .headers_json = r[5].as<std::string>(),
                             .format = r[6].as<std::string>(),
                             .legacy_plaintext = r[7].as<bool>()});
  }
  return out;
}

void FinishOutbox(pqxx::transaction_base& tx, const std::string& id, const std::string& status,
                  int http_status) {
  ExecText(tx, sql::kOutboxDelivered, id, status, http_status);
}

void RetryOutbox(pqxx::transaction_base& tx, const std::string& id, double delay_seconds, int http_status,
                 const std::string& error) {
  ExecText(tx, sql::kOutboxRetry, id, delay_seconds, http_status, error);
}

void FailOutbox(pqxx::transaction_base& tx, const std::string& id, const std::string& error) {
  ExecText(tx, sql::kOutboxFailed, id, error);
}

std::optional<double> NextOutboxDue(pqxx::transaction_base& tx) {
  const pqxx::row r = ExecText1(tx, sql::kOutboxNextDue);
  if (r[0].is_null()) return std::nullopt;
  return r[0].as<double>();
}

std::int64_t CountPendingOutbox(pqxx::transaction_base& tx) {
  return ExecText1(tx, sql::kOutboxPendingCount)[0].as<std::int64_t>();
}

void UpdateOutboxSecrets(pqxx::transaction_base& tx, const SecretsRow& row, const std::string& key_id) {
  ExecText(tx, sql::kResealOutbox, row.id, row.secret, row.headers_json, key_id);
}

}  // namespace driftgate::db

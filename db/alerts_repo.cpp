#include "db/alerts_repo.h"

#include "db/exec.h"

namespace driftgate::db {
namespace {

// The alert statements stay beside their repository, like sql.h's constants: parameterized, no
// string building.
constexpr const char* kAlertColumns =
    "id::text, condition, action, reason, reason_code, (extract(epoch from opened_at) * 1e6)::bigint, "
    "(extract(epoch from data_at) * 1e6)::bigint, coalesce((extract(epoch from resolved_at) * 1e6)::bigint, "
    "0), "
    "updates";
const std::string kLoadOpen = std::string("SELECT ") + kAlertColumns +
                              " FROM alerts WHERE model_id = $1 AND segment = '' AND status = 'open' "
                              "ORDER BY opened_at";
const std::string kFindOpen = std::string("SELECT ") + kAlertColumns +
                              " FROM alerts WHERE model_id = $1 AND segment = '' AND condition = $2 "
                              "AND status = 'open' FOR UPDATE";
// The writes return whole rows and the columns are computed outside RETURNING: Citus allows only immutable
// functions there, and extract() from a timestamptz is stable.
const std::string kOpen =
    "WITH a AS (INSERT INTO alerts (model_id, condition, status, action, reason, reason_code, data_at) "
    "VALUES ($1, $2, 'open', $3, $4, $5, timestamptz 'epoch' + $6::bigint * interval '1 microsecond') "
    "ON CONFLICT (model_id, segment, condition) WHERE status = 'open' DO NOTHING RETURNING *) SELECT " +
    std::string(kAlertColumns) + " FROM a";
const std::string kUpdate =
    "WITH a AS (UPDATE alerts SET action = $3, reason = $4, reason_code = $5, "
    "data_at = timestamptz 'epoch' + $6::bigint * interval '1 microsecond', updated_at = now(), "
    "updates = updates + 1 WHERE model_id = $1 AND id = $2::uuid RETURNING *) SELECT " +
    std::string(kAlertColumns) + " FROM a";
const std::string kResolve =
    "WITH a AS (UPDATE alerts SET status = 'resolved', resolved_at = now(), updated_at = now() "
    "WHERE model_id = $1 AND id = $2::uuid AND status = 'open' RETURNING *) SELECT " +
    std::string(kAlertColumns) + " FROM a";
constexpr const char* kSupersede =
    "UPDATE outbox SET status = 'superseded', lease_until = NULL, last_error = 'superseded by a newer state' "
    "WHERE notify_key = $1 AND status = 'pending'";
constexpr const char* kInsert =
    "INSERT INTO outbox (id, model_id, url, secret, body, secrets_key_id, format, headers, notify_key) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, '[]'::jsonb, $8)";
constexpr const char* kOrigin =
    "SELECT model_id, retrain_id IS NOT NULL AND notify_key IS NULL FROM outbox WHERE id = $1";

AlertRow FromRow(const pqxx::row& r) {
  return AlertRow{.id = r[0].as<std::string>(),
                  .condition = r[1].as<std::string>(),
                  .action = r[2].as<std::string>(),
                  .reason = r[3].as<std::string>(),
                  .reason_code = r[4].as<std::string>(),
                  .opened_at_us = r[5].as<std::int64_t>(),
                  .data_at_us = r[6].as<std::int64_t>(),
                  .resolved_at_us = r[7].as<std::int64_t>(),
                  .updates = r[8].as<int>()};
}

std::optional<AlertRow> First(const pqxx::result& r) {
  if (r.empty()) return std::nullopt;
  return FromRow(r[0]);
}

}  // namespace

std::vector<AlertRow> LoadOpenAlerts(pqxx::transaction_base& tx, std::int64_t model_id) {
  std::vector<AlertRow> out;
  for (const auto& r : ExecText(tx, kLoadOpen, model_id)) out.push_back(FromRow(r));
  return out;
}

std::optional<AlertRow> OpenAlert(pqxx::transaction_base& tx, std::int64_t model_id,
                                  const std::string& condition, const AlertContent& c) {
  return First(ExecText(tx, kOpen, model_id, condition, c.action, c.reason, c.reason_code, c.data_at_us));
}

AlertRow UpdateAlert(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& id,
                     const AlertContent& c) {
  return FromRow(ExecText1(tx, kUpdate, model_id, id, c.action, c.reason, c.reason_code, c.data_at_us));
}

std::optional<AlertRow> ResolveAlert(pqxx::transaction_base& tx, std::int64_t model_id,
                                     const std::string& id) {
  return First(ExecText(tx, kResolve, model_id, id));
}

std::optional<AlertRow> FindOpenAlert(pqxx::transaction_base& tx, std::int64_t model_id,
                                      const std::string& condition) {
  return First(ExecText(tx, kFindOpen, model_id, condition));
}

void InsertNotification(pqxx::transaction_base& tx, std::int64_t model_id, const NewNotification& n) {
  ExecText(tx, kSupersede, n.notify_key);
  if (n.secrets_key_id) {
    ExecText(tx, kInsert, n.id, model_id, n.url, n.secret, n.body, *n.secrets_key_id, n.format, n.notify_key);
  } else {
    ExecText(tx, kInsert, n.id, model_id, n.url, n.secret, n.body, nullptr, n.format, n.notify_key);
  }
}

std::optional<OutboxOrigin> FindOutboxOrigin(pqxx::transaction_base& tx, const std::string& outbox_id) {
  const pqxx::result r = ExecText(tx, kOrigin, outbox_id);
  if (r.empty()) return std::nullopt;
  return OutboxOrigin{.model_id = r[0][0].as<std::int64_t>(), .retrain_webhook = r[0][1].as<bool>()};
}

}  // namespace driftgate::db

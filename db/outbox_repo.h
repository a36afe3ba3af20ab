// The outbox (migrations/V001__init.sql, V008, V015, V018): every write of it. Retrain webhooks and alert
// notifications are inserted whole, in the transaction of the decision or state change they announce; the
// dispatcher claims, delivers and backs them off; a re-seal rewrites their secrets.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "db/secrets_repo.h"

namespace driftgate::db {

// One delivery, with every column it is stored with.
struct NewOutbox {
  std::string id{};                         // the stable webhook-id
  std::optional<std::string> retrain_id{};  // the retrain a webhook announces; nullopt: an alert
  std::string url{};
  std::string secret{};  // as the model holds it (sealed); empty: unsigned
  // The key `secret` is sealed under; nullopt: a legacy plaintext row (migrations/V015__sealed_secrets.sql).
  std::optional<std::string> secrets_key_id{};
  std::string body{};
  std::optional<std::string> headers_json{};  // extra headers, [[name, value], ...] (V008); nullopt: none
  std::optional<std::string> format{};        // the receiver format; nullopt: standard
  std::optional<std::string> notify_key{};    // '<alert id>/<target index>' of an alert notification (V018)
  std::optional<std::int64_t> due_at_us{};    // first due (wall time); nullopt: now
};
void InsertOutbox(pqxx::transaction_base& tx, std::int64_t model_id, const NewOutbox& row);

struct NewNotification {
  std::string id{};          // the outbox id (stable webhook-id)
  std::string notify_key{};  // '<alert id>/<target index>': a newer one supersedes pending older ones
  std::string url{};
  std::string secret{};  // sealed; empty: unsigned
  std::optional<std::string> secrets_key_id{};
  std::string body{};
  std::string format{};  // alertmanager | slack | pagerduty | standard
};
// Supersedes the pending rows of the same notify_key, then inserts this one.
void InsertNotification(pqxx::transaction_base& tx, std::int64_t model_id, const NewNotification& n);

// The model of an outbox row and whether it is a retrain webhook (not an alert notification).
struct OutboxOrigin {
  std::int64_t model_id = 0;
  bool retrain_webhook = false;
};
std::optional<OutboxOrigin> FindOutboxOrigin(pqxx::transaction_base& tx, const std::string& outbox_id);

struct OutboxItem {
  std::string id{};  // the stable webhook-id
  std::string url{};
  std::string secret{};  // sealed (service/webhooks/webhook_secrets.h); empty: unsigned
  std::string body{};
  int attempts = 0;                 // including this one
  std::string headers_json = "[]";  // extra headers, [[name, value], ...] (V008); never logged
  std::string format = "standard";
  // A row written before secrets were sealed and not re-sealed yet: `secret` is plaintext (V015).
  bool legacy_plaintext = false;
};

// Claims up to `limit` due deliveries for `lease_seconds` (FOR UPDATE SKIP LOCKED: replicas never
// claim the same row at once; an expired lease makes a crashed replica's claim due again).
std::vector<OutboxItem> ClaimOutbox(pqxx::transaction_base& tx, int limit, double lease_seconds);
// Final states: 'delivered' (2xx) or 'gone' (410).
void FinishOutbox(pqxx::transaction_base& tx, const std::string& id, const std::string& status,
                  int http_status);
void RetryOutbox(pqxx::transaction_base& tx, const std::string& id, double delay_seconds, int http_status,
                 const std::string& error);
// Final state 'failed': the delivery is refused by policy (the webhook allow-list) and never retried.
void FailOutbox(pqxx::transaction_base& tx, const std::string& id, const std::string& error);
// Seconds until the next pending delivery is due (negative: overdue); nullopt when none is pending.
std::optional<double> NextOutboxDue(pqxx::transaction_base& tx);
// Deliveries not yet delivered or gone (every replica's): the backlog gauge of GET /metrics.
std::int64_t CountPendingOutbox(pqxx::transaction_base& tx);

// Writes a delivery's re-sealed secret and headers and the key id they are sealed under (db/secrets_repo.h).
void UpdateOutboxSecrets(pqxx::transaction_base& tx, const SecretsRow& row, const std::string& key_id);

}  // namespace driftgate::db

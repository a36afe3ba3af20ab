// Retrain runs (the pipeline's status callback) and the webhook outbox the dispatcher drains.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/domain/history.h"

namespace driftgate::db {

std::optional<domain::RetrainRow> FindRetrain(pqxx::transaction_base& tx, std::int64_t model_id,
                                              const std::string& retrain_id);
void UpdateRetrainStatus(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& retrain_id,
                         const std::string& status, const std::optional<std::string>& model_version);

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

// The extra headers and receiver format of a delivery just inserted (V008).
void SetOutboxDelivery(pqxx::transaction_base& tx, const std::string& id, const std::string& headers_json,
                       const std::string& format);
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

}  // namespace driftgate::db

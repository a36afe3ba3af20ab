// The rows whose secrets a re-seal visits (migrations/V015__sealed_secrets.sql): models and outbox
// deliveries not sealed under the current key. The service opens and seals; this layer only moves text.
#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace driftgate::db {

struct SecretsRow {
  std::string id{};               // models.id as text, or the outbox row's webhook-id
  std::string secret{};           // empty when none
  std::string headers_json{};     // models: {"name": value}; outbox: [[name, value | {"sealed": value}], ...]
  bool legacy_plaintext = false;  // secrets_key_id IS NULL: the values are plaintext
  std::string notify_json{};      // models: config.notify ([] when none), whose routing keys are sealed
  bool notify_changed = false;    // models: write notify_json back into the config
};

// Up to `limit` rows not sealed under `current_key_id` (only legacy plaintext rows when `legacy_only`),
// locked FOR UPDATE until the transaction ends.
std::vector<SecretsRow> LockModelsToReseal(pqxx::transaction_base& tx, const std::string& current_key_id,
                                           bool legacy_only, int limit);
std::vector<SecretsRow> LockOutboxToReseal(pqxx::transaction_base& tx, const std::string& current_key_id,
                                           bool legacy_only, int limit);
void UpdateOutboxSecrets(pqxx::transaction_base& tx, const SecretsRow& row, const std::string& key_id);

}  // namespace driftgate::db

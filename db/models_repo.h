// The models table. Config is stored as normalized JSON text (written by the service's codec); the
// webhook secret sits in its own column, sealed (V015), and never leaves through a read of the config.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "db/secrets_repo.h"

namespace driftgate::db {

struct StoredModel {
  std::int64_t id = 0;
  std::string name{};
  std::string config_json{};
  std::string webhook_secret{};
  int generation = 1;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  std::string header_secrets_json = "{}";  // secret extra-header values (V008), never returned
};

// nullopt when the name is taken.
std::optional<StoredModel> InsertModel(pqxx::transaction_base& tx, const std::string& name,
                                       const std::string& task, const std::string& config_json,
                                       const std::string& secret);
std::optional<StoredModel> FindModel(pqxx::transaction_base& tx, const std::string& name);
std::optional<StoredModel> FindModelById(pqxx::transaction_base& tx, std::int64_t id);
std::vector<StoredModel> ListModels(pqxx::transaction_base& tx);
// nullopt when there is no such model.
std::optional<StoredModel> UpdateModel(pqxx::transaction_base& tx, const std::string& name,
                                       const std::string& task, const std::string& config_json,
                                       const std::string& secret);
// Deletes the model's row and returns its id; nullopt when there is no such model. The rows stored for
// it in other tables are removed by db::RemoveModel (db/model_removal.h).
std::optional<std::int64_t> DeleteModelRow(pqxx::transaction_base& tx, const std::string& name);
int BumpGeneration(pqxx::transaction_base& tx, std::int64_t model_id);
// Stores the sealed secret extra-header values of the model's webhook, `{"Authorization": "dgs1...."}`,
// and the id of the key its secrets are sealed under.
void SetHeaderSecrets(pqxx::transaction_base& tx, std::int64_t model_id,
                      const std::string& header_secrets_json, const std::string& secrets_key_id);

// Writes a model's re-sealed secrets and the key id they are sealed under (db/secrets_repo.h).
void UpdateModelSecrets(pqxx::transaction_base& tx, const SecretsRow& row, const std::string& key_id);

}  // namespace driftgate::db

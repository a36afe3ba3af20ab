#include "db/models_repo.h"

#include "db/exec.h"
#include "db/sql/models.h"

namespace driftgate::db {
namespace {

StoredModel FromRow(const pqxx::row& r) {
  StoredModel m;
  m.id = r[0].as<std::int64_t>();
  m.name = r[1].as<std::string>();
  m.config_json = r[2].as<std::string>();
  m.webhook_secret = r[3].is_null() ? "" : r[3].as<std::string>();
  m.generation = r[4].as<int>();
  m.created_at_us = r[5].as<std::int64_t>();
  m.updated_at_us = r[6].as<std::int64_t>();
  m.header_secrets_json = r[7].as<std::string>();
  return m;
}

}  // namespace

std::optional<StoredModel> InsertModel(pqxx::transaction_base& tx, const std::string& name,
                                       const std::string& task, const std::string& config_json,
                                       const std::string& secret) {
  const pqxx::result r = ExecText(tx, sql::kInsertModel, name, task, config_json, secret);
  if (r.empty()) return std::nullopt;
  return StoredModel{.id = r[0][0].as<std::int64_t>(),
                     .name = name,
                     .config_json = config_json,
                     .webhook_secret = secret,
                     .generation = r[0][1].as<int>(),
                     .created_at_us = r[0][2].as<std::int64_t>(),
                     .updated_at_us = r[0][3].as<std::int64_t>()};
}

std::optional<StoredModel> FindModel(pqxx::transaction_base& tx, const std::string& name) {
  const pqxx::result r = ExecText(tx, sql::kFindModelByName, name);
  if (r.empty()) return std::nullopt;
  return FromRow(r[0]);
}

std::optional<StoredModel> FindModelById(pqxx::transaction_base& tx, std::int64_t id) {
  const pqxx::result r = ExecText(tx, sql::kFindModelById, id);
  if (r.empty()) return std::nullopt;
  return FromRow(r[0]);
}

std::vector<StoredModel> ListModels(pqxx::transaction_base& tx) {
  std::vector<StoredModel> out;
  for (const auto& r : ExecText(tx, sql::kListModels)) out.push_back(FromRow(r));
  return out;
}

std::optional<StoredModel> UpdateModel(pqxx::transaction_base& tx, const std::string& name,
                                       const std::string& task, const std::string& config_json,
                                       const std::string& secret) {
  const pqxx::result r = ExecText(tx, sql::kUpdateModel, name, task, config_json, secret);
  if (r.empty()) return std::nullopt;
  return StoredModel{.id = r[0][0].as<std::int64_t>(),
                     .name = name,
                     .config_json = config_json,
                     .webhook_secret = secret,
                     .generation = r[0][1].as<int>(),
                     .created_at_us = r[0][2].as<std::int64_t>(),
                     .updated_at_us = r[0][3].as<std::int64_t>()};
}

std::optional<std::int64_t> DeleteModelRow(pqxx::transaction_base& tx, const std::string& name) {
  const pqxx::result r = ExecText(tx, sql::kDeleteModel, name);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::int64_t>();
}

int BumpGeneration(pqxx::transaction_base& tx, std::int64_t model_id) {
  return ExecText1(tx, sql::kBumpGeneration, model_id)[0].as<int>();
}

void SetHeaderSecrets(pqxx::transaction_base& tx, std::int64_t model_id,
                      const std::string& header_secrets_json, const std::string& secrets_key_id) {
  ExecText(tx, sql::kSetModelHeaderSecrets, model_id, header_secrets_json, secrets_key_id);
}

void UpdateModelSecrets(pqxx::transaction_base& tx, const SecretsRow& row, const std::string& key_id) {
  const char* notify = row.notify_changed ? row.notify_json.c_str() : nullptr;
  ExecText(tx, sql::kResealModel, std::stoll(row.id), row.secret, row.headers_json, key_id, notify);
}

}  // namespace driftgate::db

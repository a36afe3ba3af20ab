#include "db/retrains_repo.h"

#include "db/exec.h"
#include "db/history_repo.h"
#include "db/sql/retrains.h"

namespace driftgate::db {

std::optional<domain::RetrainRow> FindRetrain(pqxx::transaction_base& tx, std::int64_t model_id,
                                              const std::string& retrain_id) {
  const pqxx::result r = ExecText(tx, sql::kLockRetrain, model_id, retrain_id);
  if (r.empty()) return std::nullopt;
  return RetrainFromRow(r[0]);
}

void UpdateRetrainStatus(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& retrain_id,
                         const std::string& status, const std::optional<std::string>& model_version) {
  if (model_version) {
    ExecText(tx, sql::kUpdateRetrainStatus, model_id, retrain_id, status, *model_version);
  } else {
    ExecText(tx, sql::kUpdateRetrainStatus, model_id, retrain_id, status, nullptr);
  }
}

NewRetrain InsertRetrain(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& reason,
                         const std::string& kpis_json, std::int64_t requested_at_us,
                         const std::optional<std::string>& deferral_json) {
  const char* deferral = deferral_json ? deferral_json->c_str() : nullptr;
  const pqxx::row r =
      ExecText1(tx, sql::kInsertRetrain, model_id, reason, kpis_json, requested_at_us, deferral);
  return NewRetrain{.id = r[0].as<std::string>(), .decision_id = r[1].as<std::string>()};
}

void SetRetrainGeneration(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& retrain_id,
                          int generation) {
  ExecText(tx, sql::kSetRetrainGeneration, model_id, retrain_id, generation);
}

std::optional<UnjudgedRetrain> FindUnjudgedRetrain(pqxx::transaction_base& tx, std::int64_t model_id,
                                                   int generation) {
  const pqxx::result r = ExecText(tx, sql::kFindUnjudgedRetrain, model_id, generation);
  if (r.empty()) return std::nullopt;
  return UnjudgedRetrain{.id = r[0][0].as<std::string>(), .kpis_json = r[0][1].as<std::string>()};
}

void SetRetrainOutcome(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& retrain_id,
                       const std::string& outcome, std::int64_t at_us, const std::string& kpis_json) {
  ExecText(tx, sql::kSetRetrainOutcome, model_id, retrain_id, outcome, at_us, kpis_json);
}

void DeleteModelRetrains(pqxx::transaction_base& tx, std::int64_t model_id) {
  ExecText(tx, sql::kDeleteModelRetrains, model_id);
}

}  // namespace driftgate::db

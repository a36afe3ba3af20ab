#include "db/ledger_repo.h"

#include "db/citus.h"
#include "db/exec.h"
#include "db/sql/records.h"

namespace driftgate::db {

std::optional<DataSpan> ModelDataSpan(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::row r = ExecText1(tx, sql::kModelDataSpan, model_id);
  if (r[0].is_null() || r[1].is_null()) return std::nullopt;
  return DataSpan{.first_us = r[0].as<std::int64_t>(), .last_us = r[1].as<std::int64_t>()};
}

evaluate::LedgerCounts CountLedger(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t from_us,
                                   std::int64_t to_us) {
  const pqxx::row r = ExecText1(tx, sql::kLedgerCounts, model_id, from_us, to_us);
  return evaluate::LedgerCounts{.requested = r[0].as<std::int64_t>(),
                                .suppressed = r[2].as<std::int64_t>(),
                                .did_not_help = r[1].as<std::int64_t>()};
}

std::int64_t TableWriteCount(pqxx::transaction_base& tx) {
  return ExecText1(tx, HasCitus(tx) ? sql::kClusterWriteCount : sql::kTableWriteCount)[0].as<std::int64_t>();
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

}  // namespace driftgate::db

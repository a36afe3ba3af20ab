#include "db/ledger_repo.h"

#include "db/citus.h"
#include "db/exec.h"
#include "db/sql/ledger.h"
#include "db/sql/retrains.h"

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

}  // namespace driftgate::db

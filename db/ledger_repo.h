// Reads of the sustainability ledger and the closed-loop check's writes on retrain runs (V005).
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "core/evaluate/ledger.h"

namespace driftgate::db {

struct DataSpan {
  std::int64_t first_us = 0;
  std::int64_t last_us = 0;
};
// First and last data time among the model's predictions and labels (ts) and evaluations (at, kept past
// retention); nullopt when it has none.
std::optional<DataSpan> ModelDataSpan(pqxx::transaction_base& tx, std::int64_t model_id);

// Retrains requested, retrains judged did_not_help (both by requested_at) and suppressed decisions (by
// their data time) in [from_us, to_us).
evaluate::LedgerCounts CountLedger(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t from_us,
                                   std::int64_t to_us);

// The rows inserted, updated and deleted in this database's tables so far, from PostgreSQL's cumulative
// statistics (pg_stat_user_tables): it changes after any write, with the statistics' delay (a backend
// reports its counts at the latest some seconds after its transaction), so equal values mean nothing
// was written in between, up to that delay.
std::int64_t TableWriteCount(pqxx::transaction_base& tx);

}  // namespace driftgate::db

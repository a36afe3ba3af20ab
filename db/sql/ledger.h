// The sustainability ledger's reads over several tables and the server's write statistics.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

// The sustainability ledger: first and last data time of a model's records — its raw predictions and
// labels, and its evaluations' data times (metrics are kept when retention drops raw days) — and the
// counts of a period [$2, $3) of data time.
inline constexpr const char* kTableWriteCount =
    "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint FROM pg_stat_user_tables";
// On Citus the rows are written to shards, on the workers, which a coordinator's statistics do not show
// (its distributed tables are empty shells): the same sum on every node. Citus's own connections see the
// shards, which it hides from other sessions' catalog queries.
inline constexpr const char* kClusterWriteCount =
    "SELECT coalesce(sum(result::bigint), 0)::bigint FROM run_command_on_all_nodes('SELECT "
    "coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0)::bigint FROM pg_stat_user_tables')";
inline constexpr const char* kModelDataSpan =
    "SELECT " DRIFTGATE_SQL_TO_US("min(t)") ", " DRIFTGATE_SQL_TO_US("max(t)")
    " FROM (SELECT min(ts_min) AS t FROM prediction_blocks WHERE model_id = $1 UNION ALL SELECT "
    "max(ts_max) FROM prediction_blocks WHERE model_id = $1 UNION ALL SELECT min(ts) FROM labels "
    "WHERE model_id = $1 UNION ALL SELECT max(ts) FROM labels WHERE model_id = $1 UNION ALL SELECT "
    "min(at) FROM metrics WHERE model_id = $1 UNION ALL SELECT max(at) FROM metrics WHERE model_id "
    "= $1) s";

}  // namespace driftgate::db::sql

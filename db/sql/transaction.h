// Statements about the transaction itself: savepoints, snapshot, settings, its wall time.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

// The savepoint around a fast claim (records_repo.cpp, ClaimAllByCopy).
inline constexpr const char* kSavepointClaim = "SAVEPOINT claim";
inline constexpr const char* kRollbackClaim = "ROLLBACK TO SAVEPOINT claim";
inline constexpr const char* kReleaseClaim = "RELEASE SAVEPOINT claim";
// The transaction's wall time, now(): what outbox.next_attempt_at and the dispatcher's claim compare with,
// and the data time of labels sent without one.
inline constexpr const char* kNowMicros = "SELECT " DRIFTGATE_SQL_TO_US("now()");
// kRecentBlocks must walk the (model_id, seq) index of each day partition backwards. A
// partition not yet analyzed looks nearly empty to the planner, which then prefers to read all of the
// model's rows in it and sort them — O(rows of the day) per drift check. Sorting is disabled around it.
inline constexpr const char* kSortOff = "SET LOCAL enable_sort = off";
inline constexpr const char* kSortOn = "SET LOCAL enable_sort = on";
inline constexpr const char* kReadOnlySnapshot = "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY";
// A DROP of a partition waits for ingest to let go of the parent; it gives up rather than stall ingest.
inline constexpr const char* kLockTimeout = "SET LOCAL lock_timeout = '5s'";

}  // namespace driftgate::db::sql

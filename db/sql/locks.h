// Transaction-scoped advisory locks. The two-key form keeps them apart from the migrator's single-key lock;
// the first key names what is locked: 1 a model's evaluation, 2 its drift check, 3 the retention pass, 4 its
// feature dictionary, 5 its prediction inserts.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

namespace driftgate::db::sql {

inline constexpr const char* kLockModel = "SELECT pg_advisory_xact_lock(1, $1::int)";
inline constexpr const char* kLockModelShared = "SELECT pg_advisory_xact_lock_shared(1, $1::int)";
// Serializes a model's prediction batches from their id check to commit (migrations/V012; key 4 is the
// feature dictionary's).
inline constexpr const char* kLockPredictionInsert = "SELECT pg_advisory_xact_lock(5, $1::int)";
inline constexpr const char* kTryLockDrift = "SELECT pg_try_advisory_xact_lock(2, $1::int)";
inline constexpr const char* kTryLockRetention = "SELECT pg_try_advisory_xact_lock(3, 1)";
// Input quality per prediction (V011): the model's feature dictionary, written under advisory lock
// (4, model_id) so that concurrent batches hand out each position once.
inline constexpr const char* kLockFeatureDictionary = "SELECT pg_advisory_xact_lock(4, $1::int)";

}  // namespace driftgate::db::sql

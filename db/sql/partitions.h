// The partitions of the records tables (migrations/V004__partitions.sql) and the catalog facts retention
// needs.
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

namespace driftgate::db::sql {

// Partitions and retention (migrations/V004__partitions.sql)
inline constexpr const char* kEnsurePartitions =
    "SELECT driftgate_ensure_partitions((now() AT TIME ZONE 'UTC')::date + $1::int, (now() AT TIME "
    "ZONE 'UTC')::date + $2::int)";
// For one day given as YYYYMMDD (restoring an archive).
inline constexpr const char* kEnsurePartitionsFor =
    "SELECT driftgate_ensure_partitions(to_date($1, 'YYYYMMDD'), to_date($1, 'YYYYMMDD'))";
// A model without retention.raw_days keeps the default; no model: the default.
inline constexpr const char* kLongestRetention =
    "SELECT coalesce(max(coalesce((config->'retention'->>'raw_days')::int, $1::int)), $1::int) "
    "FROM models";
// Raw days that ended at least $1 days ago, then key months that did; oldest first.
inline constexpr const char* kExpiredPartitions =
    "SELECT parent.relname, child.relname FROM pg_inherits i JOIN pg_class child ON child.oid = "
    "i.inhrelid JOIN pg_class parent ON parent.oid = i.inhparent WHERE (parent.relname IN "
    "('prediction_blocks', 'labels') AND child.relname ~ '_p[0-9]{8}$' AND "
    "(to_date(right(child.relname, 8), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' <= now() - "
    "make_interval(days => $1::int)) OR (parent.relname IN ('record_keys', 'prediction_keys') AND "
    "child.relname ~ '_p[0-9]{6}$' AND (to_date(right(child.relname, 6), 'YYYYMM') + interval '1 "
    "month')::timestamp AT TIME ZONE 'UTC' <= now() - make_interval(days => $1::int)) ORDER BY "
    "parent.relname IN ('record_keys', 'prediction_keys'), right(child.relname, 8), child.relname";
inline constexpr const char* kColumnsOf =
    "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT "
    "attisdropped ORDER BY attnum";
inline constexpr const char* kPartitionExists = "SELECT to_regclass($1) IS NOT NULL";

}  // namespace driftgate::db::sql

// The day partitions of prediction_blocks/labels and the month partitions of record_keys/prediction_keys
// (migrations/V004__partitions.sql): creating them ahead, finding the ones every model's retention has
// passed, copying one out (for the archive) or rows back in (restore), and dropping one. Partition names
// come from the catalog and are matched against the naming pattern before being used in any statement.
#pragma once

#include <cstdint>
#include <functional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace driftgate::db {

// Creates the missing partitions for the UTC days [today + from_day, today + to_day] (and their months);
// returns how many were created.
int EnsurePartitions(pqxx::transaction_base& tx, int from_day, int to_day);
// Creates the partitions of one UTC day given as YYYYMMDD (restoring an archive) and of its month.
void EnsurePartitionsForDay(pqxx::transaction_base& tx, const std::string& yyyymmdd);

// The longest raw retention over all models, in days: a model's retention.raw_days, else `default_days`.
int LongestRetentionDays(pqxx::transaction_base& tx, int default_days);

struct Partition {
  std::string parent{};  // prediction_blocks, labels, record_keys or prediction_keys
  std::string name{};    // prediction_blocks_p20261123, record_keys_p202611
};

// Raw day partitions whose whole day ended more than `days` days ago, oldest first; then key months
// that ended more than `days` days ago (all of their raw days are gone by then).
std::vector<Partition> ExpiredPartitions(pqxx::transaction_base& tx, int days);

// The parent's column names in table order.
std::vector<std::string> ColumnsOf(pqxx::transaction_base& tx, const std::string& table);

// COPY `table` (columns) TO STDOUT, calling `line` with each text-format row (no newline). Returns rows.
std::int64_t CopyOut(pqxx::transaction_base& tx, const std::string& table,
                     const std::vector<std::string>& columns,
                     const std::function<void(const std::string&)>& line);

// COPY `table` (columns) FROM STDIN; `next` fills a text-format row (no newline) and returns false at the
// end. Returns rows.
std::int64_t CopyIn(pqxx::transaction_base& tx, const std::string& table,
                    const std::vector<std::string>& columns, const std::function<bool(std::string&)>& next);

void DropPartition(pqxx::transaction_base& tx, const Partition& p);
// The retention pass's transaction-scoped lock; false when another replica holds it.
bool TryLockRetention(pqxx::transaction_base& tx);
bool PartitionExists(pqxx::transaction_base& tx, const std::string& name);

// True when `name` is a partition name driftgate creates (prediction_blocks_pYYYYMMDD, labels_pYYYYMMDD,
// record_keys_pYYYYMM); the day ("YYYYMMDD") is returned through `day` for raw partitions.
bool IsPartitionName(const std::string& name, std::string* parent = nullptr, std::string* day = nullptr);

}  // namespace driftgate::db

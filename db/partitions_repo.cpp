#include "db/partitions_repo.h"

#include <pqxx/tablereader>
#include <pqxx/tablewriter>
#include <regex>
#include <stdexcept>

#include "db/exec.h"
#include "db/sql/locks.h"
#include "db/sql/partitions.h"
#include "db/sql/transaction.h"

namespace driftgate::db {
bool IsPartitionName(const std::string& name, std::string* parent, std::string* day) {
  static const std::regex kRaw("^(prediction_blocks|labels)_p([0-9]{8})$");
  static const std::regex kKeys("^(record_keys|prediction_keys)_p([0-9]{6})$");
  std::smatch m;
  if (std::regex_match(name, m, kRaw) || std::regex_match(name, m, kKeys)) {
    if (parent) *parent = m[1];
    if (day) *day = m[2];
    return true;
  }
  return false;
}

int EnsurePartitions(pqxx::transaction_base& tx, int from_day, int to_day) {
  return ExecText1(tx, sql::kEnsurePartitions, from_day, to_day)[0].as<int>();
}

void EnsurePartitionsForDay(pqxx::transaction_base& tx, const std::string& yyyymmdd) {
  ExecText(tx, sql::kEnsurePartitionsFor, yyyymmdd);
}

bool TryLockRetention(pqxx::transaction_base& tx) {
  return ExecText1(tx, sql::kTryLockRetention)[0].as<bool>();
}

bool PartitionExists(pqxx::transaction_base& tx, const std::string& name) {
  return ExecText1(tx, sql::kPartitionExists, name)[0].as<bool>();
}

int LongestRetentionDays(pqxx::transaction_base& tx, int default_days) {
  return ExecText1(tx, sql::kLongestRetention, default_days)[0].as<int>();
}

std::vector<Partition> ExpiredPartitions(pqxx::transaction_base& tx, int days) {
  std::vector<Partition> out;
  for (const auto& r : ExecText(tx, sql::kExpiredPartitions, days)) {
    Partition p{.parent = r[0].as<std::string>(), .name = r[1].as<std::string>()};
    std::string parent;
    if (IsPartitionName(p.name, &parent) && parent == p.parent) out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::string> ColumnsOf(pqxx::transaction_base& tx, const std::string& table) {
  std::vector<std::string> out;
  for (const auto& r : ExecText(tx, sql::kColumnsOf, table)) out.push_back(r[0].as<std::string>());
  if (out.empty()) throw std::runtime_error("table " + table + " has no columns (does it exist?)");
  return out;
}

// libpqxx 6.4's COPY streams with raw lines are tablereader/tablewriter (deprecated in 6.x for
// stream_from/stream_to, which keep the raw-line calls private there).
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
std::int64_t CopyOut(pqxx::transaction_base& tx, const std::string& table,
                     const std::vector<std::string>& columns,
                     const std::function<void(const std::string&)>& line) {
  pqxx::tablereader reader(tx, table, columns.begin(), columns.end());  // names: catalog, checked
  std::string row;
  std::int64_t n = 0;
  while (reader.get_raw_line(row)) {
    if (!row.empty() && row.back() == '\n') row.pop_back();  // get_raw_line keeps the row's newline
    line(row);
    ++n;
  }
  reader.complete();
  return n;
}

std::int64_t CopyIn(pqxx::transaction_base& tx, const std::string& table,
                    const std::vector<std::string>& columns, const std::function<bool(std::string&)>& next) {
  pqxx::tablewriter writer(tx, table, columns.begin(), columns.end());
  std::string row;
  std::int64_t n = 0;
  while (next(row)) {
    writer.write_raw_line(row);
    ++n;
  }
  writer.complete();
  return n;
}
#pragma GCC diagnostic pop

void DropPartition(pqxx::transaction_base& tx, const Partition& p) {
  if (!IsPartitionName(p.name)) throw std::invalid_argument("not a driftgate partition: " + p.name);
  ExecText(tx, sql::kLockTimeout);
  ExecText(tx, "DROP TABLE " + tx.quote_name(p.name));
}

}  // namespace driftgate::db

#include "service/lifecycle/retention.h"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "db/partitions_repo.h"
#include "db/pool.h"
#include "service/lifecycle/archive.h"

namespace driftgate::service {

Retention::~Retention() { Stop(); }

Result<int> Retention::EnsureAhead() {
  return db::Transact<int>(pool_, [&](pqxx::work& tx) -> Result<int> {
    return db::EnsurePartitions(tx, -1, options_.days_ahead);
  });
}

Result<RetentionReport> Retention::RunOnce() {
  RetentionReport report;
  auto created = EnsureAhead();
  if (!created.ok()) return created.error();
  report.created = *created;
  auto expired = db::Transact<std::vector<db::Partition>>(
      pool_, [&](pqxx::work& tx) -> Result<std::vector<db::Partition>> {
        report.retention_days = db::LongestRetentionDays(tx, options_.default_raw_days);
        return db::ExpiredPartitions(tx, report.retention_days);
      });
  if (!expired.ok()) return expired.error();
  for (const auto& p : *expired) {
    std::int64_t rows = -1;
    std::string file;
    auto done = db::Transact<bool>(pool_, [&](pqxx::work& tx) -> Result<bool> {
      // One replica per partition; the other one finds it gone on its next pass.
      if (!db::TryLockRetention(tx)) return false;
      if (!db::PartitionExists(tx, p.name)) return false;
      if (!options_.archive_dir.empty() && p.parent != "record_keys" && p.parent != "prediction_keys") {
        auto archived = ArchivePartition(tx, p, options_.archive_dir);
        if (!archived.ok()) return archived.error();
        rows = *archived;
        file = options_.archive_dir + "/" + p.name + ".copy.zst";
      }
      db::DropPartition(tx, p);
      return true;
    });
    if (!done.ok()) {
      spdlog::warn("retention: {} kept for now: {}", p.name, done.error().message);
      continue;
    }
    if (!*done) continue;
    report.dropped.push_back(p.name);
    if (rows >= 0) {
      report.archived.push_back(file);
      report.archived_rows += rows;
      spdlog::info("retention: dropped {} (older than {} days) after archiving {} rows to {}", p.name,
                   report.retention_days, rows, file);
    } else {
      spdlog::info("retention: dropped {} (older than {} days)", p.name, report.retention_days);
    }
  }
  return report;
}

void Retention::Start() {
  worker_.Start([this] {
    try {
      if (auto r = RunOnce(); !r.ok()) spdlog::warn("retention pass failed: {}", r.error().message);
    } catch (const std::exception& e) {
      spdlog::error("retention pass error: {}", e.what());
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(options_.interval);
  });
}

void Retention::Stop() { worker_.Stop(); }

}  // namespace driftgate::service

// The data-lifecycle job: creates the day partitions ahead of time, and drops
// whole raw day partitions once every model's retention has passed (migrations/V004__partitions.sql) —
// never row deletes. Before dropping, a day can be archived (service/lifecycle/archive.h). Decisions,
// metrics, drift events, retrains and reference samples live in other tables and are kept, so history keeps
// answering.
//
// Runs in every replica: a pass takes a transaction-level advisory lock per partition, so two replicas
// never archive or drop the same day twice. Times are the database's clock.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/error.h"
#include "db/pool.h"
#include "service/lifecycle/periodic_worker.h"

namespace driftgate::service {

struct RetentionOptions {
  int default_raw_days = 30;            // DRIFTGATE_RETENTION_DAYS: models without retention.raw_days
  std::string archive_dir{};            // DRIFTGATE_ARCHIVE_DIR: archive before dropping (empty: don't)
  std::chrono::seconds interval{3600};  // DRIFTGATE_RETENTION_INTERVAL_SECONDS: between passes
  int days_ahead = 7;                   // partitions kept ready ahead of today
};

struct RetentionReport {
  int created = 0;                      // partitions created ahead
  int retention_days = 0;               // the longest retention over all models, used for this pass
  std::vector<std::string> dropped{};   // partition names, oldest first
  std::vector<std::string> archived{};  // archive files written
  std::int64_t archived_rows = 0;
};

class Retention {
 public:
  Retention(db::Pool& pool, RetentionOptions options) : pool_(pool), options_(std::move(options)) {}
  ~Retention();
  Retention(const Retention&) = delete;
  Retention& operator=(const Retention&) = delete;

  // Creates the partitions from yesterday to days_ahead (idempotent).
  Result<int> EnsureAhead();
  // One pass: EnsureAhead, then archive (when configured) and drop every expired partition.
  Result<RetentionReport> RunOnce();

  // A pass now and then every interval, on a background thread.
  void Start();
  void Stop();

 private:
  db::Pool& pool_;
  RetentionOptions options_;
  BackgroundWorker worker_{"retention"};
};

}  // namespace driftgate::service

// The current window of a drift check — a model's last `drift.window` predictions — kept parsed in memory
// between checks, so a check reads and parses only the predictions stored since the previous one instead
// of the whole window (by default 5,000 rows every 1,000 predictions: each row was read and its features
// JSON parsed five times; bench/README.md has the cost).
//
// Exact, not an approximation: a model's prediction batches are inserted one at a time under its
// drift-row lock (IngestService), and predictions_seq hands out values in call order (CACHE 1,
// migrations/V004__partitions.sql), so a row committed later always has a larger seq: "seq > the newest
// cached" is precisely what was stored since. A different baseline (a retrain) or window size rebuilds.
// Rows whose day partition retention has dropped may stay in a cached window until newer rows push them
// out — they were the model's latest predictions, which is what the window means.
//
// Bounded by a total number of rows over all cached models (least recently checked evicted first); a model
// whose window alone exceeds it is read in full every time, as before.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "core/domain/records.h"
#include "db/drift_repo.h"
#include "service/drift/window_columns.h"

namespace driftgate::service {

WindowRow ParseWindowRow(const db::DriftRow& row);

class DriftWindows {
 public:
  explicit DriftWindows(std::size_t max_rows = 50000) : max_rows_(max_rows) {}
  DriftWindows(const DriftWindows&) = delete;
  DriftWindows& operator=(const DriftWindows&) = delete;

  // Calls `use` with the model's last `window` predictions after `baseline_seq`, newest first, reading
  // from `tx` only those not cached yet.
  void With(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t baseline_seq, std::size_t window,
            const std::function<void(const std::deque<WindowRow>&)>& use);
  // The same, with the window's columns kept up to date as rows entered and left it
  // (service/drift/window_columns.h): what a check reads instead of the rows.
  using ColumnsUse = std::function<void(const std::deque<WindowRow>&, const WindowColumns&)>;
  void WithColumns(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t baseline_seq,
                   std::size_t window, const ColumnsUse& use);

  std::size_t rows_read() const;  // rows read from the database so far (for tests and the bench)

 private:
  struct Entry {
    std::int64_t baseline_seq = 0;
    std::size_t window = 0;
    std::deque<WindowRow> rows{};              // newest first
    std::unique_ptr<WindowColumns> columns{};  // of `rows`
  };
  void Evict();

  std::size_t max_rows_;
  mutable std::mutex mu_;  // one check at a time uses the cache (checks are short)
  std::map<std::int64_t, Entry> entries_{};
  std::list<std::int64_t> lru_{};  // most recent first
  std::size_t cached_rows_ = 0;
  std::size_t rows_read_ = 0;
};

}  // namespace driftgate::service

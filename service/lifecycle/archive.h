// Archives of raw day partitions before retention drops them: one
// zstd-compressed file per partition, `<dir>/<partition>.copy.zst`, holding a header line
//   #driftgate-archive v1 table=prediction_blocks partition=prediction_blocks_p20261123
//   columns=model_id,seq,...
// and then the partition's rows in COPY text format, so `driftgate restore --file F` can load it back (for
// a backtest) with nothing but this file. Written to a temporary name, synced, then renamed: a file that
// exists under its final name is complete.
#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>

#include "core/error.h"
#include "db/partitions_repo.h"
#include "db/pool.h"

namespace driftgate::service {

// Writes partition `p` (all its rows) to `dir`; returns the number of rows.
Result<std::int64_t> ArchivePartition(pqxx::transaction_base& tx, const db::Partition& p,
                                      const std::string& dir);

struct RestoreResult {
  std::string table{};
  std::string partition{};
  std::int64_t rows = 0;
};

// Loads an archive file back into its table, creating the day partition when it is missing. The
// retention job drops the day again once it is past retention: restore into a database (or with a
// DRIFTGATE_RETENTION_DAYS) that keeps it, e.g. a scratch database for a backtest.
Result<RestoreResult> RestoreArchive(db::Pool& pool, const std::string& file);

}  // namespace driftgate::service

// COPY ... FROM STDIN for the repositories that bulk-load rows (db/records_repo.cpp, db/drift_repo.cpp).
#pragma once

#include <algorithm>
#include <cstddef>
#include <iterator>
#include <pqxx/pqxx>
#include <pqxx/tablewriter>
#include <string>
#include <vector>

namespace driftgate::db {

// A COPY ... FROM STDIN fed with whole buffers of COPY-text rows. libpqxx 6.4 keeps stream_to's
// raw-line writer private; tablewriter's is public (deprecated in 6.x, removed in 7 — where stream_to
// exposes it). One PQputCopyData per megabyte instead of one per row.
class CopyStream {
 public:
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  CopyStream(pqxx::transaction_base& tx, const std::string& table) : writer_(tx, table) {}
  CopyStream(pqxx::transaction_base& tx, const std::string& table, const std::vector<std::string>& columns)
      : writer_(tx, table, columns.begin(), columns.end()) {}
#pragma GCC diagnostic pop
  // `buf` holds complete rows, each ending in '\n'; pqxx appends the last newline itself.
  void Write(std::string& buf) {
    if (buf.empty()) return;
    buf.pop_back();
    writer_.write_raw_line(buf);
    buf.clear();
  }
  void Complete() { writer_.complete(); }

 private:
  pqxx::tablewriter writer_;
};

inline constexpr std::size_t kCopyChunk = 1 << 20;

// COPYs one text row per element of `records` into `stream`, sent in chunks of about kCopyChunk:
// `row(buf, r)` appends the element's fields (without the newline), or returns false to leave it out.
template <class Range, class Row>
void CopyRecords(CopyStream& stream, const Range& records, Row row) {
  std::string buf;
  buf.reserve(std::min<std::size_t>(kCopyChunk * 2, std::size(records) * 160));
  for (const auto& r : records) {
    const std::size_t start = buf.size();
    if (!row(buf, r)) {
      buf.resize(start);
      continue;
    }
    buf += '\n';
    if (buf.size() > kCopyChunk) stream.Write(buf);
  }
  stream.Write(buf);
  stream.Complete();
}

}  // namespace driftgate::db

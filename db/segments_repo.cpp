#include "db/segments_repo.h"

#include <pqxx/binarystring>

#include "db/copy_text.h"
#include "db/exec.h"
#include "db/sql/metrics.h"
#include "db/sql/segment_windows.h"

namespace driftgate::db {
namespace {

// `values` as a text[] literal.
template <class T, class F>
std::string ArrayOf(const std::vector<T>& values, F field) {
  std::string out = "{";
  for (const auto& v : values) {
    if (out.size() > 1) out += ',';
    copy::AppendArrayElement(out, field(v));
  }
  out += '}';
  return out;
}

// The rows' bytes as a text[] literal of hex strings: hex digits need no quoting or escaping in an array
// literal (and a chunk is never empty), so they are written as they are.
std::string HexArray(const std::vector<SegmentChunkRow>& rows) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::size_t size = 2;
  for (const auto& r : rows) size += 2 * r.pairs.size() + 1;
  std::string out;
  out.reserve(size);
  out += '{';
  for (const auto& r : rows) {
    if (out.size() > 1) out += ',';
    for (const unsigned char c : r.pairs) {
      out += kDigits[c >> 4];
      out += kDigits[c & 15];
    }
  }
  out += '}';
  return out;
}

}  // namespace

void InsertSegmentMetrics(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                          int generation, const std::vector<SegmentPoint>& points) {
  if (points.empty()) return;
  Exec(tx, sql::kInsertSegmentMetrics, model_id, at_us, generation,
       ArrayOf(points, [](const SegmentPoint& p) { return p.segment; }),
       ArrayOf(points, [](const SegmentPoint& p) { return std::to_string(p.n); }),
       ArrayOf(points, [](const SegmentPoint& p) { return p.state; }),
       ArrayOf(points, [](const SegmentPoint& p) { return p.kpis_json; }));
}

std::vector<SegmentPoint> LatestSegments(pqxx::transaction_base& tx, std::int64_t model_id, int generation) {
  std::vector<SegmentPoint> out;
  for (const auto& r : Exec(tx, sql::kLatestSegments, model_id, generation)) {
    out.push_back(SegmentPoint{.segment = r[0].as<std::string>(),
                               .at_us = r[1].as<std::int64_t>(),
                               .n = r[2].as<int>(),
                               .state = r[3].as<std::string>(),
                               .kpis_json = r[4].as<std::string>()});
  }
  return out;
}

void UpsertSegmentChunks(pqxx::transaction_base& tx, std::int64_t model_id,
                         const std::vector<SegmentChunkRow>& rows) {
  if (rows.empty()) return;
  // decode() turns the hex strings back into bytes.
  Exec(tx, sql::kUpsertSegmentChunks, model_id,
       ArrayOf(rows, [](const SegmentChunkRow& r) { return r.segment; }),
       ArrayOf(rows, [](const SegmentChunkRow& r) { return std::to_string(r.chunk); }), HexArray(rows));
}

void DropSegmentChunks(pqxx::transaction_base& tx, std::int64_t model_id,
                       const std::vector<std::pair<std::string, std::int64_t>>& first_kept) {
  if (first_kept.empty()) return;
  using Kept = std::pair<std::string, std::int64_t>;
  Exec(tx, sql::kDropSegmentChunks, model_id, ArrayOf(first_kept, [](const Kept& k) { return k.first; }),
       ArrayOf(first_kept, [](const Kept& k) { return std::to_string(k.second); }));
}

std::vector<SegmentChunkRow> LoadSegmentChunks(pqxx::transaction_base& tx, std::int64_t model_id) {
  std::vector<SegmentChunkRow> out;
  for (const auto& r : Exec(tx, sql::kLoadSegmentChunks, model_id)) {
    out.push_back(SegmentChunkRow{.segment = r[0].as<std::string>(),
                                  .chunk = r[1].as<std::int64_t>(),
                                  .pairs = pqxx::binarystring(r[2]).str()});
  }
  return out;
}

void DeleteSegmentChunks(pqxx::transaction_base& tx, std::int64_t model_id) {
  Exec(tx, sql::kDeleteSegmentChunks, model_id);
}

void DeleteModelSegments(pqxx::transaction_base& tx, std::int64_t model_id) {
  ExecText(tx, sql::kDeleteModelSegmentMetrics, model_id);
  ExecText(tx, sql::kDeleteSegmentChunks, model_id);
}

}  // namespace driftgate::db

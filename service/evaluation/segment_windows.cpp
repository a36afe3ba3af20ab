#include "service/evaluation/segment_windows.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "db/segments_repo.h"

namespace driftgate::service {
namespace {

constexpr char kFormat = 'P';
constexpr std::uint8_t kHasScore = 1;
constexpr std::uint8_t kInputJudged = 2;

void PutVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void PutDouble(std::string& out, double v) {
  std::uint64_t bits = 0;
  std::memcpy(&bits, &v, sizeof bits);
  for (int i = 0; i < 8; ++i) out += static_cast<char>((bits >> (8 * i)) & 0xff);
}

void PutString(std::string& out, const std::string& s) {
  PutVarint(out, s.size());
  out += s;
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  std::uint8_t Byte() {
    Need(1);
    return static_cast<std::uint8_t>(bytes_[pos_++]);
  }
  std::uint64_t Varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const std::uint8_t b = Byte();
      v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    throw std::runtime_error("segment window chunk: varint too long");
  }
  double Double() {
    Need(8);
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i)
      bits |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(bytes_[pos_++])) << (8 * i);
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  std::string String() {
    const std::uint64_t n = Varint();
    Need(n);
    std::string s(bytes_.substr(pos_, n));
    pos_ += n;
    return s;
  }
  bool AtEnd() const { return pos_ == bytes_.size(); }

 private:
  void Need(std::uint64_t n) const {
    if (n > bytes_.size() - pos_) throw std::runtime_error("segment window chunk: truncated");
  }
  std::string_view bytes_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string EncodeChunk(const std::vector<kpi::Pair>& window, std::size_t begin, std::size_t end,
                        std::uint64_t first_position) {
  std::string out;
  out.reserve(8 + (end - begin) * 32);
  out += kFormat;
  PutVarint(out, first_position);
  PutVarint(out, end - begin);
  for (std::size_t i = begin; i < end; ++i) {
    const kpi::Pair& p = window[i];
    out += static_cast<char>((p.score ? kHasScore : 0) | (p.input_judged ? kInputJudged : 0));
    PutString(out, p.predicted);
    PutString(out, p.actual);
    PutDouble(out, p.predicted_value);
    PutDouble(out, p.actual_value);
    if (p.score) PutDouble(out, *p.score);
    if (p.input_judged) {
      PutVarint(out, p.input_faults.size());
      for (const std::uint16_t f : p.input_faults) PutVarint(out, f);
    }
  }
  return out;
}

DecodedChunk DecodeChunk(std::string_view bytes) {
  Reader in(bytes);
  if (in.Byte() != static_cast<std::uint8_t>(kFormat)) {
    throw std::runtime_error("segment window chunk: unknown format");
  }
  DecodedChunk chunk{.first = in.Varint()};
  const std::uint64_t n = in.Varint();
  if (n > bytes.size()) throw std::runtime_error("segment window chunk: bad pair count");
  chunk.pairs.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) {
    const std::uint8_t flags = in.Byte();
    kpi::Pair p{.predicted = in.String(), .actual = in.String()};
    p.predicted_value = in.Double();
    p.actual_value = in.Double();
    if (flags & kHasScore) p.score = in.Double();
    if (flags & kInputJudged) {
      p.input_judged = true;
      const std::uint64_t faults = in.Varint();
      if (faults > bytes.size()) throw std::runtime_error("segment window chunk: bad fault count");
      for (std::uint64_t f = 0; f < faults; ++f)
        p.input_faults.push_back(static_cast<std::uint16_t>(in.Varint()));
    }
    chunk.pairs.push_back(std::move(p));
  }
  if (!in.AtEnd()) throw std::runtime_error("segment window chunk: trailing bytes");
  return chunk;
}

std::vector<kpi::Pair> AssembleWindow(const StoredWindowMeta& meta, const std::vector<DecodedChunk>& chunks) {
  const std::uint64_t begin = meta.fed - std::min<std::uint64_t>(meta.size, meta.fed);
  std::vector<const kpi::Pair*> at(meta.fed - begin, nullptr);  // by position - begin
  for (const auto& c : chunks) {
    for (std::size_t i = 0; i < c.pairs.size(); ++i) {
      const std::uint64_t position = c.first + i;
      if (position >= begin && position < meta.fed) at[position - begin] = &c.pairs[i];
    }
  }
  std::size_t first = at.size();
  while (first > 0 && at[first - 1] != nullptr) --first;
  std::vector<kpi::Pair> window;
  window.reserve(at.size() - first);
  for (std::size_t i = first; i < at.size(); ++i) window.push_back(*at[i]);
  return window;
}

void SaveSegmentWindows(pqxx::transaction_base& tx, std::int64_t model_id, evaluate::State& state,
                        bool had_segments) {
  if (state.segments.empty()) {
    if (had_segments) db::DeleteSegmentChunks(tx, model_id);
    return;
  }
  std::vector<db::SegmentChunkRow> rows;
  std::vector<std::pair<std::string, std::int64_t>> first_kept;
  for (auto& [name, w] : state.segments) {
    if (w.fed <= w.stored) continue;
    const std::uint64_t begin = w.fed - w.window.size();  // position of window[0]
    const std::uint64_t from = std::max(w.stored, begin);
    for (std::uint64_t chunk = from / kChunkPairs; chunk * kChunkPairs < w.fed; ++chunk) {
      const std::uint64_t lo = std::max(chunk * kChunkPairs, begin);
      const std::uint64_t hi = std::min((chunk + 1) * kChunkPairs, w.fed);
      rows.push_back(db::SegmentChunkRow{.segment = name,
                                         .chunk = static_cast<std::int64_t>(chunk),
                                         .pairs = EncodeChunk(w.window, lo - begin, hi - begin, lo)});
    }
    first_kept.emplace_back(name, static_cast<std::int64_t>(begin / kChunkPairs));
    w.stored = w.fed;
  }
  db::UpsertSegmentChunks(tx, model_id, rows);
  db::DropSegmentChunks(tx, model_id, first_kept);
}

Result<std::map<std::string, std::vector<DecodedChunk>>> LoadSegmentWindows(pqxx::transaction_base& tx,
                                                                            std::int64_t model_id) {
  std::map<std::string, std::vector<DecodedChunk>> out;
  try {
    for (auto& row : db::LoadSegmentChunks(tx, model_id)) out[row.segment].push_back(DecodeChunk(row.pairs));
  } catch (const std::runtime_error& e) {
    return Error{ErrorCode::kInternal, std::string("stored segment window is unreadable: ") + e.what(), {}};
  }
  return out;
}

}  // namespace driftgate::service

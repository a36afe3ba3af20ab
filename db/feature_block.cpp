#include "db/feature_block.h"

#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <unordered_map>

namespace driftgate::db {
namespace {

constexpr int kZstdLevel = 3;  // zstd's default; a 1,000-record body compresses in well under 1 ms

void PutVarint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void PutString(std::string& out, std::string_view s) {
  PutVarint(out, s.size());
  out.append(s);
}

std::uint64_t ZigZag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t UnZigZag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

// Doubles byte-shuffled: byte 0 of every value, then byte 1, ... (see the header).
void PutShuffled(std::string& out, const std::vector<double>& values) {
  const std::size_t start = out.size();
  out.resize(start + values.size() * 8);
  for (std::size_t i = 0; i < values.size(); ++i) {
    unsigned char bytes[8];
    std::memcpy(bytes, &values[i], 8);
    for (std::size_t b = 0; b < 8; ++b) out[start + b * values.size() + i] = static_cast<char>(bytes[b]);
  }
}

class Reader {
 public:
  explicit Reader(std::string_view in) : p_(in.data()), end_(in.data() + in.size()) {}
  std::uint64_t Varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      Need(1);
      const auto c = static_cast<unsigned char>(*p_++);
      v |= static_cast<std::uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return v;
    }
    throw std::runtime_error("feature block: bad varint");
  }
  std::size_t Count(std::size_t limit) {
    const std::uint64_t v = Varint();
    if (v > limit) throw std::runtime_error("feature block: count out of range");
    return static_cast<std::size_t>(v);
  }
  std::string String() {
    const std::size_t n = Count(static_cast<std::size_t>(end_ - p_));
    std::string s(p_, n);
    p_ += n;
    return s;
  }
  std::uint8_t Byte() {
    Need(1);
    return static_cast<std::uint8_t>(*p_++);
  }
  std::vector<double> Shuffled(std::size_t n) {
    Need(n * 8);
    std::vector<double> out(n);
    for (std::size_t i = 0; i < n; ++i) {
      unsigned char bytes[8];
      for (std::size_t b = 0; b < 8; ++b) bytes[b] = static_cast<unsigned char>(p_[b * n + i]);
      std::memcpy(&out[i], bytes, 8);
    }
    p_ += n * 8;
    return out;
  }
  std::size_t left() const { return static_cast<std::size_t>(end_ - p_); }

 private:
  void Need(std::size_t n) const {
    if (static_cast<std::size_t>(end_ - p_) < n) throw std::runtime_error("feature block: truncated");
  }
  const char* p_;
  const char* end_;
};

// A dictionary that hands out codes in order of first appearance.
class Dictionary {
 public:
  std::uint32_t Code(const std::string& s) {
    auto [it, fresh] = index_.try_emplace(s, static_cast<std::uint32_t>(entries_.size()));
    if (fresh) entries_.push_back(&it->first);
    return it->second;
  }
  void Put(std::string& out) const {
    PutVarint(out, entries_.size());
    for (const auto* e : entries_) PutString(out, *e);
  }

 private:
  std::unordered_map<std::string, std::uint32_t> index_{};
  std::vector<const std::string*> entries_{};
};

void PutFeatureColumn(std::string& out, const std::string& name,
                      const std::vector<const domain::PredictionRecord*>& records) {
  std::vector<std::uint8_t> kinds(records.size(), FeatureColumn::kAbsent);
  std::vector<double> numbers;
  std::vector<std::uint32_t> codes;
  Dictionary dict;
  for (std::size_t i = 0; i < records.size(); ++i) {
    for (const auto& [feature, value] : records[i]->features) {
      if (feature != name) continue;
      if (const auto* d = std::get_if<double>(&value)) {
        kinds[i] = FeatureColumn::kNumber;
        numbers.push_back(*d);
      } else if (const auto* s = std::get_if<std::string>(&value)) {
        kinds[i] = FeatureColumn::kCategory;
        codes.push_back(dict.Code(*s));
      } else {
        kinds[i] = FeatureColumn::kNull;
      }
      break;
    }
  }
  PutString(out, name);
  dict.Put(out);
  out.append(reinterpret_cast<const char*>(kinds.data()), kinds.size());
  PutVarint(out, numbers.size());
  PutShuffled(out, numbers);
  for (std::uint32_t c : codes) PutVarint(out, c);
}

FeatureColumn ReadFeatureColumn(Reader& in, std::size_t n) {
  FeatureColumn c;
  c.name = in.String();
  c.dict.resize(in.Count(in.left()));
  for (auto& e : c.dict) e = in.String();
  c.kind.resize(n);
  for (auto& k : c.kind) {
    k = in.Byte();
    if (k > FeatureColumn::kCategory) throw std::runtime_error("feature block: bad value kind");
  }
  const std::vector<double> numbers = in.Shuffled(in.Count(n));
  c.number.assign(n, 0.0);
  c.code.assign(n, 0);
  std::size_t next_number = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (c.kind[i] == FeatureColumn::kNumber) {
      if (next_number >= numbers.size()) throw std::runtime_error("feature block: numbers short");
      c.number[i] = numbers[next_number++];
    } else if (c.kind[i] == FeatureColumn::kCategory) {
      c.code[i] = static_cast<std::uint32_t>(in.Count(c.dict.empty() ? 0 : c.dict.size() - 1));
    }
  }
  return c;
}

FeatureBlock DecodeLegacy(std::string_view text) {
  const nlohmann::json j = nlohmann::json::parse(text);
  FeatureBlock b;
  b.size = 1;
  b.ts_us.push_back(j.value("ts", std::int64_t{0}));
  if (const auto f = j.find("features"); f != j.end() && f->is_object()) {
    for (auto it = f->begin(); it != f->end(); ++it) {
      FeatureColumn c{.name = it.key(), .kind = {FeatureColumn::kNull}, .number = {0.0}, .code = {0}};
      if (it.value().is_number()) {
        c.kind[0] = FeatureColumn::kNumber;
        c.number[0] = it.value().get<double>();
      } else if (it.value().is_string()) {
        c.kind[0] = FeatureColumn::kCategory;
        c.dict.push_back(it.value().get<std::string>());
      } else if (!it.value().is_null()) {
        continue;  // not comparable (a nested value): left out, as the JSON reader of drift checks did
      }
      b.columns.push_back(std::move(c));
    }
    std::sort(b.columns.begin(), b.columns.end(),
              [](const FeatureColumn& x, const FeatureColumn& y) { return x.name < y.name; });
  }
  if (const auto s = j.find("scores"); s != j.end() && s->is_object() && !s->empty()) {
    b.class_scores.emplace_back();
    for (auto it = s->begin(); it != s->end(); ++it)
      b.class_scores[0].emplace_back(it.key(), it.value().get<double>());
  }
  const auto seg = j.find("segment");
  b.segment.push_back(seg != j.end() && seg->is_string() ? std::optional(seg->get<std::string>())
                                                         : std::nullopt);
  return b;
}

}  // namespace

std::vector<std::pair<std::string, domain::FeatureValue>> FeatureBlock::Features(std::size_t i) const {
  std::vector<std::pair<std::string, domain::FeatureValue>> out;
  out.reserve(columns.size());
  for (const auto& c : columns) {
    switch (c.kind[i]) {
      case FeatureColumn::kNumber:
        out.emplace_back(c.name, c.number[i]);
        break;
      case FeatureColumn::kCategory:
        out.emplace_back(c.name, c.dict[c.code[i]]);
        break;
      case FeatureColumn::kNull:
        out.emplace_back(c.name, std::monostate{});
        break;
      default:
        break;
    }
  }
  return out;
}

std::string EncodeBlock(const std::vector<const domain::PredictionRecord*>& records) {
  std::string payload;
  payload.reserve(records.size() * 48 + 64);
  PutVarint(payload, records.size());
  std::int64_t prev = 0;
  for (const auto* r : records) {
    // Wrapping (unsigned) difference: defined for any two times, undone exactly by the decoder's sum.
    PutVarint(payload, ZigZag(static_cast<std::int64_t>(static_cast<std::uint64_t>(r->ts_us) -
                                                        static_cast<std::uint64_t>(prev))));
    prev = r->ts_us;
  }
  // Columns by name: a record's features usually repeat the previous record's names.
  std::map<std::string, bool> names;
  for (const auto* r : records) {
    for (const auto& f : r->features) names.try_emplace(f.first, true);
  }
  PutVarint(payload, names.size());
  for (const auto& [name, unused] : names) PutFeatureColumn(payload, name, records);
  const bool any_scores =
      std::any_of(records.begin(), records.end(), [](const auto* r) { return !r->class_scores.empty(); });
  payload += any_scores ? '\1' : '\0';
  if (any_scores) {
    Dictionary classes;
    std::string items;
    std::vector<double> probabilities;
    for (const auto* r : records) {
      PutVarint(items, r->class_scores.size());
      for (const auto& [cls, p] : r->class_scores) {
        PutVarint(items, classes.Code(cls));
        probabilities.push_back(p);
      }
    }
    classes.Put(payload);
    payload += items;
    PutVarint(payload, probabilities.size());
    PutShuffled(payload, probabilities);
  }
  Dictionary segments;
  std::string codes;
  for (const auto* r : records) PutVarint(codes, r->segment ? segments.Code(*r->segment) + 1 : 0);
  segments.Put(payload);
  payload += codes;

  std::string body(1 + ZSTD_compressBound(payload.size()), '\0');
  body[0] = 'Z';
  const std::size_t n =
      ZSTD_compress(body.data() + 1, body.size() - 1, payload.data(), payload.size(), kZstdLevel);
  if (ZSTD_isError(n)) throw std::runtime_error(std::string("zstd: ") + ZSTD_getErrorName(n));
  body.resize(1 + n);
  return body;
}

FeatureBlock DecodeBlock(std::string_view body) {
  if (body.empty()) throw std::runtime_error("feature block: empty");
  if (body[0] == 'J') return DecodeLegacy(body.substr(1));
  if (body[0] != 'Z') throw std::runtime_error("feature block: unknown format");
  const char* frame = body.data() + 1;
  const std::size_t frame_size = body.size() - 1;
  const unsigned long long raw = ZSTD_getFrameContentSize(frame, frame_size);
  if (raw == ZSTD_CONTENTSIZE_ERROR || raw == ZSTD_CONTENTSIZE_UNKNOWN || raw > (1ull << 31)) {
    throw std::runtime_error("feature block: bad zstd frame");
  }
  std::string payload(static_cast<std::size_t>(raw), '\0');
  const std::size_t got = ZSTD_decompress(payload.data(), payload.size(), frame, frame_size);
  if (ZSTD_isError(got) || got != payload.size()) throw std::runtime_error("feature block: zstd failed");

  Reader in(payload);
  FeatureBlock b;
  b.size = in.Count(payload.size());
  b.ts_us.resize(b.size);
  std::int64_t prev = 0;
  for (auto& ts : b.ts_us) {
    prev = ts = static_cast<std::int64_t>(static_cast<std::uint64_t>(prev) +
                                          static_cast<std::uint64_t>(UnZigZag(in.Varint())));
  }
  b.columns.resize(in.Count(in.left()));
  for (auto& c : b.columns) c = ReadFeatureColumn(in, b.size);
  if (in.Byte() != 0) {
    std::vector<std::string> classes(in.Count(in.left()));
    for (auto& c : classes) c = in.String();
    b.class_scores.resize(b.size);
    std::vector<std::size_t> codes;
    for (auto& scores : b.class_scores) {
      scores.resize(in.Count(in.left()));
      for (auto& item : scores) {
        const std::size_t code = in.Count(classes.empty() ? 0 : classes.size() - 1);
        if (classes.empty()) throw std::runtime_error("feature block: no classes");
        item.first = classes[code];
      }
    }
    const std::vector<double> p = in.Shuffled(in.Count(in.left()));
    std::size_t next = 0;
    for (auto& scores : b.class_scores) {
      for (auto& item : scores) {
        if (next >= p.size()) throw std::runtime_error("feature block: scores short");
        item.second = p[next++];
      }
    }
  }
  std::vector<std::string> segments(in.Count(in.left()));
  for (auto& s : segments) s = in.String();
  b.segment.resize(b.size);
  for (auto& s : b.segment) {
    const std::size_t code = in.Count(segments.size());
    if (code > 0) s = segments[code - 1];
  }
  return b;
}

}  // namespace driftgate::db

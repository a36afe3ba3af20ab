// The stored form of a prediction batch's per-record data that no SQL statement needs: data times,
// features, multiclass scores and segments, laid out the way a columnar file is (one column per feature,
// categories dictionary-coded, numbers byte-shuffled) and compressed with zstd. One body per stored
// batch (prediction_blocks.body, migrations/V012__prediction_blocks.sql); what SQL joins on — record id,
// predicted class/value, score — sits next to it as native arrays.
//
// Layout of a body: one format byte, then
//   'Z': a zstd frame of the columnar payload (EncodeBlock below);
//   'J': one record as JSON text {"ts": us, "features": {...}, "scores": {...}, "segment": ...}
//        (rows stored before the columnar form, converted one block per row by the migration).
// The byte shuffle (all first bytes of a column's doubles, then all second bytes, ...) lines up the sign
// and exponent bytes of similar values, which zstd then codes in a few bits (the idea of Blosc's shuffle
// filter; Alted 2010, "Why modern CPUs are starving").
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain/records.h"

namespace driftgate::db {

// One feature over the records of a block.
struct FeatureColumn {
  enum Kind : std::uint8_t { kAbsent = 0, kNull = 1, kNumber = 2, kCategory = 3 };
  std::string name{};
  std::vector<std::uint8_t> kind{};   // per record
  std::vector<double> number{};       // per record; meaningful where kind == kNumber
  std::vector<std::uint32_t> code{};  // per record; an index into dict where kind == kCategory
  std::vector<std::string> dict{};    // the column's categories, in order of first appearance
};

// A decoded body: every vector has one entry per record (class_scores empty when no record has any).
struct FeatureBlock {
  std::size_t size = 0;
  std::vector<std::int64_t> ts_us{};
  std::vector<FeatureColumn> columns{};  // sorted by name
  std::vector<std::vector<std::pair<std::string, double>>> class_scores{};
  std::vector<std::optional<std::string>> segment{};

  // Record `i`'s features as name/value pairs, in column (name) order.
  std::vector<std::pair<std::string, domain::FeatureValue>> Features(std::size_t i) const;
};

// The body of `records`, in that order.
std::string EncodeBlock(const std::vector<const domain::PredictionRecord*>& records);
// Throws std::runtime_error on a body that is not one of the formats above.
FeatureBlock DecodeBlock(std::string_view body);

}  // namespace driftgate::db

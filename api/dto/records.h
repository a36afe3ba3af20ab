// Wire → domain for ingest batches (openapi.yaml, tag ingest). Validates the whole batch before anything is
// stored: one bad record rejects the batch, and the error names the record index and field
// (`records[17].score`). Limits (records per batch, features per record, string lengths, nesting depth)
// are part of validation.
#pragma once

#include <string_view>
#include <vector>

#include "core/domain/records.h"
#include "core/error.h"

namespace driftgate::api::dto {

struct Limits {
  std::size_t max_records = 10000;
  std::size_t max_features = 500;
  std::size_t max_string = 1024;  // ids, classes, feature strings, segments
  std::size_t max_depth = 32;     // JSON nesting
  // How far after the server clock a record's `ts` may lie (DRIFTGATE_MAX_FUTURE_SKEW_SECONDS).
  std::int64_t max_future_skew_seconds = 7 * 86400;
};

Result<std::vector<domain::PredictionRecord>> ParsePredictionBatch(std::string_view body,
                                                                   const Limits& limits);
Result<std::vector<domain::LabelRecord>> ParseLabelBatch(std::string_view body, const Limits& limits);

// The deepest nesting of objects/arrays in `body` (a linear scan, before any parser sees it).
std::size_t JsonDepth(std::string_view body);

// A class label as a canonical string (core/domain/classes.h): integral numbers without a fraction ("1"),
// others in shortest round-trip form.
std::string CanonicalClass(double v);

}  // namespace driftgate::api::dto

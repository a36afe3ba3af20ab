// Ingested records after wire validation (api/dto) — the shape the repositories store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace driftgate::domain {

// A feature value: missing (null), a number, or a category string.
using FeatureValue = std::variant<std::monostate, double, std::string>;

// A prediction or label target: a class (classification) or a number (regression). Classes are
// canonical strings: a number class is written without a fraction when integral (1.0 → "1").
struct Target {
  std::string cls{};       // canonical class string (classification); empty for regression once stored
  double value = 0.0;      // the number, when is_number
  bool is_number = false;  // the wire value was a JSON number
};

struct PredictionRecord {
  std::string id{};
  std::int64_t ts_us = 0;  // microseconds since the Unix epoch (UTC)
  std::vector<std::pair<std::string, FeatureValue>> features{};
  Target prediction;
  std::optional<double> score{};                               // binary: P(class "1")
  std::vector<std::pair<std::string, double>> class_scores{};  // multiclass: class → probability
  std::optional<std::string> segment{};
  // Set by ingest: the record's input faults against the model's reference profile, ascending
  // (core/evaluate/input_quality.h); nullopt when the model had no complete reference to judge it by.
  std::optional<std::vector<std::uint16_t>> input_faults{};
};

struct LabelRecord {
  std::string id{};
  Target label;
  std::optional<std::int64_t> ts_us{};  // absent: arrival time
};

struct IngestResult {
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
  std::size_t unmatched = 0;  // labels only: stored, waiting for their prediction
};

}  // namespace driftgate::domain

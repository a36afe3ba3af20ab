// Rows of the history an operator reads (decisions, metrics, drift events, retrains). JSON-valued parts
// are carried as JSON text that the service wrote; the api layer embeds them as they are.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace driftgate::domain {

struct DecisionRow {
  std::string id{};
  std::int64_t at_us = 0;          // data time
  std::int64_t created_at_us = 0;  // wall time
  std::string action{};
  std::string reason{};
  std::string kpis_json{};
  std::string detectors_json{};
  std::optional<std::string> retrain_id{};
  std::optional<std::string> deferral_json{};  // carbon-aware deferral of its retrain (V007), when any
  std::optional<std::string> segment{};        // the segment it judges (V017); nullopt: the whole stream
};

struct MetricRow {
  std::int64_t at_us = 0;
  int generation = 1;
  int n = 0;
  std::string kpis_json{};
  std::optional<std::string> per_class_json{};  // label-free multiclass estimates only
};

struct DriftRow {
  std::int64_t at_us = 0;
  std::string kind{};  // detector | data | multivariate
  std::string detail_json{};
  std::optional<std::string> segment{};  // a segment's data-drift result; nullopt: the whole stream
};

struct RetrainRow {
  std::string id{};
  std::string decision_id{};
  std::string status{};
  std::string reason{};
  std::string kpis_json{};
  std::int64_t requested_at_us = 0;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  std::optional<std::string> model_version{};
  // The closed-loop check (V005): improved | did_not_help once the new generation's first full window is
  // evaluated, with that window's data time and KPIs.
  std::optional<std::string> outcome{};
  std::optional<std::int64_t> outcome_at_us{};
  std::optional<std::string> outcome_kpis_json{};
  std::optional<std::string> deferral_json{};  // carbon-aware deferral of its webhook (V007), when any
};

// A time-ranged page request: [from, to) in data time, after the cursor position.
struct PageQuery {
  std::optional<std::int64_t> from_us{};
  std::optional<std::int64_t> to_us{};
  std::size_t limit = 100;
  std::optional<std::int64_t> after_at_us{};  // cursor: last item's time ...
  std::optional<std::int64_t> after_seq{};    // ... and sequence number
};

template <class Row>
struct Page {
  std::vector<Row> items{};
  // Where the next page starts; empty on the last page.
  std::optional<std::int64_t> next_at_us{};
  std::optional<std::int64_t> next_seq{};
};

}  // namespace driftgate::domain

// The per-segment KPI series and latest judgements (migrations/V017__segments.sql, core/evaluate/segments.h).
#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>
#include <vector>

namespace driftgate::db {

struct SegmentPoint {
  std::string segment{};
  std::int64_t at_us = 0;  // data time of the evaluation
  int n = 0;
  std::string state{};      // ok | warn | breach
  std::string kpis_json{};  // as the model's metric points
};

// One row per point, in one statement.
void InsertSegmentMetrics(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                          int generation, const std::vector<SegmentPoint>& points);

// Each segment's latest point of `generation`, by segment name.
std::vector<SegmentPoint> LatestSegments(pqxx::transaction_base& tx, std::int64_t model_id, int generation);

}  // namespace driftgate::db

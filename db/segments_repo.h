// The per-segment KPI series and latest judgements (migrations/V017__segments.sql, core/evaluate/segments.h).
#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>
#include <utility>
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

// One stored chunk of a segment's KPI window (service/evaluation/segment_windows.h encodes `pairs`).
struct SegmentChunkRow {
  std::string segment{};
  std::int64_t chunk = 0;
  std::string pairs{};
};

// Inserts or replaces `rows`, in one statement.
void UpsertSegmentChunks(pqxx::transaction_base& tx, std::int64_t model_id,
                         const std::vector<SegmentChunkRow>& rows);
// Deletes, for each (segment, first_kept), that segment's chunks numbered below first_kept.
void DropSegmentChunks(pqxx::transaction_base& tx, std::int64_t model_id,
                       const std::vector<std::pair<std::string, std::int64_t>>& first_kept);
// Every chunk of the model, by segment, then chunk.
std::vector<SegmentChunkRow> LoadSegmentChunks(pqxx::transaction_base& tx, std::int64_t model_id);
void DeleteSegmentChunks(pqxx::transaction_base& tx, std::int64_t model_id);

// Deletes a deleted model's segment KPI points and segment windows (db/model_removal.h).
void DeleteModelSegments(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db

// Paged, time-ranged reads of the history: items oldest first by (data time, sequence); the cursor is
// the last item's (time, sequence).
#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <string>

#include "core/domain/history.h"

namespace driftgate::db {

domain::Page<domain::DecisionRow> ListDecisions(pqxx::transaction_base& tx, std::int64_t model_id,
                                                const domain::PageQuery& q);
domain::Page<domain::MetricRow> ListMetrics(pqxx::transaction_base& tx, std::int64_t model_id,
                                            const domain::PageQuery& q);
// One segment's KPI series (migrations/V017, segment_metrics), shaped like ListMetrics.
domain::Page<domain::MetricRow> ListSegmentMetrics(pqxx::transaction_base& tx, std::int64_t model_id,
                                                   const std::string& segment, const domain::PageQuery& q);
// The label-free (CBPE) series of migrations/V006 (estimated_metrics), shaped like ListMetrics.
domain::Page<domain::MetricRow> ListEstimatedMetrics(pqxx::transaction_base& tx, std::int64_t model_id,
                                                     const domain::PageQuery& q);
// The whole stream's drift events.
domain::Page<domain::DriftRow> ListDrift(pqxx::transaction_base& tx, std::int64_t model_id,
                                         const domain::PageQuery& q);
// One segment's data-drift results (migrations/V022, service/drift/segment_drift.h), shaped like ListDrift.
domain::Page<domain::DriftRow> ListSegmentDrift(pqxx::transaction_base& tx, std::int64_t model_id,
                                                const std::string& segment, const domain::PageQuery& q);
domain::Page<domain::RetrainRow> ListRetrains(pqxx::transaction_base& tx, std::int64_t model_id,
                                              const domain::PageQuery& q);

domain::RetrainRow RetrainFromRow(const pqxx::row& r);

}  // namespace driftgate::db

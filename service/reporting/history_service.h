// Read side for operators: decisions, KPI series, drift events and retrains, paged and time-ranged.
#pragma once

#include <string>

#include "core/domain/history.h"
#include "core/error.h"
#include "db/handles.h"
#include "service/reporting/segments_read.h"

namespace driftgate::service {

class HistoryService {
 public:
  explicit HistoryService(db::Pool& pool) : pool_(pool) {}

  Result<domain::Page<domain::DecisionRow>> Decisions(const std::string& model, const domain::PageQuery& q);
  Result<domain::Page<domain::MetricRow>> Metrics(const std::string& model, const domain::PageQuery& q);
  // The label-free (CBPE) estimates: GET .../metrics?kind=estimated.
  Result<domain::Page<domain::MetricRow>> EstimatedMetrics(const std::string& model,
                                                           const domain::PageQuery& q);
  // Segments (service/reporting/segments_read.cpp): each one's latest judgement of the current generation,
  // most at risk first; one segment's KPI series (GET .../metrics?segment=).
  Result<std::vector<SegmentSummary>> Segments(const std::string& model);
  Result<domain::Page<domain::MetricRow>> SegmentMetrics(const std::string& model, const std::string& segment,
                                                         const domain::PageQuery& q);
  Result<domain::Page<domain::DriftRow>> Drift(const std::string& model, const domain::PageQuery& q);
  // One segment's data-drift results (GET .../drift?segment=; service/drift/segment_drift.h).
  Result<domain::Page<domain::DriftRow>> SegmentDrift(const std::string& model, const std::string& segment,
                                                      const domain::PageQuery& q);
  Result<domain::Page<domain::RetrainRow>> Retrains(const std::string& model, const domain::PageQuery& q);
  // Readiness: the database answers a trivial query.
  bool DatabaseReady();

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service

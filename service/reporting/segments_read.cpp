#include "service/reporting/segments_read.h"

#include <algorithm>
#include <limits>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "db/history_repo.h"
#include "db/models_repo.h"
#include "db/pool.h"
#include "db/segments_repo.h"
#include "service/reporting/history_service.h"

namespace driftgate::service {
namespace {

int StateRank(const std::string& state) { return state == "breach" ? 0 : state == "warn" ? 1 : 2; }

double Margin(const std::string& kpis_json) {
  double margin = std::numeric_limits<double>::infinity();
  const auto kpis = nlohmann::json::parse(kpis_json);
  for (const auto& [metric, k] : kpis.items()) {
    if (!k.contains("threshold") || !k["threshold"].is_number() || !k["value"].is_number()) continue;
    const double value = k["value"].get<double>(), threshold = k["threshold"].get<double>();
    margin = std::min(margin, k.value("bound", "min") == "min" ? value - threshold : threshold - value);
  }
  return margin;
}

}  // namespace

void SortByRisk(std::vector<SegmentSummary>& segments) {
  std::sort(segments.begin(), segments.end(), [](const SegmentSummary& a, const SegmentSummary& b) {
    const int ra = StateRank(a.state), rb = StateRank(b.state);
    if (ra != rb) return ra < rb;
    if (a.margin != b.margin) return a.margin < b.margin;
    return a.segment < b.segment;
  });
}

Result<std::vector<SegmentSummary>> HistoryService::Segments(const std::string& model) {
  return db::Transact<std::vector<SegmentSummary>>(
      pool_, [&](pqxx::work& tx) -> Result<std::vector<SegmentSummary>> {
        auto stored = db::FindModel(tx, model);
        if (!stored) return Error{ErrorCode::kNotFound, "model '" + model + "' does not exist", "model"};
        std::vector<SegmentSummary> out;
        for (auto& p : db::LatestSegments(tx, stored->id, stored->generation)) {
          const double margin = Margin(p.kpis_json);
          out.push_back(SegmentSummary{.segment = std::move(p.segment),
                                       .at_us = p.at_us,
                                       .n = p.n,
                                       .state = std::move(p.state),
                                       .kpis_json = std::move(p.kpis_json),
                                       .margin = margin});
        }
        SortByRisk(out);
        return out;
      });
}

Result<domain::Page<domain::MetricRow>> HistoryService::SegmentMetrics(const std::string& model,
                                                                       const std::string& segment,
                                                                       const domain::PageQuery& q) {
  return db::Transact<domain::Page<domain::MetricRow>>(
      pool_, [&](pqxx::work& tx) -> Result<domain::Page<domain::MetricRow>> {
        auto stored = db::FindModel(tx, model);
        if (!stored) return Error{ErrorCode::kNotFound, "model '" + model + "' does not exist", "model"};
        return db::ListSegmentMetrics(tx, stored->id, segment, q);
      });
}

Result<domain::Page<domain::DriftRow>> HistoryService::SegmentDrift(const std::string& model,
                                                                    const std::string& segment,
                                                                    const domain::PageQuery& q) {
  return db::Transact<domain::Page<domain::DriftRow>>(
      pool_, [&](pqxx::work& tx) -> Result<domain::Page<domain::DriftRow>> {
        auto stored = db::FindModel(tx, model);
        if (!stored) return Error::NotFound("model '" + model + "' does not exist");
        return db::ListSegmentDrift(tx, stored->id, segment, q);
      });
}

}  // namespace driftgate::service

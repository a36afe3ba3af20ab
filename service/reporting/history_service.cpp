#include "service/reporting/history_service.h"

#include <pqxx/pqxx>

#include "db/history_repo.h"
#include "db/models_repo.h"
#include "db/pool.h"

namespace driftgate::service {
namespace {

template <class Row, class Fn>
Result<domain::Page<Row>> Read(db::Pool& pool, const std::string& model, const domain::PageQuery& q, Fn fn) {
  return db::Transact<domain::Page<Row>>(pool, [&](pqxx::work& tx) -> Result<domain::Page<Row>> {
    auto stored = db::FindModel(tx, model);
    if (!stored) return Error{ErrorCode::kNotFound, "model '" + model + "' does not exist", "model"};
    return fn(tx, stored->id, q);
  });
}

}  // namespace

Result<domain::Page<domain::DecisionRow>> HistoryService::Decisions(const std::string& model,
                                                                    const domain::PageQuery& q) {
  return Read<domain::DecisionRow>(pool_, model, q, db::ListDecisions);
}
Result<domain::Page<domain::MetricRow>> HistoryService::Metrics(const std::string& model,
                                                                const domain::PageQuery& q) {
  return Read<domain::MetricRow>(pool_, model, q, db::ListMetrics);
}
Result<domain::Page<domain::MetricRow>> HistoryService::EstimatedMetrics(const std::string& model,
                                                                         const domain::PageQuery& q) {
  return Read<domain::MetricRow>(pool_, model, q, db::ListEstimatedMetrics);
}
Result<domain::Page<domain::DriftRow>> HistoryService::Drift(const std::string& model,
                                                             const domain::PageQuery& q) {
  return Read<domain::DriftRow>(pool_, model, q, db::ListDrift);
}
Result<domain::Page<domain::RetrainRow>> HistoryService::Retrains(const std::string& model,
                                                                  const domain::PageQuery& q) {
  return Read<domain::RetrainRow>(pool_, model, q, db::ListRetrains);
}

bool HistoryService::DatabaseReady() {
  auto r = db::Transact<bool>(pool_, [](pqxx::work& tx) -> Result<bool> {
    db::Ping(tx);
    return true;
  });
  return r.ok();
}

}  // namespace driftgate::service

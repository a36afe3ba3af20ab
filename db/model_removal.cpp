#include "db/model_removal.h"

#include "db/alerts_repo.h"
#include "db/dle_repo.h"
#include "db/drift_repo.h"
#include "db/evaluation_repo.h"
#include "db/input_quality_repo.h"
#include "db/models_repo.h"
#include "db/quality_repo.h"
#include "db/records_repo.h"
#include "db/retrains_repo.h"
#include "db/segments_repo.h"

namespace driftgate::db {

bool RemoveModel(pqxx::transaction_base& tx, const std::string& name) {
  const auto id = DeleteModelRow(tx, name);
  if (!id) return false;
  // No table references another by a foreign key (migrations/), so the order is free; records first,
  // then what was derived from them.
  DeleteModelRecords(tx, *id);
  DeleteModelEvaluation(tx, *id);
  DeleteModelSegments(tx, *id);
  DeleteModelRetrains(tx, *id);
  DeleteModelEstimatedMetrics(tx, *id);
  DeleteModelDle(tx, *id);
  DeleteModelFeatures(tx, *id);
  DeleteModelDrift(tx, *id);
  DeleteModelAlerts(tx, *id);
  return true;
}

}  // namespace driftgate::db

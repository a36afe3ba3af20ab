// Retraining runs and the pipeline's status callback (openapi.yaml, tag retrains).
// Transitions: requested → running | succeeded | failed; running → succeeded | failed. Repeating the
// current status is accepted (safe retries); anything else is a 409. `succeeded` starts a fresh
// evaluation baseline: the model's generation bumps and its detectors and KPI window start empty.
#pragma once

#include <optional>
#include <string>

#include "core/domain/history.h"
#include "core/error.h"
#include "db/handles.h"

namespace driftgate::service {

class RetrainsService {
 public:
  explicit RetrainsService(db::Pool& pool) : pool_(pool) {}

  Result<domain::RetrainRow> ReportStatus(const std::string& model, const std::string& retrain_id,
                                          const std::string& status,
                                          const std::optional<std::string>& version);

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service

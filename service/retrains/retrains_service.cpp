#include "service/retrains/retrains_service.h"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

#include "db/drift_repo.h"
#include "db/evaluation_repo.h"
#include "db/ledger_repo.h"
#include "db/models_repo.h"
#include "db/pool.h"
#include "db/records_repo.h"
#include "db/retrains_repo.h"
#include "service/models/models_service.h"

namespace driftgate::service {
namespace {

bool Allowed(const std::string& from, const std::string& to) {
  if (from == to) return true;
  if (from == "requested") return to == "running" || to == "succeeded" || to == "failed";
  if (from == "running") return to == "succeeded" || to == "failed";
  return false;
}

bool IsUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<domain::RetrainRow> RetrainsService::ReportStatus(const std::string& model_name,
                                                         const std::string& retrain_id,
                                                         const std::string& status,
                                                         const std::optional<std::string>& version) {
  if (status != "running" && status != "succeeded" && status != "failed") {
    return Error::Invalid("status", "status: must be running, succeeded or failed");
  }
  if (!IsUuid(retrain_id)) {
    // A path segment may be kilobytes long: quoted back only while it is short.
    const std::string shown = retrain_id.size() <= 64 ? "retrain '" + retrain_id + "'" : "this retrain";
    return Error{ErrorCode::kNotFound, "retrain_id: " + shown + " does not exist (retrain ids are UUIDs)",
                 "retrain_id"};
  }
  return db::Transact<domain::RetrainRow>(pool_, [&](pqxx::work& tx) -> Result<domain::RetrainRow> {
    auto model = LoadModel(tx, model_name);
    if (!model.ok()) return model.error();
    db::LockModel(tx, model->id);  // a fresh baseline must not interleave with an evaluation
    auto run = db::FindRetrain(tx, model->id, retrain_id);
    if (!run)
      return Error{ErrorCode::kNotFound,
                   "retrain_id: retrain '" + retrain_id + "' does not exist for model '" + model_name + "'",
                   "retrain_id"};
    if (!Allowed(run->status, status)) {
      return Error::Conflict(
          "status: retrain " + retrain_id + " is " + run->status + "; it cannot become " + status, "status");
    }
    if (run->status == status && (!version || version == run->model_version)) return *run;
    db::UpdateRetrainStatus(tx, model->id, retrain_id, status, version);
    if (status == "succeeded" && run->status != "succeeded") {
      const int generation = db::BumpGeneration(tx, model->id);
      db::SetRetrainGeneration(tx, model->id, retrain_id, generation);  // the closed-loop check judges it
      db::DeleteState(tx, model->id);
      db::ResetDriftBaseline(tx, model->id);
      spdlog::info("retrain succeeded: model={} retrain_id={} generation={}", model_name, retrain_id,
                   generation);
    } else {
      spdlog::info("retrain status: model={} retrain_id={} status={}", model_name, retrain_id, status);
    }
    auto updated = db::FindRetrain(tx, model->id, retrain_id);
    return *updated;
  });
}

}  // namespace driftgate::service

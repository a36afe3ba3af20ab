// DriftMonitor::JudgeMultivariate (drift_monitor.h): the multivariate part of a data-drift check.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "db/drift_repo.h"
#include "db/evaluation_repo.h"
#include "db/pool.h"
#include "service/drift/drift_monitor.h"

namespace driftgate::service {
namespace {

std::string Format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

void DriftMonitor::JudgeMultivariate(pqxx::transaction_base& tx, const CheckContext& c,
                                     const WindowSummary& window, CheckOutcome& outcome) {
  if (!window.multivariate || !c.reference->multivariate) return;
  const stats::ReconstructionResult& r = *window.multivariate;
  const stats::ReconstructionDrift& model = *c.reference->multivariate;
  const domain::MultivariateSpec& spec = c.reference->multivariate_spec;
  const nlohmann::json detail{{"method", "pca_reconstruction"},
                              {"reconstruction_error", r.error},
                              {"lower", r.lower},
                              {"upper", r.upper},
                              {"alert", r.alert},
                              {"components", model.components()},
                              {"features", model.features()},
                              {"variance", spec.variance},
                              {"chunks", spec.chunks},
                              {"reference", {{"source", c.state.source}, {"size", c.state.reference_count}}},
                              {"current_size", r.rows}};
  db::InsertDriftEvent(tx, c.model_id, window.at_us, "multivariate", detail.dump());
  const bool was = db::LoadMultivariateAlert(tx, c.model_id);
  if (r.alert != was) db::SaveMultivariateAlert(tx, c.model_id, r.alert);
  if (!r.alert || was) return;
  outcome.multivariate_alert = true;
  const std::string reason = "multivariate drift: PCA reconstruction error " + Format(r.error) +
                             " outside [" + Format(r.lower) + ", " + Format(r.upper) +
                             "] of the reference's chunks (" + std::to_string(model.components()) +
                             " components of " + std::to_string(model.features().size()) +
                             " features); no retrain without a confirmed KPI breach";
  db::InsertDecision(tx, c.model_id,
                     db::NewDecision{.at_us = window.at_us,
                                     .action = "warn",
                                     .reason = reason,
                                     .reason_code = "warn:multivariate",
                                     .kpis_json = "{}",
                                     .detectors_json = nlohmann::json::array({detail}).dump()});
  outcome.decisions.push_back("warn");
}

}  // namespace driftgate::service

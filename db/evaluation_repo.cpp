#include "db/evaluation_repo.h"

#include "db/exec.h"
#include "db/segments_repo.h"
#include "db/sql/decisions.h"
#include "db/sql/drift_events.h"
#include "db/sql/metrics.h"
#include "db/sql/model_state.h"
#include "db/sql/retrains.h"

namespace driftgate::db {
namespace {
// libpqxx 6.4 takes no std::optional parameters: NULL is a null pointer.
const char* OrNull(const std::optional<std::string>& v) { return v ? v->c_str() : nullptr; }
}  // namespace

std::optional<std::string> LoadState(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::result r = Exec(tx, sql::kLoadState, model_id);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

std::optional<StateStamp> LoadStateStamp(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::result r = Exec(tx, sql::kLoadStateStamp, model_id);
  if (r.empty()) return std::nullopt;
  return StateStamp{.version = r[0][0].as<std::int64_t>(), .xmin = r[0][1].as<std::int64_t>()};
}

StateStamp SaveState(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& state_json) {
  const pqxx::row r = Exec1(tx, sql::kSaveState, model_id, state_json);
  return StateStamp{.version = r[0].as<std::int64_t>(), .xmin = r[1].as<std::int64_t>()};
}

void DeleteState(pqxx::transaction_base& tx, std::int64_t model_id) {
  ExecText(tx, sql::kDeleteState, model_id);
  DeleteSegmentChunks(tx, model_id);  // the segments' windows (migrations/V022)
}

void InsertMetric(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us, int generation,
                  int n, const std::string& kpis_json) {
  Exec(tx, sql::kInsertMetric, model_id, at_us, generation, n, kpis_json);
}

void InsertDriftEvent(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                      const std::string& kind, const std::string& detail_json) {
  ExecText(tx, sql::kInsertDriftEvent, model_id, at_us, kind, detail_json);
}

void InsertSegmentDriftEvent(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                             const std::string& segment, const std::string& detail_json) {
  Exec(tx, sql::kInsertSegmentDriftEvent, model_id, at_us, segment, detail_json);
}

std::string InsertDecision(pqxx::transaction_base& tx, std::int64_t model_id, const NewDecision& d) {
  return ExecText1(tx, sql::kInsertDecision, model_id, OrNull(d.id), d.at_us, d.action, d.reason,
                   d.reason_code, d.kpis_json, d.detectors_json, OrNull(d.retrain_id), OrNull(d.segment),
                   OrNull(d.deferral_json))[0]
      .as<std::string>();
}

evaluate::PolicyFacts LoadPolicyFacts(pqxx::transaction_base& tx, std::int64_t model_id,
                                      std::int64_t now_us) {
  const pqxx::row r = Exec1(tx, sql::kPolicyFacts, model_id, now_us);
  evaluate::PolicyFacts f;
  f.retrain_in_flight = r[0].as<bool>();
  if (!r[1].is_null()) f.last_retrain_at_us = r[1].as<std::int64_t>();
  f.retrains_last_24h = r[2].as<int>();
  return f;
}

void DeleteModelEvaluation(pqxx::transaction_base& tx, std::int64_t model_id) {
  for (const char* statement : {sql::kDeleteState, sql::kDeleteModelDecisions, sql::kDeleteModelMetrics,
                                sql::kDeleteModelDriftEvents}) {
    ExecText(tx, statement, model_id);
  }
}

}  // namespace driftgate::db

#include "db/evaluation_repo.h"

#include "db/exec.h"
#include "db/sql/records.h"
#include "db/sql/segment_windows.h"

namespace driftgate::db {
namespace {
// libpqxx 6.4 has no std::optional parameters: NULL is a nullptr argument.
template <class F>
auto WithOptional(const std::optional<std::string>& v, F&& f) {
  return v ? f(v->c_str()) : f(nullptr);
}
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
  ExecText(tx, sql::kDeleteSegmentChunks, model_id);  // the segments' windows (migrations/V022)
}

void InsertMetric(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us, int generation,
                  int n, const std::string& kpis_json) {
  Exec(tx, sql::kInsertMetric, model_id, at_us, generation, n, kpis_json);
}

void InsertDriftEvent(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                      const std::string& kind, const std::string& detail_json) {
  ExecText(tx, sql::kInsertDriftEvent, model_id, at_us, kind, detail_json);
}

std::string InsertDecision(pqxx::transaction_base& tx, std::int64_t model_id, const NewDecision& d) {
  return WithOptional(d.id, [&](const char* id) {
    return WithOptional(d.retrain_id, [&](const char* retrain_id) {
      return WithOptional(d.segment, [&](const char* segment) {
        return ExecText1(tx, sql::kInsertDecision, model_id, id, d.at_us, d.action, d.reason, d.reason_code,
                         d.kpis_json, d.detectors_json, retrain_id, segment)[0]
            .as<std::string>();
      });
    });
  });
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

NewRetrain InsertRetrain(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& reason,
                         const std::string& kpis_json, std::int64_t requested_at_us) {
  const pqxx::row r = ExecText1(tx, sql::kInsertRetrain, model_id, reason, kpis_json, requested_at_us);
  return NewRetrain{.id = r[0].as<std::string>(), .decision_id = r[1].as<std::string>()};
}

void InsertOutbox(pqxx::transaction_base& tx, const std::string& webhook_id, std::int64_t model_id,
                  const std::string& retrain_id, const std::string& url, const std::string& secret,
                  const std::string& body, const std::optional<std::string>& secrets_key_id) {
  if (secrets_key_id) {
    ExecText(tx, sql::kInsertOutbox, webhook_id, model_id, retrain_id, url, secret, body, *secrets_key_id);
  } else {
    ExecText(tx, sql::kInsertOutbox, webhook_id, model_id, retrain_id, url, secret, body, nullptr);
  }
}

}  // namespace driftgate::db

#include "db/retrains_repo.h"

#include "db/exec.h"
#include "db/history_repo.h"
#include "db/sql/records.h"

namespace driftgate::db {

std::optional<domain::RetrainRow> FindRetrain(pqxx::transaction_base& tx, std::int64_t model_id,
                                              const std::string& retrain_id) {
  const pqxx::result r =
      ExecText(tx, std::string(sql::kRetrainColumns) + "WHERE model_id = $1 AND id::text = $2 FOR UPDATE",
               model_id, retrain_id);
  if (r.empty()) return std::nullopt;
  return RetrainFromRow(r[0]);
}

void UpdateRetrainStatus(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& retrain_id,
                         const std::string& status, const std::optional<std::string>& model_version) {
  if (model_version) {
    ExecText(tx, sql::kUpdateRetrainStatus, model_id, retrain_id, status, *model_version);
  } else {
    ExecText(tx, sql::kUpdateRetrainStatus, model_id, retrain_id, status, nullptr);
  }
}

void SetOutboxDelivery(pqxx::transaction_base& tx, const std::string& id, const std::string& headers_json,
                       const std::string& format) {
  ExecText(tx, sql::kSetOutboxDelivery, id, headers_json, format);
}

std::vector<OutboxItem> ClaimOutbox(pqxx::transaction_base& tx, int limit, double lease_seconds) {
  std::vector<OutboxItem> out;
  for (const auto& r : ExecText(tx, sql::kClaimOutbox, limit, lease_seconds)) {
    out.push_back(OutboxItem{.id = r[0].as<std::string>(),
                             .url = r[1].as<std::string>(),
                             .secret = r[2].as<std::string>(),
                             .body = r[3].as<std::string>(),
                             .attempts = r[4].as<int>(),
                             .headers_json = r[5].as<std::string>(),
                             .format = r[6].as<std::string>(),
                             .legacy_plaintext = r[7].as<bool>()});
  }
  return out;
}

void FinishOutbox(pqxx::transaction_base& tx, const std::string& id, const std::string& status,
                  int http_status) {
  ExecText(tx, sql::kOutboxDelivered, id, status, http_status);
}

void RetryOutbox(pqxx::transaction_base& tx, const std::string& id, double delay_seconds, int http_status,
                 const std::string& error) {
  ExecText(tx, sql::kOutboxRetry, id, delay_seconds, http_status, error);
}

void FailOutbox(pqxx::transaction_base& tx, const std::string& id, const std::string& error) {
  ExecText(tx, sql::kOutboxFailed, id, error);
}

std::optional<double> NextOutboxDue(pqxx::transaction_base& tx) {
  const pqxx::row r = ExecText1(tx, sql::kOutboxNextDue);
  if (r[0].is_null()) return std::nullopt;
  return r[0].as<double>();
}

std::int64_t CountPendingOutbox(pqxx::transaction_base& tx) {
  return ExecText1(tx, sql::kOutboxPendingCount)[0].as<std::int64_t>();
}

}  // namespace driftgate::db

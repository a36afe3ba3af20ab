#include "db/drift_repo.h"

#include "db/records_repo.h"
#include "db/exec.h"
#include "db/sql.h"

namespace driftgate::db {
namespace {

DriftRow RowFrom(const pqxx::row& r) {
  DriftRow d;
  d.features_json = r[0].is_null() ? "{}" : r[0].as<std::string>();
  if (!r[1].is_null()) d.pred_class = r[1].as<std::string>();
  if (!r[2].is_null()) d.pred_value = r[2].as<double>();
  if (!r[3].is_null()) d.score = r[3].as<double>();
  if (r.size() > 4) d.ts_us = r[4].as<std::int64_t>();
  if (r.size() > 5) d.seq = r[5].as<std::int64_t>();
  return d;
}

}  // namespace

std::pair<std::string, std::int64_t> LockDriftRow(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::row r = Exec1(tx, sql::kLockDriftRow, model_id);
  return {r[0].as<std::string>(), r[1].as<std::int64_t>()};
}

std::optional<DriftRowPeek> PeekDriftRow(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::result r = Exec(tx, sql::kPeekDriftRow, model_id);
  if (r.empty()) return std::nullopt;
  return DriftRowPeek{.source = r[0][0].as<std::string>(),
                      .reference_count = r[0][1].as<std::int64_t>(),
                      .reference_version = r[0][2].as<int>()};
}

DriftProgress CountDriftProgress(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t accepted,
                                 std::int64_t added_to_reference) {
  const pqxx::row r = Exec1(tx, sql::kCountDriftProgress, model_id, accepted, added_to_reference);
  return DriftProgress{.received = r[0].as<std::int64_t>(),
                       .last_check_received = r[1].as<std::int64_t>(),
                       .reference_count = r[2].as<std::int64_t>()};
}

std::optional<DriftState> LoadDriftState(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::result r = tx.exec_params(sql::kDriftState, model_id);
  if (r.empty()) return std::nullopt;
  return DriftState{.source = r[0][0].as<std::string>(),
                    .reference_count = r[0][1].as<std::int64_t>(),
                    .reference_version = r[0][2].as<int>(),
                    .baseline_seq = r[0][3].as<std::int64_t>(),
                    .received = r[0][4].as<std::int64_t>(),
                    .last_check_received = r[0][5].as<std::int64_t>(),
                    .last_dataset_drift = r[0][6].as<bool>()};
}

bool TryLockDriftCheck(pqxx::transaction_base& tx, std::int64_t model_id) {
  return tx.exec_params1(sql::kTryLockDrift, model_id)[0].as<bool>();
}

std::vector<DriftRow> LoadReferenceRows(pqxx::transaction_base& tx, std::int64_t model_id) {
  std::vector<DriftRow> out;
  const pqxx::result rows = tx.exec_params(sql::kReferenceRows, model_id);
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(RowFrom(r));
  return out;
}

std::vector<DriftRow> LoadRecentRows(pqxx::transaction_base& tx, std::int64_t model_id,
                                     std::int64_t after_seq, std::size_t limit) {
  std::vector<DriftRow> out;
  tx.exec(sql::kSortOff);
  const pqxx::result rows = tx.exec_params(sql::kRecentRows, model_id, after_seq, static_cast<long>(limit));
  tx.exec(sql::kSortOn);
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(RowFrom(r));
  return out;
}

void RecordDriftCheck(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t checked_at_received,
                      bool dataset_drift) {
  tx.exec_params(sql::kRecordCheck, model_id, checked_at_received, dataset_drift);
}

void ResetDriftBaseline(pqxx::transaction_base& tx, std::int64_t model_id) {
  tx.exec_params(sql::kDeleteAutoReference, model_id);
  tx.exec_params(sql::kResetDriftBaseline, model_id);
}

std::int64_t ReplaceReference(pqxx::transaction_base& tx, std::int64_t model_id,
                              std::span<const domain::PredictionRecord> records) {
  StagePredictions(tx, records);
  tx.exec_params(sql::kDeleteReference, model_id);
  return tx.exec_params1(sql::kReplaceReference, model_id)[0].as<std::int64_t>();
}

}  // namespace driftgate::db

#include "db/drift_repo.h"

#include <nlohmann/json.hpp>
#include <pqxx/binarystring>

#include "db/copy_stream.h"
#include "db/copy_text.h"
#include "db/exec.h"
#include "db/feature_block.h"
#include "db/records_repo.h"
#include "db/sql/locks.h"
#include "db/sql/model_drift.h"
#include "db/sql/records.h"
#include "db/sql/reference_records.h"
#include "db/sql/transaction.h"

namespace driftgate::db {
namespace {

// A multiclass `scores` object (class -> probability) as stored; anything else gives no scores.
std::vector<std::pair<std::string, double>> ClassScores(const pqxx::field& f) {
  std::vector<std::pair<std::string, double>> out;
  if (f.is_null()) return out;
  const auto object = nlohmann::json::parse(f.c_str(), nullptr, false);
  if (!object.is_object()) return out;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (it.value().is_number()) out.emplace_back(it.key(), it.value().get<double>());
  }
  return out;
}

// A reference row (kReferenceRows).
DriftRow RowFrom(const pqxx::row& r) {
  DriftRow d;
  d.features_json = r[0].is_null() ? "{}" : r[0].as<std::string>();
  if (!r[1].is_null()) d.pred_class = r[1].as<std::string>();
  if (!r[2].is_null()) d.pred_value = r[2].as<double>();
  if (!r[3].is_null()) d.score = r[3].as<double>();
  d.class_scores = ClassScores(r[4]);
  if (!r[5].is_null()) d.segment = r[5].as<std::string>();
  return d;
}

// The elements of a one-dimensional array's text form (NULL elements as nullopt).
std::vector<std::optional<std::string>> ArrayElements(const pqxx::field& f) {
  std::vector<std::optional<std::string>> out;
  pqxx::array_parser parser = f.as_array();
  for (auto [step, text] = parser.get_next(); step != pqxx::array_parser::done;
       std::tie(step, text) = parser.get_next()) {
    if (step == pqxx::array_parser::null_value) out.emplace_back();
    if (step == pqxx::array_parser::string_value) out.emplace_back(std::move(text));
  }
  return out;
}

std::optional<double> Number(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  double v = 0;
  pqxx::from_string(*s, v);
  return v;
}

// Rows of one block (columns seq, n, cls, value, score, body), newest first, appended to `out` while their
// seq is above `after_seq` and `out` holds fewer than `limit`.
void AppendBlockRows(const pqxx::row& r, std::int64_t after_seq, std::size_t limit,
                     std::vector<DriftRow>& out) {
  const std::int64_t seq = r[0].as<std::int64_t>();
  const auto n = r[1].as<std::size_t>();
  const auto cls = ArrayElements(r[2]);
  const auto value = ArrayElements(r[3]);
  const auto score = ArrayElements(r[4]);
  const FeatureBlock block = DecodeBlock(pqxx::binarystring(r[5]).str());
  if (cls.size() != n || value.size() != n || score.size() != n || block.size != n) {
    throw std::runtime_error("prediction block " + std::to_string(seq) + ": column lengths differ");
  }
  for (std::size_t k = n; k-- > 0;) {
    const std::int64_t record_seq = seq * 1048576 + static_cast<std::int64_t>(k);
    if (record_seq <= after_seq || out.size() >= limit) break;
    DriftRow d{.features = block.Features(k),
               .pred_class = cls[k],
               .pred_value = Number(value[k]),
               .score = Number(score[k]),
               .class_scores = block.class_scores.empty() ? std::vector<std::pair<std::string, double>>{}
                                                          : block.class_scores[k],
               .ts_us = block.ts_us[k],
               .seq = record_seq,
               .segment = block.segment.empty() ? std::nullopt : block.segment[k]};
    out.push_back(std::move(d));
  }
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
  const pqxx::result r = ExecText(tx, sql::kDriftState, model_id);
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
  return ExecText1(tx, sql::kTryLockDrift, model_id)[0].as<bool>();
}

bool LoadMultivariateAlert(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::result r = ExecText(tx, sql::kMultivariateAlert, model_id);
  return !r.empty() && r[0][0].as<bool>();
}

void SaveMultivariateAlert(pqxx::transaction_base& tx, std::int64_t model_id, bool alert) {
  ExecText(tx, sql::kSetMultivariateAlert, model_id, alert);
}

std::vector<DriftRow> LoadReferenceRows(pqxx::transaction_base& tx, std::int64_t model_id) {
  std::vector<DriftRow> out;
  const pqxx::result rows = ExecText(tx, sql::kReferenceRows, model_id);
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(RowFrom(r));
  return out;
}

std::vector<DriftRow> LoadRecentRows(pqxx::transaction_base& tx, std::int64_t model_id,
                                     std::int64_t after_seq, std::size_t limit) {
  std::vector<DriftRow> out;
  ExecText(tx, sql::kSortOff);
  const pqxx::result blocks = ExecText(tx, sql::kRecentBlocks, model_id, after_seq, static_cast<long>(limit));
  ExecText(tx, sql::kSortOn);
  for (const auto& r : blocks) AppendBlockRows(r, after_seq, limit, out);
  return out;
}

void RecordDriftCheck(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t checked_at_received,
                      bool dataset_drift) {
  ExecText(tx, sql::kRecordCheck, model_id, checked_at_received, dataset_drift);
}

void ResetDriftBaseline(pqxx::transaction_base& tx, std::int64_t model_id) {
  ExecText(tx, sql::kDeleteAutoReference, model_id);
  ExecText(tx, sql::kResetDriftBaseline, model_id);
}

std::int64_t ReplaceReference(pqxx::transaction_base& tx, std::int64_t model_id,
                              std::span<const domain::PredictionRecord> records) {
  StagePredictions(tx, records);
  ExecText(tx, sql::kDeleteReference, model_id);
  const auto inserted =
      static_cast<std::int64_t>(ExecText(tx, sql::kInsertReference, model_id).affected_rows());
  return ExecText1(tx, sql::kReplaceReference, model_id, inserted)[0].as<std::int64_t>();
}

void SaveDataQuality(pqxx::transaction_base& tx, std::int64_t model_id, const DataQualityRow& verdict) {
  ExecText(tx, sql::kSetDataQuality, model_id, verdict.incident,
           nlohmann::json(verdict.broken_features).dump());
}

DataQualityRow LoadDataQuality(pqxx::transaction_base& tx, std::int64_t model_id) {
  DataQualityRow out;
  const pqxx::result r = Exec(tx, sql::kDataQuality, model_id);
  if (r.empty()) return out;
  out.incident = r[0][0].as<bool>();
  const auto broken = nlohmann::json::parse(r[0][1].as<std::string>(), nullptr, false);
  if (broken.is_array()) {
    for (const auto& f : broken) {
      if (f.is_string()) out.broken_features.push_back(f.get<std::string>());
    }
  }
  return out;
}

std::string LoadEstimatedCode(pqxx::transaction_base& tx, std::int64_t model_id) {
  const pqxx::result r = ExecText(tx, sql::kEstimatedCode, model_id);
  return r.empty() ? std::string("none:ok") : r[0][0].as<std::string>();
}

void SaveEstimatedCode(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& code) {
  ExecText(tx, sql::kSetEstimatedCode, model_id, code);
}

std::size_t CopyAutoReference(pqxx::transaction_base& tx, std::int64_t model_id,
                              const std::vector<const domain::PredictionRecord*>& records,
                              std::size_t capacity) {
  std::vector<std::size_t> order(records.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return records[a]->ts_us != records[b]->ts_us ? records[a]->ts_us < records[b]->ts_us
                                                  : records[a]->id < records[b]->id;
  });
  if (order.size() > capacity) order.resize(capacity);
  CopyStream stream(
      tx, "reference_records",
      {"model_id", "record_id", "pred_class", "pred_value", "score", "scores", "features", "segment"});
  const std::string model = std::to_string(model_id);
  CopyRecords(stream, order, [&](std::string& buf, std::size_t i) {
    buf += model;
    buf += '\t';
    copy::AppendField(buf, records[i]->id);
    buf += '\t';
    copy::AppendPredictionFields(buf, *records[i]);
    return true;
  });
  return order.size();
}

void DeleteModelDrift(pqxx::transaction_base& tx, std::int64_t model_id) {
  ExecText(tx, sql::kDeleteReference, model_id);
  ExecText(tx, sql::kDeleteModelDrift, model_id);
}

}  // namespace driftgate::db

// Data-drift storage: the reference sample, the counters that say when a check is due, and the rows a
// check reads (the current window of recent predictions).
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <span>
#include <string>
#include <vector>

#include "core/domain/records.h"

namespace driftgate::db {

struct DriftState {
  std::string source = "auto";
  std::int64_t reference_count = 0;
  int reference_version = 1;
  std::int64_t baseline_seq = 0;
  std::int64_t received = 0;
  std::int64_t last_check_received = 0;
  bool last_dataset_drift = false;
};

// A stored record as a drift check sees it: a reference row carries its features as JSON text, a recent
// row its features decoded from its block (features_json empty then).
struct DriftRow {
  std::string features_json{};
  std::optional<std::vector<std::pair<std::string, domain::FeatureValue>>> features{};
  std::optional<std::string> pred_class{};
  std::optional<double> pred_value{};
  std::optional<double> score{};
  std::vector<std::pair<std::string, double>> class_scores{};  // multiclass: class -> probability
  std::int64_t ts_us = 0;
  std::int64_t seq = 0;                  // recent rows only
  std::optional<std::string> segment{};  // the prediction's segment
};

// Locks the model's drift row until commit; returns (source, reference_count).
std::pair<std::string, std::int64_t> LockDriftRow(pqxx::transaction_base& tx, std::int64_t model_id);
// The same two columns and the reference's version, without a lock; nullopt while the model has no drift
// row yet.
struct DriftRowPeek {
  std::string source{};
  std::int64_t reference_count = 0;
  int reference_version = 1;
};
std::optional<DriftRowPeek> PeekDriftRow(pqxx::transaction_base& tx, std::int64_t model_id);

struct DriftProgress {
  std::int64_t received = 0;
  std::int64_t last_check_received = 0;
  std::int64_t reference_count = 0;
};
DriftProgress CountDriftProgress(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t accepted,
                                 std::int64_t added_to_reference);

std::optional<DriftState> LoadDriftState(pqxx::transaction_base& tx, std::int64_t model_id);
// Only one replica checks a model at a time; false when another holds the check.
bool TryLockDriftCheck(pqxx::transaction_base& tx, std::int64_t model_id);
// Whether the model's latest multivariate check alarmed, and setting it.
bool LoadMultivariateAlert(pqxx::transaction_base& tx, std::int64_t model_id);
void SaveMultivariateAlert(pqxx::transaction_base& tx, std::int64_t model_id, bool alert);
std::vector<DriftRow> LoadReferenceRows(pqxx::transaction_base& tx, std::int64_t model_id);
// The last `limit` predictions with seq above `after_seq` (at least; whole blocks), newest first.
std::vector<DriftRow> LoadRecentRows(pqxx::transaction_base& tx, std::int64_t model_id,
                                     std::int64_t after_seq, std::size_t limit);
void RecordDriftCheck(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t checked_at_received,
                      bool dataset_drift);
// A successful retrain: an 'auto' reference is rebuilt from the next predictions; counters restart.
void ResetDriftBaseline(pqxx::transaction_base& tx, std::int64_t model_id);
// Replaces the reference with an uploaded one; returns its size.
std::int64_t ReplaceReference(pqxx::transaction_base& tx, std::int64_t model_id,
                              std::span<const domain::PredictionRecord> records);

// The latest data-quality verdict: an incident and the broken features (JSON array of names).
struct DataQualityRow {
  bool incident = false;
  std::vector<std::string> broken_features{};
};
void SaveDataQuality(pqxx::transaction_base& tx, std::int64_t model_id, const DataQualityRow& verdict);
DataQualityRow LoadDataQuality(pqxx::transaction_base& tx, std::int64_t model_id);

std::string LoadEstimatedCode(pqxx::transaction_base& tx, std::int64_t model_id);
void SaveEstimatedCode(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& code);

// The first `capacity` of `records` (new predictions) by data time, then id, COPYed in as 'auto' reference
// rows; returns how many.
std::size_t CopyAutoReference(pqxx::transaction_base& tx, std::int64_t model_id,
                              const std::vector<const domain::PredictionRecord*>& records,
                              std::size_t capacity);

// Deletes a deleted model's reference and its drift bookkeeping (db/model_removal.h).
void DeleteModelDrift(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db

// The SQL of model_drift: a model's data-drift bookkeeping, its data-quality veto and estimate state (V006,
// V020). Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

namespace driftgate::db::sql {

// Locks the model's drift row for this transaction (creating it), serializing reference capture.
// The no-op update writes a column other than model_id: Citus refuses to update a distribution column.
inline constexpr const char* kLockDriftRow =
    "INSERT INTO model_drift (model_id) VALUES ($1) ON CONFLICT (model_id) DO UPDATE SET source = "
    "model_drift.source RETURNING source, reference_count";
inline constexpr const char* kPeekDriftRow =
    "SELECT source, reference_count, reference_version FROM model_drift WHERE model_id = $1";
inline constexpr const char* kCountDriftProgress =
    "UPDATE model_drift SET received = received + $2, reference_count = reference_count + $3 WHERE "
    "model_id = $1 RETURNING received, last_check_received, reference_count";
inline constexpr const char* kDriftState =
    "SELECT source, reference_count, reference_version, baseline_seq, received, "
    "last_check_received, last_dataset_drift FROM model_drift WHERE model_id = $1";
// The latest multivariate check's alarm (migrations/V020__multiclass_cbpe_multivariate.sql).
inline constexpr const char* kMultivariateAlert =
    "SELECT last_multivariate_alert FROM model_drift WHERE model_id = $1";
inline constexpr const char* kSetMultivariateAlert =
    "UPDATE model_drift SET last_multivariate_alert = $2 WHERE model_id = $1";
inline constexpr const char* kRecordCheck =
    "UPDATE model_drift SET last_check_received = $2, last_dataset_drift = $3 WHERE model_id = $1";
inline constexpr const char* kResetDriftBaseline =
    "UPDATE model_drift SET baseline_seq = (SELECT coalesce(max(seq * 1048576 + n - 1), 0) FROM "
    "prediction_blocks WHERE model_id = $1), received = 0, last_check_received = 0, "
    "last_dataset_drift = false, reference_count = CASE WHEN source = 'auto' THEN 0 ELSE "
    "reference_count END, reference_version = reference_version + CASE WHEN source = 'auto' THEN 1 "
    "ELSE 0 END WHERE model_id = $1";
inline constexpr const char* kReplaceReference =
    "INSERT INTO model_drift (model_id, source, reference_count) VALUES ($1, 'uploaded', $2) ON "
    "CONFLICT (model_id) DO UPDATE SET source = 'uploaded', reference_count = "
    "EXCLUDED.reference_count, reference_version = model_drift.reference_version + 1, "
    "last_check_received = 0, last_dataset_drift = false RETURNING reference_count";
inline constexpr const char* kSetDataQuality =
    "UPDATE model_drift SET dq_incident = $2, dq_broken = $3::jsonb WHERE model_id = $1";
inline constexpr const char* kDataQuality =
    "SELECT dq_incident, dq_broken::text FROM model_drift WHERE model_id = $1";
inline constexpr const char* kEstimatedCode = "SELECT estimated_code FROM model_drift WHERE model_id = $1";
inline constexpr const char* kSetEstimatedCode =
    "UPDATE model_drift SET estimated_code = $2 WHERE model_id = $1";

inline constexpr const char* kDeleteModelDrift = "DELETE FROM model_drift WHERE model_id = $1";

}  // namespace driftgate::db::sql

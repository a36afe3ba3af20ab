// The SQL of dle_models: the regression estimate's fitted models (db/dle_repo.h).
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

#include "db/sql/time.h"

namespace driftgate::db::sql {

// One index probe per reference row, as kLabelledReference (record_keys.record_id is COLLATE "C").
inline constexpr const char* kLabelledRegressionReference =
    "SELECT coalesce(r.features::text, '{}'), r.pred_value, k.value FROM reference_records r JOIN "
    "LATERAL (SELECT k.value FROM record_keys k WHERE k.model_id = r.model_id AND k.kind = 'l' AND "
    "k.record_id = r.record_id COLLATE \"C\" AND k.value IS NOT NULL LIMIT 1) k ON true WHERE "
    "r.model_id = $1 AND r.pred_value IS NOT NULL ORDER BY r.record_id COLLATE \"C\"";
inline constexpr const char* kCountLabelledRegressionReference =
    "SELECT count(*) FROM reference_records r WHERE r.model_id = $1 AND r.pred_value IS NOT NULL "
    "AND EXISTS (SELECT 1 FROM record_keys k WHERE k.model_id = r.model_id AND k.kind = 'l' AND "
    "k.record_id = r.record_id COLLATE \"C\" AND k.value IS NOT NULL)";
inline constexpr const char* kDleFitInfo = "SELECT reference_version, params, labelled, " DRIFTGATE_SQL_TO_US(
    "fitted_at") " FROM dle_models WHERE model_id = $1";
inline constexpr const char* kDleFit = "SELECT reference_version, params, labelled, " DRIFTGATE_SQL_TO_US(
    "fitted_at") ", abs_model, sq_model, encoding::text FROM dle_models WHERE model_id = $1";
// EXCLUDED.fitted_at is the proposed row's default, clock_timestamp(), and the time is converted outside
// RETURNING: Citus allows only immutable functions in DO UPDATE SET and RETURNING on distributed tables.
inline constexpr const char* kSaveDleFit =
    "WITH f AS (INSERT INTO dle_models (model_id, reference_version, params, labelled, abs_model, "
    "sq_model, encoding) VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb) ON CONFLICT (model_id) DO "
    "UPDATE SET reference_version = EXCLUDED.reference_version, params = EXCLUDED.params, labelled "
    "= EXCLUDED.labelled, fitted_at = EXCLUDED.fitted_at, abs_model = EXCLUDED.abs_model, sq_model "
    "= EXCLUDED.sq_model, encoding = EXCLUDED.encoding RETURNING fitted_at) SELECT " DRIFTGATE_SQL_TO_US(
        "fitted_at") " FROM f";

inline constexpr const char* kDeleteModelDle = "DELETE FROM dle_models WHERE model_id = $1";

}  // namespace driftgate::db::sql

// The SQL of model_features: a model's feature dictionary for input quality per prediction (V011).
// Named, with $n placeholders; times cross as microseconds since the Unix epoch (db/sql/time.h).
#pragma once

namespace driftgate::db::sql {

inline constexpr const char* kFeatureDictionary =
    "SELECT position, name, missing_rate, type_error_rate FROM model_features WHERE model_id = $1";
// $2 positions (smallint[]), $3 names (text[]), $4 missing rates, $5 type-error rates (float8[]).
inline constexpr const char* kUpsertFeatures =
    "INSERT INTO model_features (model_id, position, name, missing_rate, type_error_rate) SELECT "
    "$1, u.position, u.name, u.missing_rate, u.type_error_rate FROM unnest($2::smallint[], "
    "$3::text[], $4::float8[], $5::float8[]) AS u(position, name, missing_rate, type_error_rate) "
    "ON CONFLICT (model_id, position) DO UPDATE SET missing_rate = EXCLUDED.missing_rate, "
    "type_error_rate = EXCLUDED.type_error_rate";

inline constexpr const char* kDeleteModelFeatures = "DELETE FROM model_features WHERE model_id = $1";

}  // namespace driftgate::db::sql

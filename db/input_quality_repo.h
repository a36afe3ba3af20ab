// The model's feature dictionary (migrations/V011__input_quality.sql): positions that name the features of
// the input-fault codes stored with each prediction (core/evaluate/input_quality.h).
#pragma once

#include <cstdint>
#include <map>
#include <pqxx/pqxx>
#include <string>

#include "core/evaluate/data_quality.h"
#include "core/evaluate/input_quality.h"

namespace driftgate::db {

evaluate::FeatureDictionary LoadFeatureDictionary(pqxx::transaction_base& tx, std::int64_t model_id);

// Gives every feature of `reference` a position (kept once given; new names get the next free ones, in name
// order) and stores the reference's missing and type-error rates as their baselines. Returns name →
// position for the features of `reference` (those beyond evaluate::kMaxFeaturePositions get none). Writes,
// under the dictionary's advisory lock, only when something changes; the caller's transaction commits it.
std::map<std::string, std::uint16_t> SyncFeatureDictionary(pqxx::transaction_base& tx, std::int64_t model_id,
                                                           const evaluate::ReferenceProfile& reference);

// Deletes a deleted model's feature dictionary (db/model_removal.h).
void DeleteModelFeatures(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db

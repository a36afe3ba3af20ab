// The retrains table: runs requested by decisions, the pipeline's status reports, the closed-loop check
// (migrations/V005) and the carbon deferral they were requested with (V007).
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "core/domain/history.h"

namespace driftgate::db {

std::optional<domain::RetrainRow> FindRetrain(pqxx::transaction_base& tx, std::int64_t model_id,
                                              const std::string& retrain_id);
void UpdateRetrainStatus(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& retrain_id,
                         const std::string& status, const std::optional<std::string>& model_version);

struct NewRetrain {
  std::string id{};
  std::string decision_id{};
};
// A requested run with its carbon deferral (a JSON object, V007; nullopt: the model has no deferral
// window), written whole in the transaction of the decision that requests it.
NewRetrain InsertRetrain(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& reason,
                         const std::string& kpis_json, std::int64_t requested_at_us,
                         const std::optional<std::string>& deferral_json = std::nullopt);

// Records that retrain `retrain_id`'s success started `generation`.
void SetRetrainGeneration(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& retrain_id,
                          int generation);

struct UnjudgedRetrain {
  std::string id{};
  std::string kpis_json{};  // the breach that caused it
};
// The succeeded retrain that started `generation`, when its outcome is still unknown.
std::optional<UnjudgedRetrain> FindUnjudgedRetrain(pqxx::transaction_base& tx, std::int64_t model_id,
                                                   int generation);
void SetRetrainOutcome(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& retrain_id,
                       const std::string& outcome, std::int64_t at_us, const std::string& kpis_json);

// Deletes a deleted model's retrains (db/model_removal.h).
void DeleteModelRetrains(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db

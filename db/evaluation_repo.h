// What an evaluation reads and writes under the model's lock: its persisted state, the KPI series,
// drift events and decisions. The retrain a decision requests and its webhook are db/retrains_repo.h's and
// db/outbox_repo.h's.
#pragma once

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>

#include "core/evaluate/evaluator.h"

namespace driftgate::db {

// Identifies one write of a model's state row: its version and the writing transaction's id (xmin).
struct StateStamp {
  std::int64_t version = 0;
  std::int64_t xmin = 0;
};

std::optional<std::string> LoadState(pqxx::transaction_base& tx, std::int64_t model_id);
// The stamp of the stored state, without reading the state itself; nullopt when there is none.
std::optional<StateStamp> LoadStateStamp(pqxx::transaction_base& tx, std::int64_t model_id);
// Writes the state and returns the new row's stamp.
StateStamp SaveState(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& state_json);
// Deletes the state with its segments' window chunks (service/evaluation/segment_windows.h).
void DeleteState(pqxx::transaction_base& tx, std::int64_t model_id);

void InsertMetric(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us, int generation,
                  int n, const std::string& kpis_json);
void InsertDriftEvent(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                      const std::string& kind, const std::string& detail_json);

// A segment's data-drift result: a drift event of kind "data" named by its segment.
void InsertSegmentDriftEvent(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t at_us,
                             const std::string& segment, const std::string& detail_json);

struct NewDecision {
  std::optional<std::string> id{};  // a preassigned id (retrain decisions), else generated
  std::int64_t at_us = 0;
  std::string action{};
  std::string reason{};
  std::string reason_code{};
  std::string kpis_json{};
  std::string detectors_json{};
  std::optional<std::string> retrain_id{};
  std::optional<std::string> segment{};        // the segment it judges; nullopt: the whole stream
  std::optional<std::string> deferral_json{};  // the retrain's carbon deferral (V007); nullopt: none
};
std::string InsertDecision(pqxx::transaction_base& tx, std::int64_t model_id, const NewDecision& d);

evaluate::PolicyFacts LoadPolicyFacts(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t now_us);

// Deletes a deleted model's evaluation (db/model_removal.h): its state, decisions, KPI points and drift
// events.
void DeleteModelEvaluation(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db

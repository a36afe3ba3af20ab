// What an evaluation reads and writes under the model's lock: its persisted state, the KPI series,
// drift events, decisions, retrain runs and their outbox rows.
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

struct NewDecision {
  std::optional<std::string> id{};  // a preassigned id (retrain decisions), else generated
  std::int64_t at_us = 0;
  std::string action{};
  std::string reason{};
  std::string reason_code{};
  std::string kpis_json{};
  std::string detectors_json{};
  std::optional<std::string> retrain_id{};
  std::optional<std::string> segment{};  // the segment it judges; nullopt: the whole stream
};
std::string InsertDecision(pqxx::transaction_base& tx, std::int64_t model_id, const NewDecision& d);

evaluate::PolicyFacts LoadPolicyFacts(pqxx::transaction_base& tx, std::int64_t model_id, std::int64_t now_us);

struct NewRetrain {
  std::string id{};
  std::string decision_id{};
};
NewRetrain InsertRetrain(pqxx::transaction_base& tx, std::int64_t model_id, const std::string& reason,
                         const std::string& kpis_json, std::int64_t requested_at_us);
// `secret` as the model holds it (sealed); `secrets_key_id` the key it is sealed under (nullopt: a
// legacy plaintext row, see migrations/V015__sealed_secrets.sql).
void InsertOutbox(pqxx::transaction_base& tx, const std::string& webhook_id, std::int64_t model_id,
                  const std::string& retrain_id, const std::string& url, const std::string& secret,
                  const std::string& body, const std::optional<std::string>& secrets_key_id);

}  // namespace driftgate::db

// The stored pairs a policy backtest replays, grouped into the live path's evaluations (db/sql/records.h
// kDeclareReplayCursor says how), read through a cursor in the caller's transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <pqxx/pqxx>
#include <span>

#include "core/evaluate/evaluator.h"

namespace driftgate::db {

// Makes `tx` a read-only snapshot (REPEATABLE READ, READ ONLY). Must be the transaction's first statement.
void MakeReadOnlySnapshot(pqxx::transaction_base& tx);

// Calls `on_evaluation` once per live evaluation, in live order, with its pairs in arrival order; only
// labels with data time in [from_us, to_us) (each bound optional).
void ForEachEvaluation(pqxx::transaction_base& tx, std::int64_t model_id, std::optional<std::int64_t> from_us,
                       std::optional<std::int64_t> to_us,
                       const std::function<void(std::span<const evaluate::LabeledEvent>)>& on_evaluation);

}  // namespace driftgate::db

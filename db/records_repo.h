// Predictions, labels and the queue of pairs completed late. Batches go through COPY into a
// session-local staging table and one insert-select with conflict skip: idempotent by record id, one
// round trip per statement, never row by row (shared/DESIGN.md "Performance").
#pragma once

#include <cstdint>
#include <functional>
#include <pqxx/pqxx>
#include <span>
#include <vector>

#include "core/domain/records.h"
#include "core/evaluate/evaluator.h"

namespace driftgate::db {

struct PredictionInsert {
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
  std::size_t completed_pairs = 0;  // waiting labels that these predictions matched (now in eval_queue)
  std::size_t added_to_reference = 0;
};

// Stores the new predictions of `records` (known ids are skipped) and queues waiting labels they match.
// Up to `reference_capacity` of the new ones also join the model's 'auto' drift reference: then the whole
// rows are staged (StagePredictions) and inserted with the reference in one statement. Otherwise only the
// ids and targets are staged (`stage_keys`), the new ids claimed in record_keys, and just those rows
// COPYed into predictions.
// `before_rows`, when given, runs after the new ids are claimed and before the rows are written (and get
// their seq): the caller's serialization point (IngestService takes the drift row's lock there, so a
// model's rows commit in seq order while the id claims of its batches still run side by side).
PredictionInsert InsertPredictions(pqxx::transaction_base& tx, std::int64_t model_id,
                                   std::span<const domain::PredictionRecord> records,
                                   std::size_t reference_capacity = 0,
                                   const std::function<void()>& before_rows = {});

// COPYs `records` into the session's staging table `stage_predictions` (emptied at commit).
void StagePredictions(pqxx::transaction_base& tx, std::span<const domain::PredictionRecord> records);

struct LabelInsert {
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
  std::size_t unmatched = 0;
  std::vector<evaluate::LabeledEvent> events{};  // accepted labels whose prediction is known, batch order
};

// Stores the new labels of `records`; the caller holds the model's exclusive lock.
LabelInsert InsertLabels(pqxx::transaction_base& tx, std::int64_t model_id,
                         std::span<const domain::LabelRecord> records);
// The same in two steps: StageLabels before the lock (it needs none), then the insert.
void StageLabels(pqxx::transaction_base& tx, std::span<const domain::LabelRecord> records);
LabelInsert InsertStagedLabels(pqxx::transaction_base& tx, std::int64_t model_id, std::size_t staged);

// Removes and returns the pairs completed by late predictions, oldest first.
std::vector<evaluate::LabeledEvent> TakeQueuedPairs(pqxx::transaction_base& tx, std::int64_t model_id);
bool HasQueuedPairs(pqxx::transaction_base& tx, std::int64_t model_id);

// Takes the model's evaluation lock for this transaction (exclusive) or the ingest side of it (shared).
void LockModel(pqxx::transaction_base& tx, std::int64_t model_id);
void LockModelShared(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db

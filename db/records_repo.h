// Predictions, labels and the queue of pairs completed late. Idempotent by record id, one round trip per
// statement, never row by row (bench/README.md). A prediction batch is stored as one block
// (migrations/V012__prediction_blocks.sql): its ids are looked up among the model's blocks under a
// per-model lock held to commit, and the new records are COPYed as one row. A label batch whose ids are
// all new — the common case — COPYs its key rows straight into record_keys (inside a savepoint, in id
// order) and its rows straight into their partition; a batch with a known id falls back to COPY into a
// session-local staging table and one insert-select with conflict skip, which sorts out which are new.
#pragma once

#include <cstdint>
#include <functional>
#include <pqxx/pqxx>
#include <span>
#include <string>
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

// Stores the new predictions of `records` (known ids and repeats within the batch are skipped) as one
// block and queues waiting labels they match. Up to `reference_capacity` of the new ones (the first by
// data time, then id) also join the model's 'auto' drift reference.
// `before_rows`, when given, is the caller's serialization point (IngestService takes the drift row's lock
// there, so a model's blocks commit in seq order); the ids are probed and the block encoded before it,
// and only the blocks committed since the probe are read under it (migrations/V016). Without it the
// caller holds its lock already and the ids are looked up once. The model's insert lock is taken after it
// and held to commit: a concurrent batch sharing ids waits and then sees this one's block.
PredictionInsert InsertPredictions(pqxx::transaction_base& tx, std::int64_t model_id,
                                   std::span<const domain::PredictionRecord> records,
                                   std::size_t reference_capacity = 0,
                                   const std::function<void()>& before_rows = {});

// COPYs `records` into the session's staging table `stage_predictions` (emptied at commit): an uploaded
// reference's rows.
void StagePredictions(pqxx::transaction_base& tx, std::span<const domain::PredictionRecord> records);

// An accepted label as StoreLabels leaves it for MatchLabels.
struct StoredLabel {
  std::string id{};
  evaluate::LabeledEvent event{};  // the label side; the prediction side too once matched
  bool matched = false;
};

struct LabelInsert {
  std::size_t accepted = 0;
  std::size_t duplicates = 0;
  std::size_t unmatched = 0;  // set by MatchLabels
  // Set by MatchLabels: the accepted labels whose prediction is known, in batch order.
  std::vector<evaluate::LabeledEvent> events{};
  // StoreLabels' accepted labels in batch order (MatchLabels empties it).
  std::vector<StoredLabel> stored{};
};

// Labels are stored and claimed without the model's lock and paired under it, exactly once either way:
//   StoreLabels   (no lock)        claims the new labels' ids and stores them, matched when their
//                                  prediction is already committed;
//   MatchLabels   (exclusive lock) looks again for the predictions of those that found none — a prediction
//                                  batch takes the shared lock before writing and holds it to commit, so
//                                  every prediction batch either committed before (seen here) or runs its
//                                  own match of waiting labels after this commits (sees the label then).
// A label's pair is made by exactly one side: a prediction batch's match sees only committed labels, and a
// label sees a prediction only once that batch committed, after its match ran.
LabelInsert StoreLabels(pqxx::transaction_base& tx, std::int64_t model_id,
                        std::span<const domain::LabelRecord> records);
void MatchLabels(pqxx::transaction_base& tx, std::int64_t model_id, LabelInsert& ins);
// Both, for callers that hold the model's exclusive lock already (tests, tools).
LabelInsert InsertLabels(pqxx::transaction_base& tx, std::int64_t model_id,
                         std::span<const domain::LabelRecord> records);

// Removes and returns the pairs completed by late predictions, oldest first.
std::vector<evaluate::LabeledEvent> TakeQueuedPairs(pqxx::transaction_base& tx, std::int64_t model_id);
bool HasQueuedPairs(pqxx::transaction_base& tx, std::int64_t model_id);

// A prediction key row's `broken` column, as text (migrations/V011__input_quality.sql), into the pair's
// input_judged / input_faults: NULL is judged without fault, '{}' not judged, '{9,14}' the fault codes.
void ReadInputFaults(kpi::Pair& pair, const pqxx::field& broken);

// Takes the model's evaluation lock for this transaction (exclusive) or the ingest side of it (shared).
void LockModel(pqxx::transaction_base& tx, std::int64_t model_id);
void LockModelShared(pqxx::transaction_base& tx, std::int64_t model_id);

// Deletes every record of a deleted model (db/model_removal.h): its prediction blocks and their keys,
// labels, record keys and queued pairs.
void DeleteModelRecords(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db

// What a threshold suggestion reads besides the replayed pairs (db/replay_repo.h): the labelled reference.
#pragma once

#include <cstdint>
#include <pqxx/pqxx>
#include <vector>

#include "core/evaluate/evaluator.h"

namespace driftgate::db {

// The model's data-drift reference records that have a label, as labelled pairs (the reference's
// prediction side, the label's class or value) with the label's data time; oldest label first.
std::vector<evaluate::LabeledEvent> LoadReferencePairs(pqxx::transaction_base& tx, std::int64_t model_id);

}  // namespace driftgate::db

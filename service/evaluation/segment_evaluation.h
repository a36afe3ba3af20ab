// The segments' part of an evaluation (core/evaluate/segments.h), inside the caller's transaction under
// the model's lock: their KPI points and their due decisions (a segment retrain with its run and webhook,
// as the whole stream's), written with the evaluation that judged them.
#pragma once

#include <pqxx/pqxx>

#include "core/domain/model.h"
#include "core/evaluate/segments.h"

namespace driftgate::service {

struct SegmentsWritten {
  bool decision_written = false;
  bool retrain_requested = false;
};

SegmentsWritten RecordSegments(pqxx::transaction_base& tx, const domain::Model& model,
                               const evaluate::SegmentsOutcome& outcome, std::int64_t at_us);

}  // namespace driftgate::service

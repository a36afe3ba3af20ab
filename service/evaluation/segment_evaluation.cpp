#include "service/evaluation/segment_evaluation.h"

#include <pqxx/pqxx>

#include "codec/decision_codec.h"
#include "db/evaluation_repo.h"
#include "db/pool.h"
#include "db/segments_repo.h"
#include "service/evaluation/evaluation.h"

namespace driftgate::service {

SegmentsWritten RecordSegments(pqxx::transaction_base& tx, const domain::Model& model,
                               const evaluate::SegmentsOutcome& outcome, std::int64_t at_us) {
  SegmentsWritten written;
  std::vector<db::SegmentPoint> points;
  points.reserve(outcome.results.size());
  for (const auto& r : outcome.results) {
    points.push_back(db::SegmentPoint{.segment = r.segment,
                                      .at_us = at_us,
                                      .n = static_cast<int>(r.n),
                                      .state = std::string(r.state),
                                      .kpis_json = codec::KpisJson(r.kpis)});
  }
  db::InsertSegmentMetrics(tx, model.id, at_us, model.generation, points);
  for (const auto& d : outcome.decisions) {
    const std::string kpis_text = codec::KpisJson(d.kpis);
    db::NewDecision row{.at_us = at_us,
                        .action = std::string(evaluate::ActionName(d.action)),
                        .reason = d.reason,
                        .reason_code = d.reason_code,
                        .kpis_json = kpis_text,
                        .detectors_json = "[]",
                        .segment = d.segment};
    if (d.action == evaluate::Action::kRetrain) {
      InsertRetrainDecision(tx, model, row);
      written.retrain_requested = true;
    } else {
      db::InsertDecision(tx, model.id, row);
    }
    written.decision_written = true;
  }
  return written;
}

}  // namespace driftgate::service

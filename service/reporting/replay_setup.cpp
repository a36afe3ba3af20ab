#include "service/reporting/replay_setup.h"

#include <algorithm>
#include <pqxx/pqxx>

#include "db/replay_repo.h"
#include "service/models/models_service.h"

namespace driftgate::service {

void DataSpan::Add(std::int64_t ts_us) {
  first_us = first_us ? std::min(*first_us, ts_us) : ts_us;
  last_us = last_us ? std::max(*last_us, ts_us) : ts_us;
}

void DataSpan::Add(std::span<const evaluate::LabeledEvent> events) {
  for (const auto& e : events) Add(e.ts_us);
}

Status InModelSnapshot(db::Pool& pool, const std::string& model_name, const SnapshotStep& report) {
  return db::Transact<Ok>(pool, [&](pqxx::work& tx) -> Status {
    db::MakeReadOnlySnapshot(tx);  // first statement: nothing below can write
    auto model = LoadModel(tx, model_name);
    if (!model.ok()) return model.error();
    return report(tx, *model);
  });
}

void ForEachReplayBatch(pqxx::transaction_base& tx, std::int64_t model_id,
                        const std::optional<std::int64_t>& from_us, const std::optional<std::int64_t>& to_us,
                        DataSpan& span,
                        const std::function<void(std::span<const evaluate::LabeledEvent>)>& batch) {
  db::ForEachEvaluation(tx, model_id, from_us, to_us, [&](std::span<const evaluate::LabeledEvent> events) {
    span.Add(events);
    batch(events);
  });
}

}  // namespace driftgate::service

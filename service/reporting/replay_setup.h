// What the policy backtest (backtest_service.h) and the threshold suggestion (suggest_service.h) share:
// one REPEATABLE READ, READ ONLY snapshot with the model loaded, and the stored labelled pairs read as
// the live path evaluated them, with the span of data time they cover. For service sources only: it
// names libpqxx's transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/evaluator.h"
#include "db/pool.h"

namespace driftgate::service {

// The first and last data time among the pairs seen.
struct DataSpan {
  std::optional<std::int64_t> first_us{};
  std::optional<std::int64_t> last_us{};

  void Add(std::int64_t ts_us);
  void Add(std::span<const evaluate::LabeledEvent> events);
};

// The model `model_name` loaded in a read-only snapshot (db::MakeReadOnlySnapshot is the first
// statement, so nothing `report` does can write). NotFound when there is no such model.
using SnapshotStep = std::function<Status(pqxx::transaction_base& tx, const domain::Model& model)>;
Status InModelSnapshot(db::Pool& pool, const std::string& model_name, const SnapshotStep& report);

// Every stored evaluation's pairs whose label's data time is in [from, to) (an absent bound is open),
// oldest first, one evaluation per call of `batch`; adds each pair's data time to `span`.
void ForEachReplayBatch(pqxx::transaction_base& tx, std::int64_t model_id,
                        const std::optional<std::int64_t>& from_us, const std::optional<std::int64_t>& to_us,
                        DataSpan& span,
                        const std::function<void(std::span<const evaluate::LabeledEvent>)>& batch);

}  // namespace driftgate::service

// The sustainability ledger (README.md "Sustainability ledger and policy backtests"): per model and for the
// fleet, the retrains requested, suppressed, judged did_not_help, and avoided versus a periodic baseline
// schedule, with the energy and CO2e spent and avoided. core/evaluate/ledger.h has the arithmetic.
//
// Periods count in data time (the records' ts). A given period is [from, to), like every other range
// query; an omitted bound defaults to the model's first (from) or last (to, then inclusive) data time
// among its predictions, labels and evaluations. Retrains count by their request's data time,
// suppressed decisions by theirs. The fleet answer sums the models, each over its own period when no
// bound is given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/ledger.h"
#include "db/handles.h"

namespace driftgate::service {

struct LedgerPeriod {
  std::optional<std::int64_t> from_us{};
  std::optional<std::int64_t> to_us{};
};

// One model's ledger over `period` (the given bounds, or the model's data span).
struct ModelLedger {
  std::string model{};
  evaluate::Ledger ledger{};
  LedgerPeriod period{};
  double baseline_schedule_days = 0.0;
  std::optional<domain::RetrainCost> retrain_cost{};
};

// The fleet: the models' figures summed, over the union of their periods.
struct FleetLedger {
  evaluate::Ledger total{};
  LedgerPeriod period{};
  std::vector<ModelLedger> models{};
  int uncosted_models = 0;  // models without a retrain_cost: counted, but they add no energy
};

class SustainabilityService {
 public:
  explicit SustainabilityService(db::Pool& pool) : pool_(pool) {}

  // Rendered by api/dto/ledger.h (openapi.yaml SustainabilityLedger).
  Result<ModelLedger> Model(const std::string& model, const LedgerPeriod& period);
  // The same figures summed over every model, and the per-model ledgers.
  Result<FleetLedger> Fleet(const LedgerPeriod& period);
  // The per-model ledgers of Fleet() over each model's whole data span, for the first `max_models`
  // models in name order only (GET /metrics exports no more).
  Result<std::vector<ModelLedger>> FirstModels(std::size_t max_models);
  // A number that changes after any write to the database (db::TableWriteCount): while it stays the
  // same, every ledger stays the same too.
  Result<std::int64_t> WriteCount();

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service

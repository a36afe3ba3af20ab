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
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.h"
#include "db/handles.h"

namespace driftgate::service {

struct LedgerPeriod {
  std::optional<std::int64_t> from_us{};
  std::optional<std::int64_t> to_us{};
};

class SustainabilityService {
 public:
  explicit SustainabilityService(db::Pool& pool) : pool_(pool) {}

  // {"model", "retrains": {"requested", "suppressed", "baseline", "avoided", "did_not_help"},
  //  "energy_kwh": {"spent", "avoided"}, "co2e_kg": {"spent", "avoided"}, "period": {"from", "to"}, ...}
  Result<nlohmann::json> Model(const std::string& model, const LedgerPeriod& period);
  // The same figures summed over every model, and "models": the per-model ledgers.
  Result<nlohmann::json> Fleet(const LedgerPeriod& period);
  // The per-model ledgers of Fleet() over each model's whole data span, for the first `max_models`
  // models in name order only (GET /metrics exports no more), as a JSON array.
  Result<nlohmann::json> FirstModels(std::size_t max_models);
  // A number that changes after any write to the database (db::TableWriteCount): while it stays the
  // same, every ledger stays the same too.
  Result<std::int64_t> WriteCount();

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service

// Policy backtests (README.md "Sustainability ledger and policy backtests"): a candidate model config
// replayed over the model's stored predictions and labels through the live evaluator, side by side with the
// model's current config. Reads one REPEATABLE READ, READ ONLY snapshot: it writes nothing — no decision,
// metric, retrain, outbox row or state — and so sends nothing. core/evaluate/backtest.h states the
// simulated retrain bookkeeping and what breach_seconds_unserved measures.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/error.h"
#include "db/handles.h"

namespace driftgate::service {

struct BacktestRequest {
  nlohmann::json config{};  // the candidate: a model document as for POST /v1/models; name, webhook optional
  std::optional<std::int64_t> from_us{};  // labels' data time, [from, to); absent: all stored history
  std::optional<std::int64_t> to_us{};
  double assume_retrain_hours = 1.0;  // a simulated retrain succeeds this much data time after its request
};

// `{"config": {...}, "from": "...", "to": "...", "assume_retrain_hours": 1}`; unknown fields are refused.
Result<BacktestRequest> ParseBacktestRequest(const nlohmann::json& body);

// The backtest inside the caller's transaction `tx`, which db::MakeReadOnlySnapshot has already made a
// read-only snapshot: a threshold suggestion (service/reporting/suggest_service.h) attaches the backtest of
// its config over the very data it read. BacktestService::Run is this in a transaction of its own.
Result<nlohmann::json> RunBacktestIn(pqxx::transaction_base& tx, const std::string& model,
                                     const BacktestRequest& request);

class BacktestService {
 public:
  explicit BacktestService(db::Pool& pool) : pool_(pool) {}

  // The candidate's figures at the top level and the current config's under "current":
  // {"retrains", "decisions", "breach_seconds_unserved", "energy_kwh", "co2e_kg", ...}.
  Result<nlohmann::json> Run(const std::string& model, const BacktestRequest& request);

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service

// Policy backtests (README.md "Sustainability ledger and policy backtests"): a candidate model config
// replayed over the model's stored predictions and labels through the live evaluator, side by side with the
// model's current config. Reads one REPEATABLE READ, READ ONLY snapshot: it writes nothing — no decision,
// metric, retrain, outbox row or state — and so sends nothing. core/evaluate/backtest.h states the
// simulated retrain bookkeeping and what breach_seconds_unserved measures.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/backtest.h"
#include "db/handles.h"

namespace driftgate::service {

struct BacktestRequest {
  // The candidate, a model document as for POST /v1/models parsed by api/dto/backtest.h (name and webhook
  // optional). When it is invalid, its error (on "config.<field>") is the answer once the model is found:
  // an unknown model is reported first.
  Result<domain::ModelConfig> candidate = Error::Invalid("config", "config: is required");
  std::optional<std::int64_t> from_us{};  // labels' data time, [from, to); absent: all stored history
  std::optional<std::int64_t> to_us{};
  double assume_retrain_hours = 1.0;  // a simulated retrain succeeds this much data time after its request
};

// A decision the replay took, described as the live path stores one (service/evaluation/evaluation.h).
struct BacktestDecision {
  std::int64_t at_us = 0;  // data time
  std::string action{};
  std::string reason{};
  std::string reason_code{};
  std::string kpis_json{};       // a JSON object, as decisions.kpis
  std::string detectors_json{};  // a JSON array, as decisions.detectors
  std::optional<std::string> segment{};
};

// One config's replay.
struct BacktestFigures {
  std::vector<BacktestDecision> decisions{};  // the evaluations whose decision was due, in order
  std::vector<evaluate::SimulatedRetrain> retrains{};
  std::int64_t breach_us_unserved = 0;
  std::optional<double> energy_kwh{};  // the retrains priced by the config's retrain_cost; none: unknown
  std::optional<double> co2e_kg{};
  std::size_t evaluations = 0;
  std::size_t pairs = 0;
};

// Rendered by api/dto/backtest.h (openapi.yaml BacktestResult).
struct BacktestReport {
  std::string model{};
  BacktestFigures candidate{};
  BacktestFigures current{};
  std::optional<std::int64_t> from_us{};  // the period replayed: the request's, else the data's span
  std::optional<std::int64_t> to_us{};
  double assume_retrain_hours = 1.0;
};

// The backtest of `candidate` against `model`'s current config inside the caller's transaction `tx`,
// which db::MakeReadOnlySnapshot has already made a read-only snapshot: a threshold suggestion
// (service/reporting/suggest_service.h) attaches the backtest of its config over the very data it read.
// A candidate without a retrain_cost is priced by the model's.
Result<BacktestReport> RunBacktestIn(pqxx::transaction_base& tx, const domain::Model& model,
                                     const domain::ModelConfig& candidate, const BacktestRequest& request);

class BacktestService {
 public:
  explicit BacktestService(db::Pool& pool) : pool_(pool) {}

  // RunBacktestIn in a read-only snapshot of its own. NotFound for an unknown model.
  Result<BacktestReport> Run(const std::string& model, const BacktestRequest& request);

 private:
  db::Pool& pool_;
};

}  // namespace driftgate::service

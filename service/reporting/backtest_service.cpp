#include "service/reporting/backtest_service.h"

#include <spdlog/spdlog.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "codec/decision_codec.h"
#include "db/input_quality_repo.h"
#include "service/reporting/replay_setup.h"

namespace driftgate::service {
namespace {

constexpr double kMicrosPerHour = 3600.0 * 1e6;

BacktestDecision Describe(const evaluate::Outcome& out) {
  const codec::DecisionContent c = codec::DescribeOutcome(out);
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
  return {.at_us = out.at_us,
          .action = c.action,
          .reason = c.reason,
          .reason_code = c.reason_code,
          .kpis_json = c.kpis.dump(-1, ' ', false, kReplace),
          .detectors_json = c.detectors.dump(-1, ' ', false, kReplace),
          .segment = out.segment};
}

// One config's figures; `cost` prices its retrains (nullopt: energy and CO2e unknown).
BacktestFigures Figures(const evaluate::Backtest& bt, const std::optional<domain::RetrainCost>& cost) {
  const auto n = static_cast<double>(bt.retrains().size());
  std::vector<BacktestDecision> decisions;
  decisions.reserve(bt.decisions().size());
  for (const auto& out : bt.decisions()) decisions.push_back(Describe(out));
  return {.decisions = std::move(decisions),
          .retrains = bt.retrains(),
          .breach_us_unserved = bt.breach_us_unserved(),
          .energy_kwh = cost ? std::optional<double>(n * cost->EnergyKwh()) : std::nullopt,
          .co2e_kg = cost ? std::optional<double>(n * cost->Co2eKg()) : std::nullopt,
          .evaluations = bt.evaluations(),
          .pairs = bt.pairs()};
}

}  // namespace

Result<BacktestReport> BacktestService::Run(const std::string& model_name, const BacktestRequest& request) {
  std::optional<BacktestReport> report;
  auto st = InModelSnapshot(pool_, model_name,
                            [&](pqxx::transaction_base& tx, const domain::Model& model) -> Status {
                              if (!request.candidate.ok()) return request.candidate.error();
                              auto ran = RunBacktestIn(tx, model, *request.candidate, request);
                              if (!ran.ok()) return ran.error();
                              report = std::move(ran).value();
                              return Ok{};
                            });
  if (!st.ok()) return st.error();
  return std::move(*report);
}

Result<BacktestReport> RunBacktestIn(pqxx::transaction_base& tx, const domain::Model& model,
                                     const domain::ModelConfig& candidate, const BacktestRequest& request) {
  const auto assume_us =
      static_cast<std::int64_t>(std::llround(request.assume_retrain_hours * kMicrosPerHour));
  const evaluate::FeatureDictionary features = db::LoadFeatureDictionary(tx, model.id);
  auto proposed = evaluate::Backtest::Start(candidate, assume_us, features);
  if (!proposed.ok()) return proposed.error();
  auto current = evaluate::Backtest::Start(model.config, assume_us, features);
  if (!current.ok()) return current.error();

  DataSpan span;
  ForEachReplayBatch(tx, model.id, request.from_us, request.to_us, span,
                     [&](std::span<const evaluate::LabeledEvent> events) {
                       proposed->Feed(events);
                       current->Feed(events);
                     });

  const auto& cost = candidate.retrain_cost ? candidate.retrain_cost : model.config.retrain_cost;
  spdlog::info("backtest: model={} pairs={} evaluations={} retrains={} (current {})", model.config.name,
               proposed->pairs(), proposed->evaluations(), proposed->retrains().size(),
               current->retrains().size());
  return BacktestReport{.model = model.config.name,
                        .candidate = Figures(*proposed, cost),
                        .current = Figures(*current, model.config.retrain_cost),
                        .from_us = request.from_us ? request.from_us : span.first_us,
                        .to_us = request.to_us ? request.to_us : span.last_us,
                        .assume_retrain_hours = request.assume_retrain_hours};
}

}  // namespace driftgate::service

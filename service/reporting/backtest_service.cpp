#include "service/reporting/backtest_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <pqxx/pqxx>

#include "codec/decision_codec.h"
#include "codec/model_config.h"
#include "core/domain/time.h"
#include "core/evaluate/backtest.h"
#include "db/input_quality_repo.h"
#include "db/pool.h"
#include "db/replay_repo.h"
#include "service/evaluation/evaluation.h"
#include "service/models/models_service.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

constexpr double kMicrosPerHour = 3600.0 * 1e6;

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }

// One config's figures; `cost` prices its retrains (nullopt: energy and CO2e unknown).
json Figures(const evaluate::Backtest& bt, const std::optional<domain::RetrainCost>& cost) {
  json decisions = json::array();
  for (const auto& out : bt.decisions()) {
    const codec::DecisionContent c = codec::DescribeOutcome(out);
    decisions.push_back({{"at", domain::FormatRfc3339(out.at_us)},
                         {"action", c.action},
                         {"reason", c.reason},
                         {"reason_code", c.reason_code},
                         {"kpis", c.kpis},
                         {"detectors", c.detectors},
                         {"segment", out.segment ? json(*out.segment) : json(nullptr)}});
  }
  json retrains = json::array();
  for (const auto& r : bt.retrains()) {
    retrains.push_back({{"requested_at", domain::FormatRfc3339(r.requested_at_us)},
                        {"assumed_succeeded_at", domain::FormatRfc3339(r.assumed_succeeded_at_us)}});
  }
  const auto n = static_cast<double>(bt.retrains().size());
  json out{{"retrains", bt.retrains().size()},
           {"decisions", std::move(decisions)},
           {"breach_seconds_unserved", static_cast<double>(bt.breach_us_unserved()) / 1e6},
           {"energy_kwh", OptionalNumber(cost ? std::optional<double>(n * cost->EnergyKwh()) : std::nullopt)},
           {"co2e_kg", OptionalNumber(cost ? std::optional<double>(n * cost->Co2eKg()) : std::nullopt)},
           {"retrain_requests", std::move(retrains)},
           {"evaluations", bt.evaluations()},
           {"pairs", bt.pairs()}};
  return out;
}

}  // namespace

Result<BacktestRequest> ParseBacktestRequest(const json& body) {
  if (!body.is_object()) return Error::Invalid("body", "body: must be a JSON object");
  BacktestRequest req;
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& k = it.key();
    if (k != "config" && k != "from" && k != "to" && k != "assume_retrain_hours") {
      return Error::Invalid(MemberPath("", k), MemberPath("", k) + ": unknown field");
    }
  }
  if (!body.contains("config") || !body["config"].is_object()) {
    return Error::Invalid("config", "config: is required (a model document, as for POST /v1/models)");
  }
  req.config = body["config"];
  for (const char* key : {"from", "to"}) {
    if (!body.contains(key) || body[key].is_null()) continue;
    const auto ts = body[key].is_string() ? domain::ParseRfc3339(body[key].get<std::string>()) : std::nullopt;
    if (!ts)
      return Error::Invalid(key, std::string(key) + ": must be an RFC 3339 time, e.g. 2026-11-23T06:00:00Z");
    if (auto why = domain::OutsideTimeDomain(*ts, domain::kMaxTimeUs + 1)) {
      return Error::Invalid(key, std::string(key) + ": " + *why);
    }
    (std::string(key) == "from" ? req.from_us : req.to_us) = *ts;
  }
  if (req.from_us && req.to_us && *req.from_us >= *req.to_us)
    return Error::Invalid("to", "to: must be after from");
  if (body.contains("assume_retrain_hours")) {
    const json& h = body["assume_retrain_hours"];
    if (!h.is_number() || !(h.get<double>() >= 0 && h.get<double>() <= 8760)) {
      return Error::Invalid("assume_retrain_hours",
                            "assume_retrain_hours: must be a number of hours in [0, 8760]");
    }
    req.assume_retrain_hours = h.get<double>();
  }
  return req;
}

Result<json> BacktestService::Run(const std::string& model_name, const BacktestRequest& request) {
  return db::Transact<json>(pool_, [&](pqxx::work& tx) -> Result<json> {
    db::MakeReadOnlySnapshot(tx);  // first statement: nothing below can write
    return RunBacktestIn(tx, model_name, request);
  });
}

Result<json> RunBacktestIn(pqxx::transaction_base& tx, const std::string& model_name,
                           const BacktestRequest& request) {
  const auto assume_us =
      static_cast<std::int64_t>(std::llround(request.assume_retrain_hours * kMicrosPerHour));
  auto model = LoadModel(tx, model_name);
  if (!model.ok()) return model.error();

  // The candidate is validated as POST /v1/models validates; name and webhook default to the model's.
  json doc = request.config;
  if (!doc.contains("webhook")) doc["webhook"] = {{"url", model->config.webhook.url}};
  auto candidate = codec::ParseModelConfig(doc, &model_name);
  if (!candidate.ok()) {
    Error e = candidate.error();
    e.field = "config." + e.field;
    e.message = "config." + e.message;
    return e;
  }
  const evaluate::FeatureDictionary features = db::LoadFeatureDictionary(tx, model->id);
  auto proposed = evaluate::Backtest::Start(*candidate, assume_us, features);
  if (!proposed.ok()) return proposed.error();
  auto current = evaluate::Backtest::Start(model->config, assume_us, features);
  if (!current.ok()) return current.error();

  std::optional<std::int64_t> first_us, last_us;
  db::ForEachEvaluation(tx, model->id, request.from_us, request.to_us,
                        [&](std::span<const evaluate::LabeledEvent> events) {
                          for (const auto& e : events) {
                            first_us = first_us ? std::min(*first_us, e.ts_us) : e.ts_us;
                            last_us = last_us ? std::max(*last_us, e.ts_us) : e.ts_us;
                          }
                          proposed->Feed(events);
                          current->Feed(events);
                        });

  const auto& cost = candidate->retrain_cost ? candidate->retrain_cost : model->config.retrain_cost;
  json out = Figures(*proposed, cost);
  out["current"] = Figures(*current, model->config.retrain_cost);
  const auto from = request.from_us ? request.from_us : first_us;
  const auto to = request.to_us ? request.to_us : last_us;
  out["model"] = model_name;
  out["period"] = {{"from", from ? json(domain::FormatRfc3339(*from)) : json(nullptr)},
                   {"to", to ? json(domain::FormatRfc3339(*to)) : json(nullptr)}};
  out["assume_retrain_hours"] = request.assume_retrain_hours;
  // Said in every answer, so nobody reads a backtest as covering them (openapi.yaml BacktestResult).
  out["not_simulated"] = json::array({"carbon_deferral"});
  spdlog::info("backtest: model={} pairs={} evaluations={} retrains={} (current {})", model_name,
               proposed->pairs(), proposed->evaluations(), proposed->retrains().size(),
               current->retrains().size());
  return out;
}

}  // namespace driftgate::service

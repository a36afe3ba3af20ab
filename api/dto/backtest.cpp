#include "api/dto/backtest.h"

#include "api/dto/replay.h"
#include "codec/json_read.h"
#include "codec/model_config.h"
#include "core/domain/time.h"

namespace driftgate::api::dto {
namespace {

using nlohmann::json;

// A backtest sends nothing, so a candidate given without a webhook needs only one that validates; it is
// never shown. (The reserved .invalid domain, RFC 2606, resolves nowhere.)
constexpr const char* kUnusedWebhookUrl = "https://backtest.invalid/";

json OptionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json FiguresJson(const service::BacktestFigures& f) {
  json decisions = json::array();
  for (const auto& d : f.decisions) {
    decisions.push_back({{"at", domain::FormatRfc3339(d.at_us)},
                         {"action", d.action},
                         {"reason", d.reason},
                         {"reason_code", d.reason_code},
                         {"kpis", json::parse(d.kpis_json, nullptr, false)},
                         {"detectors", json::parse(d.detectors_json, nullptr, false)},
                         {"segment", d.segment ? json(*d.segment) : json(nullptr)}});
  }
  json retrains = json::array();
  for (const auto& r : f.retrains) {
    retrains.push_back({{"requested_at", domain::FormatRfc3339(r.requested_at_us)},
                        {"assumed_succeeded_at", domain::FormatRfc3339(r.assumed_succeeded_at_us)}});
  }
  return {{"retrains", f.retrains.size()},
          {"decisions", std::move(decisions)},
          {"breach_seconds_unserved", static_cast<double>(f.breach_us_unserved) / 1e6},
          {"energy_kwh", OptionalNumber(f.energy_kwh)},
          {"co2e_kg", OptionalNumber(f.co2e_kg)},
          {"retrain_requests", std::move(retrains)},
          {"evaluations", f.evaluations},
          {"pairs", f.pairs}};
}

Result<domain::ModelConfig> ParseCandidate(json doc, const std::string& model) {
  if (!doc.contains("webhook")) doc["webhook"] = {{"url", kUnusedWebhookUrl}};
  auto candidate = codec::ParseModelConfig(doc, &model);
  if (candidate.ok()) return candidate;
  Error e = candidate.error();
  e.field = "config." + e.field;
  e.message = "config." + e.message;
  return e;
}

}  // namespace

Result<service::BacktestRequest> ParseBacktestRequest(const json& body, const std::string& model) {
  if (!body.is_object()) return Error::Invalid("body", "body: must be a JSON object");
  if (auto e = codec::UnknownFields(body, {"config", "from", "to", "assume_retrain_hours"}, "")) return *e;
  if (!body.contains("config") || !body["config"].is_object()) {
    return Error::Invalid("config", "config: is required (a model document, as for POST /v1/models)");
  }
  service::BacktestRequest req;
  if (auto st = ParsePeriod(body, req.from_us, req.to_us); !st.ok()) return st.error();
  if (auto st = ParseAssumeRetrainHours(body, req.assume_retrain_hours); !st.ok()) return st.error();
  req.candidate = ParseCandidate(body["config"], model);
  return req;
}

json BacktestReportJson(const service::BacktestReport& report) {
  json out = FiguresJson(report.candidate);
  out["current"] = FiguresJson(report.current);
  out["model"] = report.model;
  out["period"] = {{"from", OptionalTimeJson(report.from_us)}, {"to", OptionalTimeJson(report.to_us)}};
  out["assume_retrain_hours"] = report.assume_retrain_hours;
  // Said in every answer, so nobody reads a backtest as covering them (openapi.yaml BacktestResult).
  out["not_simulated"] = json::array({"carbon_deferral"});
  return out;
}

}  // namespace driftgate::api::dto

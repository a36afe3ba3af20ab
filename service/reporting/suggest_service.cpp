#include "service/reporting/suggest_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <pqxx/pqxx>

#include "codec/model_config.h"
#include "core/domain/time.h"
#include "db/pool.h"
#include "db/replay_repo.h"
#include "db/suggest_repo.h"
#include "service/models/models_service.h"
#include "service/reporting/backtest_service.h"

namespace driftgate::service {
namespace {

using nlohmann::json;

json Finite(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }

// The interval method per metric, as core/kpi/intervals.h states it.
const char* IntervalMethod(kpi::Metric m) {
  switch (m) {
    case kpi::Metric::kAccuracy:
    case kpi::Metric::kPrecision:
    case kpi::Metric::kRecall:
      return "wilson";
    case kpi::Metric::kRocAuc:
      return "delong";
    case kpi::Metric::kLogLoss:
    case kpi::Metric::kMae:
    case kpi::Metric::kMape:
    case kpi::Metric::kRmse:
      return "student_t";
    default:
      return "jackknife";  // f1, macro_f1, weighted_f1, r2
  }
}

json SuggestionJson(const evaluate::ThresholdSuggestion& s) {
  json o{{"interval_method", IntervalMethod(s.metric)}, {"rule", s.rule}};
  if (s.estimate) {
    o["value"] = Finite(s.estimate->value);
    o["lower"] = Finite(s.estimate->lower);
    o["upper"] = Finite(s.estimate->upper);
    o["n"] = s.estimate->n;
  } else {
    o["value"] = o["lower"] = o["upper"] = nullptr;
    o["n"] = 0;
  }
  o["suggested"] = nullptr;
  if (s.threshold) {
    o["suggested"] = s.threshold->min ? json{{"min", *s.threshold->min}} : json{{"max", *s.threshold->max}};
  }
  o["in_config"] = nullptr;
  return o;
}

Status ParseTime(const json& body, const char* key, std::optional<std::int64_t>& out) {
  if (!body.contains(key) || body[key].is_null()) return Ok{};
  const auto ts = body[key].is_string() ? domain::ParseRfc3339(body[key].get<std::string>()) : std::nullopt;
  if (!ts)
    return Error::Invalid(key, std::string(key) + ": must be an RFC 3339 time, e.g. 2026-11-23T06:00:00Z");
  if (auto why = domain::OutsideTimeDomain(*ts, domain::kMaxTimeUs + 1)) {
    return Error::Invalid(key, std::string(key) + ": " + *why);
  }
  out = *ts;
  return Ok{};
}

Status ParseTolerance(const json& t, evaluate::Tolerance& out) {
  if (!t.is_object()) return Error::Invalid("tolerance", "tolerance: must be an object {absolute, relative}");
  for (auto it = t.begin(); it != t.end(); ++it) {
    const std::string field = MemberPath("tolerance", it.key());
    const bool absolute = it.key() == "absolute";
    if (!absolute && it.key() != "relative") return Error::Invalid(field, field + ": unknown field");
    // A tolerance of a whole unit or more would suggest thresholds no KPI could breach.
    if (!it->is_number() || !(it->get<double>() >= 0.0 && it->get<double>() < 1.0)) {
      return Error::Invalid(field, field + ": must be a number in [0, 1)");
    }
    (absolute ? out.absolute : out.relative) = it->get<double>();
  }
  return Ok{};
}

Status ParseKpiList(const json& k, std::vector<kpi::Metric>& out) {
  if (!k.is_array() || k.empty() || k.size() > 16) {
    return Error::Invalid("kpis", "kpis: must be a non-empty array of metric names");
  }
  for (std::size_t i = 0; i < k.size(); ++i) {
    const std::string field = "kpis[" + std::to_string(i) + "]";
    const auto metric = k[i].is_string() ? kpi::ParseMetric(k[i].get<std::string>()) : std::nullopt;
    if (!metric) return Error::Invalid(field, field + ": must be a metric name, e.g. accuracy");
    if (std::find(out.begin(), out.end(), *metric) != out.end()) {
      return Error::Invalid(field, field + ": duplicate metric");
    }
    out.push_back(*metric);
  }
  return Ok{};
}

// The model's config with the chosen metrics' thresholds replaced by the suggested ones (a metric without a
// suggestion keeps its configured threshold, or is left out); marks `kpis_out[metric].in_config`. nullopt
// when no KPI remains. The webhook is left out: the backtest uses the model's, and a read-scoped caller must
// not see its URL (it may carry a credential).
std::optional<json> SuggestedConfig(const domain::ModelConfig& current,
                                    const std::vector<kpi::Metric>& chosen,
                                    const std::vector<evaluate::ThresholdSuggestion>& suggestions,
                                    json& kpis_out) {
  domain::ModelConfig config = current;
  config.kpis.clear();
  for (const auto metric : chosen) {
    const std::string name(kpi::MetricName(metric));
    const auto s = std::find_if(suggestions.begin(), suggestions.end(),
                                [&](const evaluate::ThresholdSuggestion& x) { return x.metric == metric; });
    const auto configured = std::find_if(current.kpis.begin(), current.kpis.end(),
                                         [&](const domain::KpiSpec& k) { return k.metric == metric; });
    if (s != suggestions.end() && s->threshold) {
      config.kpis.push_back(*s->threshold);
      kpis_out[name]["in_config"] = "suggested";
    } else if (configured != current.kpis.end()) {
      config.kpis.push_back(*configured);
      kpis_out[name]["in_config"] = "current";
    }
  }
  if (config.kpis.empty()) return std::nullopt;
  json doc = codec::ModelConfigToJson(config);
  doc.erase("webhook");
  return doc;
}

}  // namespace

Result<SuggestRequest> ParseSuggestRequest(const json& body) {
  if (!body.is_object()) return Error::Invalid("body", "body: must be a JSON object");
  SuggestRequest req;
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& k = it.key();
    if (k != "from" && k != "to" && k != "tolerance" && k != "kpis" && k != "assume_retrain_hours") {
      return Error::Invalid(MemberPath("", k), MemberPath("", k) + ": unknown field");
    }
  }
  if (auto st = ParseTime(body, "from", req.from_us); !st.ok()) return st.error();
  if (auto st = ParseTime(body, "to", req.to_us); !st.ok()) return st.error();
  if (req.from_us && req.to_us && *req.from_us >= *req.to_us)
    return Error::Invalid("to", "to: must be after from");
  if (body.contains("tolerance")) {
    if (auto st = ParseTolerance(body["tolerance"], req.tolerance); !st.ok()) return st.error();
  }
  if (body.contains("kpis")) {
    req.kpis.emplace();
    if (auto st = ParseKpiList(body["kpis"], *req.kpis); !st.ok()) return st.error();
  }
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

Result<json> SuggestService::Run(const std::string& model_name, const SuggestRequest& request) {
  return db::Transact<json>(pool_, [&](pqxx::work& tx) -> Result<json> {
    db::MakeReadOnlySnapshot(tx);  // first statement: nothing below can write
    auto model = LoadModel(tx, model_name);
    if (!model.ok()) return model.error();
    const domain::ModelConfig& config = model->config;
    std::vector<kpi::Metric> chosen;
    for (const auto& k : config.kpis) chosen.push_back(k.metric);
    if (request.kpis) chosen = *request.kpis;
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      if (!kpi::MetricAppliesTo(chosen[i], config.task)) {
        const std::string field = "kpis[" + std::to_string(i) + "]";
        return Error::Invalid(field, field + ": " + std::string(kpi::MetricName(chosen[i])) +
                                         " does not apply to " + std::string(kpi::TaskName(config.task)));
      }
    }

    const bool reference = !request.from_us && !request.to_us;
    std::vector<evaluate::LabeledEvent> events;
    if (reference) {
      events = db::LoadReferencePairs(tx, model->id);
    } else {
      db::ForEachEvaluation(tx, model->id, request.from_us, request.to_us,
                            [&](std::span<const evaluate::LabeledEvent> batch) {
                              events.insert(events.end(), batch.begin(), batch.end());
                            });
    }
    std::vector<kpi::Pair> pairs;
    pairs.reserve(events.size());
    std::optional<std::int64_t> first_us, last_us;
    for (auto& e : events) {
      first_us = first_us ? std::min(*first_us, e.ts_us) : e.ts_us;
      last_us = last_us ? std::max(*last_us, e.ts_us) : e.ts_us;
      pairs.push_back(std::move(e.pair));
    }
    const auto suggestions =
        evaluate::SuggestThresholds(config.task, pairs, config.evaluation.confidence, request.tolerance);

    json kpis = json::object();
    for (const auto& s : suggestions) kpis[std::string(kpi::MetricName(s.metric))] = SuggestionJson(s);
    const auto suggested = SuggestedConfig(config, chosen, suggestions, kpis);
    json backtest = nullptr;
    if (suggested) {
      BacktestRequest bt{.config = *suggested, .assume_retrain_hours = request.assume_retrain_hours};
      auto ran = RunBacktestIn(tx, model_name, bt);
      if (!ran.ok()) return ran.error();
      backtest = std::move(ran).value();
    }
    const auto when = [](const std::optional<std::int64_t>& t) {
      return t ? json(domain::FormatRfc3339(*t)) : json(nullptr);
    };
    json out{
        {"model", model_name},
        {"task", std::string(kpi::TaskName(config.task))},
        {"baseline",
         {{"source", reference ? "reference" : "period"},
          {"from", when(reference ? first_us : request.from_us)},
          {"to", when(reference ? last_us : request.to_us)},
          {"pairs", pairs.size()}}},
        {"confidence", config.evaluation.confidence},
        {"tolerance", {{"absolute", request.tolerance.absolute}, {"relative", request.tolerance.relative}}},
        {"kpis", std::move(kpis)},
        {"config", suggested ? *suggested : json(nullptr)},
        {"backtest", std::move(backtest)}};
    spdlog::info("suggest: model={} baseline={} pairs={}", model_name, reference ? "reference" : "period",
                 pairs.size());
    return out;
  });
}

}  // namespace driftgate::service

#include "api/dto/suggest.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "api/dto/backtest.h"
#include "api/dto/replay.h"
#include "codec/json_read.h"
#include "codec/model_config.h"
#include "core/domain/time.h"

namespace driftgate::api::dto {
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

json SuggestedConfigJson(const std::optional<domain::ModelConfig>& config) {
  if (!config) return nullptr;
  json doc = codec::ModelConfigToJson(*config);
  doc.erase("webhook");
  return doc;
}

}  // namespace

Result<service::SuggestRequest> ParseSuggestRequest(const json& body) {
  if (!body.is_object()) return Error::Invalid("body", "body: must be a JSON object");
  if (auto e = codec::UnknownFields(body, {"from", "to", "tolerance", "kpis", "assume_retrain_hours"}, "")) {
    return *e;
  }
  service::SuggestRequest req;
  if (auto st = ParsePeriod(body, req.from_us, req.to_us); !st.ok()) return st.error();
  if (body.contains("tolerance")) {
    if (auto st = ParseTolerance(body["tolerance"], req.tolerance); !st.ok()) return st.error();
  }
  if (body.contains("kpis")) {
    req.kpis.emplace();
    if (auto st = ParseKpiList(body["kpis"], *req.kpis); !st.ok()) return st.error();
  }
  if (auto st = ParseAssumeRetrainHours(body, req.assume_retrain_hours); !st.ok()) return st.error();
  return req;
}

json SuggestReportJson(const service::SuggestReport& r) {
  json kpis = json::object();
  for (const auto& s : r.suggestions) kpis[std::string(kpi::MetricName(s.metric))] = SuggestionJson(s);
  for (const auto& [metric, source] : r.in_config)
    kpis[std::string(kpi::MetricName(metric))]["in_config"] = source;
  return {{"model", r.model},
          {"task", std::string(kpi::TaskName(r.task))},
          {"baseline",
           {{"source", r.from_reference ? "reference" : "period"},
            {"from", OptionalTimeJson(r.from_us)},
            {"to", OptionalTimeJson(r.to_us)},
            {"pairs", r.pairs}}},
          {"confidence", r.confidence},
          {"tolerance", {{"absolute", r.tolerance.absolute}, {"relative", r.tolerance.relative}}},
          {"kpis", std::move(kpis)},
          {"config", SuggestedConfigJson(r.config)},
          {"backtest", r.backtest ? BacktestReportJson(*r.backtest) : json(nullptr)}};
}

}  // namespace driftgate::api::dto

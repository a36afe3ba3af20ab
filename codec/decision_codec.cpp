#include "codec/decision_codec.h"

#include <optional>

#include "core/domain/time.h"

namespace driftgate::codec {

using nlohmann::json;

json KpisToJson(const std::vector<evaluate::KpiResult>& kpis) {
  json out = json::object();
  for (const auto& k : kpis) {
    json o{{"value", k.estimate.value},
           {"lower", k.estimate.lower},
           {"upper", k.estimate.upper},
           {"n", k.estimate.n}};
    o["threshold"] = k.threshold ? json(*k.threshold) : json(nullptr);
    if (k.threshold) o["bound"] = k.is_min ? "min" : "max";
    o["confirmed_breach"] = k.confirmed;
    out[std::string(kpi::MetricName(k.metric))] = std::move(o);
  }
  return out;
}

std::string KpisJson(const std::vector<evaluate::KpiResult>& kpis) { return KpisToJson(kpis).dump(); }

json AlarmToJson(const evaluate::Alarm& a) {
  json o{{"detector", a.detector},
         {"index", a.detector_index},
         {"signal", a.signal == detect::Signal::kDrift ? "drift" : "warning"},
         {"at", domain::FormatRfc3339(a.at_us)}};
  if (a.signal == detect::Signal::kDrift) {
    o["window_kept"] = a.window_kept;
  } else {
    o["count"] = a.count;
  }
  return o;
}

DecisionContent DescribeOutcome(const evaluate::Outcome& out) {
  DecisionContent c{.action = std::string(evaluate::ActionName(out.action)),
                    .reason = out.reason,
                    .reason_code = out.reason_code,
                    .kpis = KpisToJson(out.kpis),
                    .detectors = json::array()};
  for (const auto& a : out.alarms) c.detectors.push_back(AlarmToJson(a));
  return c;
}

std::string DeferralJson(std::int64_t requested_us, const evaluate::DeferralPlan& plan,
                         const domain::PolicySpec& policy) {
  auto number = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  const char* reason = !plan.covered ? "the forecast does not cover the window: sent now"
                       : plan.scheduled_us == requested_us
                           ? "now is the lowest-carbon slot of the window"
                           : "deferred to the lowest-carbon slot of the window";
  const json doc = {{"requested_at", domain::FormatRfc3339(requested_us)},
                    {"scheduled_for", domain::FormatRfc3339(plan.scheduled_us)},
                    {"window_hours", policy.deferral_hours},
                    {"region", policy.grid_region},
                    {"g_per_kwh_now", number(plan.g_per_kwh_now)},
                    {"g_per_kwh_scheduled", number(plan.g_per_kwh_scheduled)},
                    {"reason", reason}};
  return doc.dump();
}

}  // namespace driftgate::codec

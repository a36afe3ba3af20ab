// The JSON of what an evaluation decides, in the one form it is stored (decision rows, metric points,
// drift events), sent (the retrain webhook's `kpis` and `deferral`) and returned (a backtest's decisions):
//   kpis       {"accuracy": {"value", "lower", "upper", "n", "threshold", "bound", "confirmed_breach"}}
//   detectors  one object per alarm: {"detector", "index", "signal", "at", "window_kept" | "count"}
//   deferral   {"requested_at", "scheduled_for", "window_hours", "region", "g_per_kwh_now",
//               "g_per_kwh_scheduled", "reason"}, intensities null when unknown (core/evaluate/deferral.h)
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/evaluate/deferral.h"
#include "core/evaluate/evaluator.h"

namespace driftgate::codec {

nlohmann::json KpisToJson(const std::vector<evaluate::KpiResult>& kpis);
// KpisToJson as text, for a row's kpis column.
std::string KpisJson(const std::vector<evaluate::KpiResult>& kpis);
nlohmann::json AlarmToJson(const evaluate::Alarm& alarm);

// What a due decision records: the live path stores it, a backtest returns it (one rendering for both).
struct DecisionContent {
  std::string action{};
  std::string reason{};
  std::string reason_code{};
  nlohmann::json kpis{};       // as KpisToJson
  nlohmann::json detectors{};  // an array of AlarmToJson
};
DecisionContent DescribeOutcome(const evaluate::Outcome& out);

// The carbon-aware schedule of a retrain's webhook requested at `requested_us` (wall time) under `policy`.
std::string DeferralJson(std::int64_t requested_us, const evaluate::DeferralPlan& plan,
                         const domain::PolicySpec& policy);

}  // namespace driftgate::codec

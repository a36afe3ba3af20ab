#include "core/evaluate/estimated.h"

#include <cstdio>

namespace driftgate::evaluate {
namespace {

std::string Format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

EstimatedOutcome JudgeEstimated(const domain::ModelConfig& config,
                                const std::vector<std::pair<kpi::Metric, kpi::Estimate>>& estimates,
                                const PolicyFacts& facts, std::int64_t at_us) {
  EstimatedOutcome out;
  std::string names, why;
  for (const auto& spec : config.kpis) {
    for (const auto& [metric, e] : estimates) {
      if (metric != spec.metric) continue;
      KpiResult r{.metric = metric, .estimate = e};
      if (spec.min) {
        r.threshold = spec.min;
        r.wrong_side = e.value < *spec.min;
        r.confirmed = e.n >= config.evaluation.min_samples && e.upper < *spec.min;
      } else if (spec.max) {
        r.threshold = spec.max;
        r.is_min = false;
        r.wrong_side = e.value > *spec.max;
        r.confirmed = e.n >= config.evaluation.min_samples && e.lower > *spec.max;
      }
      if (r.confirmed) {
        const std::string m(kpi::MetricName(metric));
        names += (names.empty() ? "" : ",") + m;
        why += (why.empty() ? "" : "; ") + m + " " + Format(e.value) + " [" + Format(e.lower) + ", " +
               Format(e.upper) + "]" + (r.is_min ? " below minimum " : " above maximum ") +
               Format(*r.threshold) + " (n=" + std::to_string(e.n) + ")";
      }
      out.kpis.push_back(r);
    }
  }
  if (names.empty()) return out;
  // Regression models are estimated by DLE (core/dle/dle.h), classifiers by CBPE (core/kpi/cbpe.h).
  why = std::string("estimated breach (") + (config.task == kpi::Task::kRegression ? "DLE" : "CBPE") +
        ", no labels): " + why;
  if (!config.policy.allow_estimated) {
    out.action = Action::kWarn;
    out.reason_code = "warn:estimated:" + names;
    out.reason = why + "; a label-free estimate warns only (policy.allow_estimated is false)";
    return out;
  }
  const std::int64_t cooldown_us = config.policy.cooldown_seconds * 1'000'000;
  out.action = Action::kSuppressed;
  if (facts.data_quality_incident) {
    std::string features;
    for (const auto& f : facts.broken_features) features += (features.empty() ? "" : ", ") + f;
    out.reason_code = "suppressed:data_quality";
    out.reason = why + "; data-quality incident on " + features;
  } else if (facts.retrain_in_flight) {
    out.reason_code = "suppressed:in_flight";
    out.reason = why + "; a retrain is still requested or running";
  } else if (facts.last_retrain_at_us && at_us - *facts.last_retrain_at_us < cooldown_us) {
    out.reason_code = "suppressed:cooldown";
    out.reason = why + "; inside the cooldown after the last retrain";
  } else if (facts.retrains_last_24h >= config.policy.max_retrains_per_day) {
    out.reason_code = "suppressed:budget";
    out.reason = why + "; daily retrain budget used";
  } else {
    out.action = Action::kRetrain;
    out.reason_code = "retrain:estimated:" + names;
    out.reason = why + "; policy.allow_estimated is true";
  }
  return out;
}

}  // namespace driftgate::evaluate

#include "core/evaluate/evaluator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/evaluate/input_veto.h"

namespace driftgate::evaluate {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

std::string Format(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

}  // namespace

KpiResult JudgeKpi(const domain::KpiSpec& spec, const kpi::Estimate& e, std::size_t min_samples) {
  KpiResult r{.metric = spec.metric, .estimate = e};
  if (spec.min) {
    r.threshold = spec.min;
    r.is_min = true;
    r.wrong_side = e.value < *spec.min;
    r.confirmed = e.n >= min_samples && e.upper < *spec.min;
  } else if (spec.max) {
    r.threshold = spec.max;
    r.is_min = false;
    r.wrong_side = e.value > *spec.max;
    r.confirmed = e.n >= min_samples && e.lower > *spec.max;
  }
  return r;
}

std::string DescribeKpi(const KpiResult& k) {
  std::string s(kpi::MetricName(k.metric));
  s += " " + Format(k.estimate.value) + " [" + Format(k.estimate.lower) + ", " + Format(k.estimate.upper) +
       "]";
  if (k.threshold) s += (k.is_min ? " below minimum " : " above maximum ") + Format(*k.threshold);
  s += " (n=" + std::to_string(k.estimate.n) + ")";
  return s;
}

namespace {

std::string JoinMetricNames(const std::vector<const KpiResult*>& ks) {
  std::string s;
  for (const auto* k : ks) {
    if (!s.empty()) s += ",";
    s += kpi::MetricName(k->metric);
  }
  return s;
}

}  // namespace

std::string_view ActionName(Action action) {
  switch (action) {
    case Action::kNone:
      return "none";
    case Action::kWarn:
      return "warn";
    case Action::kRetrain:
      return "retrain";
    case Action::kSuppressed:
      return "suppressed";
  }
  return "none";
}

std::string Fingerprint(const domain::ModelConfig& config) {
  std::string f = std::string(kpi::TaskName(config.task)) + "|" + std::to_string(config.evaluation.window) +
                  "|" + std::to_string(static_cast<int>(config.error_metric));
  for (const auto& d : config.detectors) {
    f += "|" + d.type;
    for (const auto& [k, v] : d.params) {
      f += ";" + k + "=";
      if (const auto* x = std::get_if<double>(&v)) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", *x);
        f += buf;
      } else if (const auto* b = std::get_if<bool>(&v)) {
        f += *b ? "true" : "false";
      } else {
        f += std::get<std::string>(v);
      }
    }
  }
  return f;
}

Result<State> FreshState(const domain::ModelConfig& config) {
  State state;
  for (const auto& spec : config.detectors) {
    auto d = detect::Make(spec);
    if (!d.ok()) return d.error();
    state.detectors.push_back(std::move(d).value());
  }
  state.fingerprint = Fingerprint(config);
  return state;
}

Status Reconcile(const domain::ModelConfig& config, State& state) {
  const std::string fp = Fingerprint(config);
  if (fp == state.fingerprint && state.detectors.size() == config.detectors.size()) return Ok{};
  auto fresh = FreshState(config);
  if (!fresh.ok()) return fresh.error();
  state.detectors = std::move(fresh->detectors);
  state.fingerprint = fp;
  if (state.window.size() > config.evaluation.window) {
    state.window.erase(state.window.begin(),
                       state.window.end() - static_cast<std::ptrdiff_t>(config.evaluation.window));
  }
  return Ok{};
}

double ErrorValue(kpi::Task task, domain::ErrorMetric error_metric, const kpi::Pair& pair) {
  if (task != kpi::Task::kRegression) return pair.predicted == pair.actual ? 0.0 : 1.0;
  const double e = pair.predicted_value - pair.actual_value;
  return error_metric == domain::ErrorMetric::kSquared ? e * e : std::fabs(e);
}

namespace {

// Feeds every pair's error to the detectors and the pair to the KPI window; a drift alarm restarts the
// window at the shortest new regime a detector reports. Warnings are reported once per detector, with
// their count and first time.
void FeedDetectors(const domain::ModelConfig& config, State& state, std::span<const LabeledEvent> events,
                   Outcome& out) {
  const std::size_t capacity = std::max<std::size_t>(config.evaluation.window, 1);
  std::vector<std::size_t> warnings(state.detectors.size(), 0);
  std::vector<std::int64_t> first_warning_at(state.detectors.size(), 0);
  for (const auto& ev : events) {
    out.at_us = std::max(out.at_us, ev.ts_us);
    state.window.push_back(ev.pair);
    const double err = ErrorValue(config.task, config.error_metric, ev.pair);
    std::optional<std::size_t> keep;                    // the shortest new regime any detector reports
    const std::size_t first_alarm = out.alarms.size();  // this pair's drift alarms start here
    for (std::size_t i = 0; i < state.detectors.size(); ++i) {
      const detect::Signal s = state.detectors[i]->Update(err);
      if (s == detect::Signal::kDrift) {
        const std::size_t k = state.detectors[i]->ElementsSinceChange();
        keep = keep ? std::min(*keep, k) : k;
        out.alarms.push_back(Alarm{.detector = std::string(state.detectors[i]->Name()),
                                   .detector_index = i,
                                   .signal = detect::Signal::kDrift,
                                   .at_us = ev.ts_us});
      } else if (s == detect::Signal::kWarning) {
        if (warnings[i]++ == 0) first_warning_at[i] = ev.ts_us;
      }
    }
    if (keep) {
      // Never more than the capacity: the window holds up to 2x capacity between amortized trims.
      const std::size_t k = std::min({*keep, state.window.size(), capacity});
      state.window.erase(state.window.begin(), state.window.end() - static_cast<std::ptrdiff_t>(k));
      // Only this pair's alarms: matching by timestamp would also hit earlier alarms of the batch that
      // share it (labels without ts all get the arrival time).
      for (std::size_t a = first_alarm; a < out.alarms.size(); ++a) out.alarms[a].window_kept = k;
    }
    if (state.window.size() > 2 * capacity) {  // amortized trimming keeps the push O(1)
      state.window.erase(state.window.begin(), state.window.end() - static_cast<std::ptrdiff_t>(capacity));
    }
  }
  if (state.window.size() > capacity) {
    state.window.erase(state.window.begin(), state.window.end() - static_cast<std::ptrdiff_t>(capacity));
  }
  for (std::size_t i = 0; i < warnings.size(); ++i) {
    if (warnings[i] == 0) continue;
    out.alarms.push_back(Alarm{.detector = std::string(state.detectors[i]->Name()),
                               .detector_index = i,
                               .signal = detect::Signal::kWarning,
                               .at_us = first_warning_at[i],
                               .count = warnings[i]});
  }
}

// A confirmed breach: a retrain, unless the input-quality veto or the policy (in flight, cooldown, daily
// budget) suppresses it.
void DecideBreach(const domain::ModelConfig& config, const State& state, const PolicyFacts& facts,
                  const std::vector<const KpiResult*>& confirmed, Outcome& out) {
  std::string why = "confirmed breach: " + DescribeKpi(*confirmed.front());
  for (std::size_t i = 1; i < confirmed.size(); ++i) why += "; " + DescribeKpi(*confirmed[i]);
  const std::int64_t cooldown_us = config.policy.cooldown_seconds * kMicrosPerSecond;
  // The input quality of this window's own pairs (input_veto.h): its note says whether the clean pairs
  // confirm the breach, or that no verdict was possible.
  const Veto veto = JudgeBreach(config, state.window, facts.input_features);
  why += veto.note;
  out.action = Action::kSuppressed;
  if (veto.outcome == VetoOutcome::kSuppress) {
    out.reason_code = "suppressed:data_quality";
    out.reason = why;
  } else if (facts.retrain_in_flight) {
    out.reason_code = "suppressed:in_flight";
    out.reason = why + "; a retrain is still requested or running";
  } else if (facts.last_retrain_at_us && out.at_us - *facts.last_retrain_at_us < cooldown_us) {
    out.reason_code = "suppressed:cooldown";
    out.reason = why + "; inside the cooldown of " + std::to_string(config.policy.cooldown_seconds) +
                 " s after the last retrain";
  } else if (facts.retrains_last_24h >= config.policy.max_retrains_per_day) {
    out.reason_code = "suppressed:budget";
    out.reason =
        why + "; daily budget of " + std::to_string(config.policy.max_retrains_per_day) + " retrains used";
  } else {
    out.action = Action::kRetrain;
    out.reason_code = "retrain:" + JoinMetricNames(confirmed);
    out.reason = why;
  }
}

// Detector drift without a confirmed breach: a warning naming each detector once.
void DecideDrift(Outcome& out) {
  std::string names;
  std::vector<std::string_view> seen;  // exact names: "ddm" is a substring of "hddm_a" and "eddm"
  for (const auto& a : out.alarms) {
    if (a.signal != detect::Signal::kDrift) continue;
    if (std::find(seen.begin(), seen.end(), a.detector) != seen.end()) continue;
    seen.push_back(a.detector);
    names += names.empty() ? a.detector : "," + a.detector;
  }
  out.action = Action::kWarn;
  out.reason_code = "warn:detector:" + names;
  out.reason = "detector drift (" + names + ") without a confirmed KPI breach; KPI window restarted";
}

// A KPI on the wrong side of its threshold whose interval still reaches it (or with too few pairs).
void DecideUnconfirmed(const domain::ModelConfig& config, const std::vector<const KpiResult*>& unconfirmed,
                       Outcome& out) {
  out.action = Action::kWarn;
  out.reason_code = "warn:unconfirmed:" + JoinMetricNames(unconfirmed);
  out.reason = "unconfirmed breach: " + DescribeKpi(*unconfirmed.front());
  if (unconfirmed.front()->estimate.n < config.evaluation.min_samples) {
    out.reason += "; fewer than min_samples=" + std::to_string(config.evaluation.min_samples) + " pairs";
  } else {
    out.reason += "; the interval still reaches the threshold";
  }
}

}  // namespace

Outcome Evaluate(const domain::ModelConfig& config, State& state, std::span<const LabeledEvent> events,
                 const PolicyFacts& facts) {
  Outcome out;
  FeedDetectors(config, state, events, out);
  out.n = state.window.size();
  out.kpis.reserve(config.kpis.size());
  for (const auto& spec : config.kpis) {
    auto e = kpi::Compute(spec.metric, config.task, state.window, config.evaluation.confidence);
    if (!e) continue;
    out.kpis.push_back(JudgeKpi(spec, *e, config.evaluation.min_samples));
  }
  std::vector<const KpiResult*> confirmed, unconfirmed;
  for (const auto& k : out.kpis) {
    if (k.confirmed) {
      confirmed.push_back(&k);
    } else if (k.wrong_side) {
      unconfirmed.push_back(&k);
    }
  }
  const bool drifted = std::any_of(out.alarms.begin(), out.alarms.end(),
                                   [](const Alarm& a) { return a.signal == detect::Signal::kDrift; });
  if (!confirmed.empty()) {
    DecideBreach(config, state, facts, confirmed, out);
  } else if (drifted) {
    DecideDrift(out);
  } else if (!unconfirmed.empty()) {
    DecideUnconfirmed(config, unconfirmed, out);
  } else {
    out.action = Action::kNone;
    out.reason_code = "none:ok";
    out.reason = out.kpis.empty() ? "no KPI computable yet" : "all KPIs within their thresholds";
  }
  out.decision_due = out.action == Action::kRetrain || drifted || out.reason_code != state.last_reason_code;
  state.last_action = out.action;
  state.last_reason_code = out.reason_code;
  return out;
}

}  // namespace driftgate::evaluate

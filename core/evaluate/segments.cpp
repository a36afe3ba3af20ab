#include "core/evaluate/segments.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "core/evaluate/input_veto.h"

namespace driftgate::evaluate {
namespace {

constexpr std::int64_t kMicrosPerSecond = 1'000'000;

const std::vector<domain::KpiSpec>& KpisOf(const domain::ModelConfig& config, const std::string& segment) {
  const auto it = config.segments.kpis.find(segment);
  return it == config.segments.kpis.end() ? config.kpis : it->second;
}

// The config a segment is judged under: its KPIs, its minimum sample, the adjusted confidence.
domain::ModelConfig SegmentConfig(const domain::ModelConfig& config, const std::string& segment,
                                  double confidence) {
  domain::ModelConfig c = config;
  c.kpis = KpisOf(config, segment);
  c.evaluation.min_samples = config.segments.min_samples;
  c.evaluation.confidence = confidence;
  return c;
}

std::string MetricNames(const std::vector<KpiResult>& kpis) {
  std::string s;
  for (const auto& k : kpis) {
    if (!k.confirmed) continue;
    if (!s.empty()) s += ",";
    s += kpi::MetricName(k.metric);
  }
  return s;
}

// A confirmed breach of `segment` under the policy (the order of evaluator.h), `in_flight` including a
// retrain requested earlier in this evaluation.
SegmentDecision JudgeConfirmed(const domain::ModelConfig& config, const std::string& segment,
                               const SegmentWindow& w, const SegmentResult& r, double confidence,
                               const PolicyFacts& facts, bool in_flight, std::int64_t at_us) {
  SegmentDecision d{.segment = segment, .kpis = r.kpis};
  std::string why = "confirmed breach in segment '" + segment + "': ";
  bool first = true;
  for (const auto& k : r.kpis) {
    if (!k.confirmed) continue;
    why += (first ? "" : "; ") + DescribeKpi(k);
    first = false;
  }
  char level[48];
  std::snprintf(level, sizeof level, " at confidence %.6g", confidence);
  why += level;
  const std::string metrics = MetricNames(r.kpis);
  const std::string tag = "segment=" + segment + ":" + metrics;
  if (config.segments.mode == domain::SegmentsMode::kMonitor) {
    d.action = Action::kWarn;
    d.reason_code = "warn:" + tag;
    d.reason = why + "; segments in monitor mode warn";
    return d;
  }
  const domain::ModelConfig judged = SegmentConfig(config, segment, confidence);
  const Veto veto = JudgeBreach(judged, w.window, facts.input_features);
  why += veto.note;
  const std::int64_t cooldown_us = config.policy.cooldown_seconds * kMicrosPerSecond;
  if (veto.outcome == VetoOutcome::kSuppress) {
    d.action = Action::kSuppressed;
    d.reason_code = "suppressed:data_quality:" + tag;
    d.reason = why;
  } else if (in_flight) {
    d.action = Action::kSuppressed;
    d.reason_code = "suppressed:in_flight:" + tag;
    d.reason = why + "; a retrain is still requested or running";
  } else if (facts.last_retrain_at_us && at_us - *facts.last_retrain_at_us < cooldown_us) {
    d.action = Action::kSuppressed;
    d.reason_code = "suppressed:cooldown:" + tag;
    d.reason = why + "; inside the cooldown of " + std::to_string(config.policy.cooldown_seconds) +
               " s after the last retrain";
  } else if (facts.retrains_last_24h >= config.policy.max_retrains_per_day) {
    d.action = Action::kSuppressed;
    d.reason_code = "suppressed:budget:" + tag;
    d.reason =
        why + "; daily budget of " + std::to_string(config.policy.max_retrains_per_day) + " retrains used";
  } else {
    d.action = Action::kRetrain;
    d.reason_code = "retrain:" + tag;
    d.reason = why;
  }
  return d;
}

SegmentResult Judge(const domain::ModelConfig& config, const std::string& segment, const SegmentWindow& w,
                    double confidence) {
  SegmentResult r{.segment = segment, .n = w.window.size()};
  for (const auto& spec : KpisOf(config, segment)) {
    auto e = kpi::Compute(spec.metric, config.task, w.window, confidence);
    if (!e) continue;
    r.kpis.push_back(JudgeKpi(spec, *e, config.segments.min_samples));
  }
  const bool breach =
      std::any_of(r.kpis.begin(), r.kpis.end(), [](const KpiResult& k) { return k.confirmed; });
  const bool past =
      std::any_of(r.kpis.begin(), r.kpis.end(), [](const KpiResult& k) { return k.wrong_side; });
  r.state = breach ? "breach" : past ? "warn" : "ok";
  return r;
}

}  // namespace

double SegmentConfidence(double confidence, std::size_t k) {
  return 1.0 - (1.0 - confidence) / static_cast<double>(std::max<std::size_t>(k, 1));
}

std::string SegmentKey(const domain::SegmentsSpec& spec, const State& state, const std::string& segment) {
  if (state.segments.count(segment)) return segment;
  const std::size_t kept = state.segments.size() - state.segments.count(std::string(kOtherSegment));
  return kept < spec.max_segments && segment != kOtherSegment ? segment : std::string(kOtherSegment);
}

SegmentsOutcome EvaluateSegments(const domain::ModelConfig& config, State& state,
                                 std::span<const LabeledEvent> events, const PolicyFacts& facts,
                                 const Outcome& whole) {
  SegmentsOutcome out;
  if (config.segments.mode == domain::SegmentsMode::kOff) {
    state.segments.clear();
    return out;
  }
  const std::size_t capacity = std::max<std::size_t>(config.evaluation.window, 1);
  // The names of the windows fed, in name order (they point into state.segments' keys, which stay put).
  std::set<std::string_view> touched;
  for (const auto& ev : events) {
    if (!ev.segment) continue;
    auto it = state.segments.find(*ev.segment);  // one lookup for a segment that has its window already
    if (it == state.segments.end()) {
      it = state.segments.try_emplace(SegmentKey(config.segments, state, *ev.segment)).first;
    }
    SegmentWindow& segment = it->second;
    auto& w = segment.window;
    w.push_back(ev.pair);
    ++segment.fed;
    if (w.size() > 2 * capacity) w.erase(w.begin(), w.end() - static_cast<std::ptrdiff_t>(capacity));
    touched.insert(it->first);
  }
  out.judged = state.segments.size();
  out.confidence = SegmentConfidence(config.evaluation.confidence, out.judged);
  bool in_flight = facts.retrain_in_flight || whole.action == Action::kRetrain;
  for (const std::string_view name : touched) {
    const std::string key(name);
    SegmentWindow& w = state.segments.find(key)->second;
    if (w.window.size() > capacity) {
      w.window.erase(w.window.begin(), w.window.end() - static_cast<std::ptrdiff_t>(capacity));
    }
    SegmentResult r = Judge(config, key, w, out.confidence);
    if (r.state == "breach") {
      SegmentDecision d = JudgeConfirmed(config, key, w, r, out.confidence, facts, in_flight, whole.at_us);
      if (d.action == Action::kRetrain) in_flight = true;
      if (d.action == Action::kRetrain || d.reason_code != w.last_reason_code) {
        w.last_reason_code = d.reason_code;
        out.decisions.push_back(std::move(d));
      }
    } else {
      w.last_reason_code = "none:ok";
    }
    out.results.push_back(std::move(r));
  }
  return out;
}

}  // namespace driftgate::evaluate

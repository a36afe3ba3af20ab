#include "core/evaluate/input_veto.h"

#include <algorithm>
#include <cstdio>
#include <map>

namespace driftgate::evaluate {
namespace {

std::string Rate(double r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", r);
  return buf;
}

// "x2 (missing 0.52, reference 0), country (unseen 0.3, reference 0)".
std::string DescribeBroken(const std::vector<BrokenInput>& broken) {
  std::string out;
  for (std::size_t i = 0; i < broken.size(); ++i) {
    const bool same_feature = i > 0 && broken[i - 1].feature == broken[i].feature;
    out += same_feature ? ", " : (i > 0 ? "), " : "") + broken[i].feature + " (";
    out += std::string(FaultName(broken[i].fault)) + " " + Rate(broken[i].rate) + ", reference " +
           Rate(broken[i].baseline);
  }
  return out.empty() ? out : out + ")";
}

}  // namespace

bool InputVerdict::IsBroken(const kpi::Pair& pair) const {
  if (!pair.input_judged) return false;
  return std::any_of(pair.input_faults.begin(), pair.input_faults.end(), [&](FaultCode c) {
    return std::binary_search(broken_codes.begin(), broken_codes.end(), c);
  });
}

InputVerdict JudgeInputs(std::span<const kpi::Pair> window, const FeatureDictionary& features,
                         const domain::DataQualitySpec& spec) {
  InputVerdict v;
  v.pairs = window.size();
  std::map<FaultCode, std::size_t> counts;
  for (const auto& p : window) {
    if (!p.input_judged) continue;
    ++v.judged;
    for (FaultCode c : p.input_faults) ++counts[c];
  }
  if (v.judged == 0 || !spec.enabled) return v;
  const double judged = static_cast<double>(v.judged);
  for (const auto& [code, count] : counts) {
    const auto at = features.find(FaultPosition(code));
    const Fault fault = FaultKind(code);
    double baseline = 0;
    if (at != features.end() && fault == Fault::kMissing) baseline = at->second.missing_rate;
    if (at != features.end() && fault == Fault::kTypeError) baseline = at->second.type_error_rate;
    const double rate = static_cast<double>(count) / judged;
    if (rate > spec.max_rate && rate > spec.min_ratio * baseline) {
      v.broken_codes.push_back(code);
      v.broken.push_back(
          {.feature = at != features.end() ? at->second.name : "#" + std::to_string(FaultPosition(code)),
           .fault = fault,
           .rate = rate,
           .baseline = baseline});
    }
  }
  std::sort(v.broken.begin(), v.broken.end(), [](const BrokenInput& a, const BrokenInput& b) {
    return a.feature != b.feature ? a.feature < b.feature : a.fault < b.fault;
  });
  if (!v.broken_codes.empty()) {
    for (const auto& p : window) v.broken_pairs += v.IsBroken(p) ? 1 : 0;
  }
  return v;
}

Veto JudgeBreach(const domain::ModelConfig& config, std::span<const kpi::Pair> window,
                 const FeatureDictionary& features) {
  Veto veto;
  const auto& spec = config.data_quality;
  if (!spec.enabled) return veto;
  veto.verdict = JudgeInputs(window, features, spec);
  const InputVerdict& v = veto.verdict;
  if (!v.possible()) {
    veto.outcome = VetoOutcome::kNoVerdict;
    veto.note =
        "; no input-quality verdict was possible (no pair of the window was judged: the model had no "
        "reference profile when their predictions arrived)";
    return veto;
  }
  if (v.broken.empty() ||
      static_cast<double>(v.broken_pairs) <= spec.max_rate * static_cast<double>(v.pairs)) {
    return veto;
  }
  std::vector<kpi::Pair> clean;
  clean.reserve(v.pairs - v.broken_pairs);
  for (const auto& p : window) {
    if (!v.IsBroken(p)) clean.push_back(p);
  }
  std::vector<KpiResult> confirmed;
  for (const auto& k : config.kpis) {
    auto e = kpi::Compute(k.metric, config.task, clean, config.evaluation.confidence);
    if (!e) continue;
    KpiResult r = JudgeKpi(k, *e, config.evaluation.min_samples);
    if (r.confirmed) confirmed.push_back(r);
  }
  const std::string broken = DescribeBroken(v.broken);
  const std::string share = Rate(static_cast<double>(v.broken_pairs) / static_cast<double>(v.pairs));
  if (!confirmed.empty()) {
    veto.outcome = VetoOutcome::kCleanPairsConfirm;
    veto.note = "; the clean pairs confirm the breach: " + DescribeKpi(confirmed.front());
    for (std::size_t i = 1; i < confirmed.size(); ++i) veto.note += "; " + DescribeKpi(confirmed[i]);
    veto.note += ", without the " + share + " of pairs with broken input on " + broken;
    return veto;
  }
  veto.outcome = VetoOutcome::kSuppress;
  const std::string too_few =
      clean.size() < config.evaluation.min_samples
          ? " (fewer than min_samples=" + std::to_string(config.evaluation.min_samples) + ")"
          : "";
  veto.note = "; data-quality incident on " + broken + " in " + share + " of the window's pairs: the " +
              std::to_string(clean.size()) + " clean pairs" + too_few +
              " do not confirm the breach; retraining on broken input would learn the breakage";
  return veto;
}

}  // namespace driftgate::evaluate

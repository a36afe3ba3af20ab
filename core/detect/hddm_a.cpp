#include "core/detect/hddm_a.h"

#include <cmath>

#include "core/detect/snapshot_codec.h"

namespace driftgate::detect {

Result<HddmA::Params> HddmA::ParseParams(const ParamMap& values) {
  Params p;
  ParamReader reader(values, kName);
  reader.Number("drift_confidence", p.drift_confidence);
  reader.Number("warning_confidence", p.warning_confidence);
  reader.Bool("two_sided_test", p.two_sided_test);
  if (auto status = reader.Finish(); !status.ok()) return status.error();
  return p;
}

Result<std::unique_ptr<HddmA>> HddmA::Make(const Params& p) {
  if (!(p.drift_confidence > 0.0 && p.drift_confidence < 1.0)) {
    return OutOfRange(kName, "drift_confidence", "in (0, 1)", p.drift_confidence);
  }
  if (!(p.warning_confidence > 0.0 && p.warning_confidence < 1.0)) {
    return OutOfRange(kName, "warning_confidence", "in (0, 1)", p.warning_confidence);
  }
  return std::unique_ptr<HddmA>(new HddmA(p));
}

HddmA::HddmA(const Params& params)
    : params_(params),
      log_inv_drift_(std::log(1.0 / params.drift_confidence)),
      log_two_drift_(std::log(2.0 / params.drift_confidence)),
      log_two_warning_(std::log(2.0 / params.warning_confidence)) {
  Reset();
}

void HddmA::Reset() {
  z_ = RunningMean{};
  x_min_ = RunningMean{};
  x_max_ = RunningMean{};
  warning_ = false;
  drift_ = false;
}

// The peer bounds both cut-point updates with the drift confidence.
double HddmA::HoeffdingBound(double n) const { return std::sqrt(1.0 / (2.0 * n) * log_inv_drift_); }

bool HddmA::MeanIncreased(double log_term) const {
  if (x_min_.n == z_.n) return false;
  const double m = (z_.n - x_min_.n) / x_min_.n * (1.0 / z_.n);
  const double eps = std::sqrt(m / 2.0 * log_term);
  return z_.mean - x_min_.mean >= eps;
}

bool HddmA::MeanDecreased(double log_term) const {
  if (x_max_.n == z_.n) return false;
  const double m = (z_.n - x_max_.n) / x_max_.n * (1.0 / z_.n);
  const double eps = std::sqrt(m / 2.0 * log_term);
  return x_max_.mean - z_.mean >= eps;
}

Signal HddmA::Update(double x) {
  if (!(x >= 0.0 && x <= 1.0)) return Signal::kNone;  // also rejects NaN
  if (drift_) Reset();
  z_.Update(x);
  if (x_min_.n == 0.0) x_min_ = z_;
  if (x_max_.n == 0.0) x_max_ = z_;

  const double eps_z = HoeffdingBound(z_.n);
  if (x_min_.mean + HoeffdingBound(x_min_.n) >= z_.mean + eps_z) x_min_ = z_;
  if (x_max_.mean - HoeffdingBound(x_max_.n) <= z_.mean - eps_z) x_max_ = z_;

  if (MeanIncreased(log_two_drift_)) {
    warning_ = false;
    drift_ = true;
  } else {
    warning_ = MeanIncreased(log_two_warning_);
    drift_ = false;
  }
  if (params_.two_sided_test) {
    if (MeanDecreased(log_two_drift_)) {
      drift_ = true;
    } else if (MeanDecreased(log_two_warning_)) {
      warning_ = true;
    }
  }
  return drift_ ? Signal::kDrift : (warning_ ? Signal::kWarning : Signal::kNone);
}

std::vector<double> HddmA::ParamVector() const {
  return {params_.drift_confidence, params_.warning_confidence, params_.two_sided_test ? 1.0 : 0.0};
}

Snapshot HddmA::Save() const {
  Snapshot s;
  s.fields["params"] = ParamVector();
  s.fields["means"] = {z_.n, z_.mean, x_min_.n, x_min_.mean, x_max_.n, x_max_.mean};
  s.fields["flags"] = {warning_ ? 1.0 : 0.0, drift_ ? 1.0 : 0.0};
  return s;
}

Status HddmA::Restore(const Snapshot& snapshot) {
  if (auto status = CheckShape(snapshot, kName, ParamVector(), {"params", "means", "flags"}, {3, 6, 2});
      !status.ok()) {
    return status;
  }
  const auto& means = snapshot.fields.at("means");
  const auto& flags = snapshot.fields.at("flags");
  if (!IsCount(means[0]) || !IsCount(means[2]) || !IsCount(means[4]) || means[2] > means[0] ||
      means[4] > means[0]) {
    return BadSnapshot(kName, "means", "holds invalid counts");
  }
  if (!IsFlag(flags[0]) || !IsFlag(flags[1])) return BadSnapshot(kName, "flags", "holds a non-flag");
  z_ = RunningMean{means[0], means[1]};
  x_min_ = RunningMean{means[2], means[3]};
  x_max_ = RunningMean{means[4], means[5]};
  warning_ = flags[0] == 1.0;
  drift_ = flags[1] == 1.0;
  return Ok{};
}

}  // namespace driftgate::detect

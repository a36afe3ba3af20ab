#include "core/detect/ddm.h"

#include <cmath>
#include <limits>

#include "core/detect/snapshot_codec.h"

namespace driftgate::detect {

Result<Ddm::Params> Ddm::ParseParams(const ParamMap& values) {
  Params p;
  ParamReader reader(values, kName);
  reader.Integer("warm_start", p.warm_start);
  reader.Number("warning_threshold", p.warning_threshold);
  reader.Number("drift_threshold", p.drift_threshold);
  if (auto status = reader.Finish(); !status.ok()) return status.error();
  return p;
}

Result<std::unique_ptr<Ddm>> Ddm::Make(const Params& p) {
  if (p.warm_start < 0) return OutOfRange(kName, "warm_start", ">= 0", static_cast<double>(p.warm_start));
  if (!(p.warning_threshold > 0.0)) {
    return OutOfRange(kName, "warning_threshold", "> 0", p.warning_threshold);
  }
  if (!(p.drift_threshold >= p.warning_threshold)) {
    return OutOfRange(kName, "drift_threshold",
                      ">= warning_threshold (" + FormatNumber(p.warning_threshold) + ")", p.drift_threshold);
  }
  return std::unique_ptr<Ddm>(new Ddm(p));
}

void Ddm::Reset() {
  p_ = RunningMean{};
  p_min_ = std::numeric_limits<double>::infinity();
  s_min_ = std::numeric_limits<double>::infinity();
  ps_min_ = std::numeric_limits<double>::infinity();
  warning_ = false;
  drift_ = false;
}

Signal Ddm::Update(double x) {
  if (!(x >= 0.0 && x <= 1.0)) return Signal::kNone;  // also rejects NaN
  if (drift_) Reset();
  p_.Update(x);
  const double p_i = p_.mean;
  const double s_i = std::sqrt(p_i * (1.0 - p_i) / p_.n);
  if (p_.n > static_cast<double>(params_.warm_start)) {
    if (p_i + s_i <= ps_min_) {
      p_min_ = p_i;
      s_min_ = s_i;
      ps_min_ = p_min_ + s_min_;
    }
    warning_ = p_i + s_i > p_min_ + params_.warning_threshold * s_min_;
    if (p_i + s_i > p_min_ + params_.drift_threshold * s_min_) {
      drift_ = true;
      warning_ = false;
    }
  }
  return drift_ ? Signal::kDrift : (warning_ ? Signal::kWarning : Signal::kNone);
}

std::vector<double> Ddm::ParamVector() const {
  return {static_cast<double>(params_.warm_start), params_.warning_threshold, params_.drift_threshold};
}

Snapshot Ddm::Save() const {
  Snapshot s;
  s.fields["params"] = ParamVector();
  s.fields["mean"] = {p_.n, p_.mean};
  std::vector<double>& minima = s.fields["minima"];
  AppendExtended(minima, p_min_);
  AppendExtended(minima, s_min_);
  AppendExtended(minima, ps_min_);
  s.fields["flags"] = {warning_ ? 1.0 : 0.0, drift_ ? 1.0 : 0.0};
  return s;
}

Status Ddm::Restore(const Snapshot& snapshot) {
  if (auto status =
          CheckShape(snapshot, kName, ParamVector(), {"params", "mean", "minima", "flags"}, {3, 2, 6, 2});
      !status.ok()) {
    return status;
  }
  const auto& mean = snapshot.fields.at("mean");
  const auto& minima = snapshot.fields.at("minima");
  const auto& flags = snapshot.fields.at("flags");
  double p_min = 0.0;
  double s_min = 0.0;
  double ps_min = 0.0;
  if (!IsCount(mean[0])) return BadSnapshot(kName, "mean", "holds an invalid count");
  if (!ReadExtended(minima, 0, p_min) || !ReadExtended(minima, 2, s_min) ||
      !ReadExtended(minima, 4, ps_min)) {
    return BadSnapshot(kName, "minima", "holds an invalid value");
  }
  if (!IsFlag(flags[0]) || !IsFlag(flags[1])) return BadSnapshot(kName, "flags", "holds a non-flag");
  p_.n = mean[0];
  p_.mean = mean[1];
  p_min_ = p_min;
  s_min_ = s_min;
  ps_min_ = ps_min;
  warning_ = flags[0] == 1.0;
  drift_ = flags[1] == 1.0;
  return Ok{};
}

}  // namespace driftgate::detect

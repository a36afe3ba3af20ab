#include "core/detect/page_hinkley.h"

#include <cmath>
#include <limits>

#include "core/detect/snapshot_codec.h"

namespace driftgate::detect {

Result<PageHinkley::Params> PageHinkley::ParseParams(const ParamMap& values) {
  Params p;
  ParamReader reader(values, kName);
  std::string mode = "both";
  reader.Integer("min_instances", p.min_instances);
  reader.Number("delta", p.delta);
  reader.Number("threshold", p.threshold);
  reader.Number("alpha", p.alpha);
  reader.Word("mode", mode);
  if (auto status = reader.Finish(); !status.ok()) return status.error();
  if (mode == "up") {
    p.mode = Mode::kUp;
  } else if (mode == "down") {
    p.mode = Mode::kDown;
  } else if (mode == "both") {
    p.mode = Mode::kBoth;
  } else {
    return Error::Invalid("mode",
                          "page_hinkley: parameter 'mode' must be up, down or both; got \"" + mode + "\"");
  }
  return p;
}

Result<std::unique_ptr<PageHinkley>> PageHinkley::Make(const Params& p) {
  if (p.min_instances < 1) {
    return OutOfRange(kName, "min_instances", ">= 1", static_cast<double>(p.min_instances));
  }
  if (!(p.delta >= 0.0)) return OutOfRange(kName, "delta", ">= 0", p.delta);
  if (!(p.threshold > 0.0)) return OutOfRange(kName, "threshold", "> 0", p.threshold);
  if (!(p.alpha > 0.0 && p.alpha <= 1.0)) return OutOfRange(kName, "alpha", "in (0, 1]", p.alpha);
  return std::unique_ptr<PageHinkley>(new PageHinkley(p));
}

void PageHinkley::Reset() {
  mean_ = RunningMean{};
  sum_increase_ = 0.0;
  sum_decrease_ = 0.0;
  min_increase_ = std::numeric_limits<double>::infinity();
  max_decrease_ = -1.0;
  drift_ = false;
}

Signal PageHinkley::Update(double x) {
  if (!std::isfinite(x)) return Signal::kNone;
  if (drift_) Reset();
  mean_.Update(x);
  const double deviation = x - mean_.mean;
  sum_increase_ = params_.alpha * sum_increase_ + deviation - params_.delta;
  sum_decrease_ = params_.alpha * sum_decrease_ + deviation + params_.delta;
  if (sum_increase_ < min_increase_) min_increase_ = sum_increase_;
  if (sum_decrease_ > max_decrease_) max_decrease_ = sum_decrease_;
  if (mean_.n >= static_cast<double>(params_.min_instances)) {
    const bool up = sum_increase_ - min_increase_ > params_.threshold;
    const bool down = max_decrease_ - sum_decrease_ > params_.threshold;
    switch (params_.mode) {
      case Mode::kUp:
        drift_ = up;
        break;
      case Mode::kDown:
        drift_ = down;
        break;
      case Mode::kBoth:
        drift_ = up || down;
        break;
    }
  }
  return drift_ ? Signal::kDrift : Signal::kNone;
}

std::vector<double> PageHinkley::ParamVector() const {
  return {static_cast<double>(params_.min_instances), params_.delta, params_.threshold, params_.alpha,
          static_cast<double>(static_cast<int>(params_.mode))};
}

Snapshot PageHinkley::Save() const {
  Snapshot s;
  s.fields["params"] = ParamVector();
  s.fields["mean"] = {mean_.n, mean_.mean};
  std::vector<double>& sums = s.fields["sums"];
  sums = {sum_increase_, sum_decrease_, max_decrease_};
  AppendExtended(sums, min_increase_);
  s.fields["flags"] = {drift_ ? 1.0 : 0.0};
  return s;
}

Status PageHinkley::Restore(const Snapshot& snapshot) {
  if (auto status =
          CheckShape(snapshot, kName, ParamVector(), {"params", "mean", "sums", "flags"}, {5, 2, 5, 1});
      !status.ok()) {
    return status;
  }
  const auto& mean = snapshot.fields.at("mean");
  const auto& sums = snapshot.fields.at("sums");
  const auto& flags = snapshot.fields.at("flags");
  double min_increase = 0.0;
  if (!IsCount(mean[0])) return BadSnapshot(kName, "mean", "holds an invalid count");
  if (!ReadExtended(sums, 3, min_increase)) return BadSnapshot(kName, "sums", "holds an invalid minimum");
  if (!IsFlag(flags[0])) return BadSnapshot(kName, "flags", "holds a non-flag");
  mean_ = RunningMean{mean[0], mean[1]};
  sum_increase_ = sums[0];
  sum_decrease_ = sums[1];
  max_decrease_ = sums[2];
  min_increase_ = min_increase;
  drift_ = flags[0] == 1.0;
  return Ok{};
}

}  // namespace driftgate::detect

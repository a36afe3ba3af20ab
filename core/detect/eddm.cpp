#include "core/detect/eddm.h"

#include <cmath>

#include "core/detect/peer_math.h"
#include "core/detect/snapshot_codec.h"

namespace driftgate::detect {

Result<Eddm::Params> Eddm::ParseParams(const ParamMap& values) {
  Params p;
  ParamReader reader(values, kName);
  reader.Integer("warm_start", p.warm_start);
  reader.Number("alpha", p.alpha);
  reader.Number("beta", p.beta);
  if (auto status = reader.Finish(); !status.ok()) return status.error();
  return p;
}

Result<std::unique_ptr<Eddm>> Eddm::Make(const Params& p) {
  if (p.warm_start < 0) return OutOfRange(kName, "warm_start", ">= 0", static_cast<double>(p.warm_start));
  if (!(p.beta > 0.0 && p.beta <= 1.0)) return OutOfRange(kName, "beta", "in (0, 1]", p.beta);
  if (!(p.alpha > 0.0 && p.alpha <= 1.0)) return OutOfRange(kName, "alpha", "in (0, 1]", p.alpha);
  // As the peer: the warning level must not lie below the drift level.
  if (!(p.alpha >= p.beta))
    return OutOfRange(kName, "alpha", ">= beta (" + FormatNumber(p.beta) + ")", p.alpha);
  return std::unique_ptr<Eddm>(new Eddm(p));
}

void Eddm::Reset() {
  distances_ = RunningVar{};
  n_ = 0.0;
  last_error_ = 0.0;
  n_errors_ = 0.0;
  p2s_max_ = -1.0;
  warning_ = false;
  drift_ = false;
}

Signal Eddm::Update(double x) {
  if (!std::isfinite(x)) return Signal::kNone;
  if (drift_) Reset();
  n_ += 1.0;
  if (x == 1.0) {
    n_errors_ += 1.0;
    distances_.Update(n_ - last_error_);
    const double warm_start = static_cast<double>(params_.warm_start);
    if (n_ > warm_start) {
      const double p_prime = distances_.mean.mean;
      // The peer writes `var ** 0.5`, i.e. pow(), which is not always bit-identical to sqrt().
      const double s_prime = PeerPow(distances_.sigma, 0.5);
      const double p2s = p_prime + 2.0 * s_prime;
      if (p2s > p2s_max_) {
        p2s_max_ = p2s;
      } else if (n_errors_ > warm_start) {
        const double level = p2s / p2s_max_;
        if (level < params_.beta) {
          drift_ = true;
        } else {
          warning_ = level < params_.alpha;
        }
      }
    }
    last_error_ = n_;
  }
  return drift_ ? Signal::kDrift : (warning_ ? Signal::kWarning : Signal::kNone);
}

std::vector<double> Eddm::ParamVector() const {
  return {static_cast<double>(params_.warm_start), params_.alpha, params_.beta};
}

Snapshot Eddm::Save() const {
  Snapshot s;
  s.fields["params"] = ParamVector();
  s.fields["distances"] = {distances_.mean.n, distances_.mean.mean, distances_.sigma};
  s.fields["counters"] = {n_, last_error_, n_errors_};
  s.fields["p2s_max"] = {p2s_max_};
  s.fields["flags"] = {warning_ ? 1.0 : 0.0, drift_ ? 1.0 : 0.0};
  return s;
}

Status Eddm::Restore(const Snapshot& snapshot) {
  if (auto status = CheckShape(snapshot, kName, ParamVector(),
                               {"params", "distances", "counters", "p2s_max", "flags"}, {3, 3, 3, 1, 2});
      !status.ok()) {
    return status;
  }
  const auto& distances = snapshot.fields.at("distances");
  const auto& counters = snapshot.fields.at("counters");
  const auto& flags = snapshot.fields.at("flags");
  if (!IsCount(distances[0])) return BadSnapshot(kName, "distances", "holds an invalid count");
  for (const double c : counters) {
    if (!IsCount(c)) return BadSnapshot(kName, "counters", "holds an invalid count");
  }
  if (!IsFlag(flags[0]) || !IsFlag(flags[1])) return BadSnapshot(kName, "flags", "holds a non-flag");
  distances_.mean.n = distances[0];
  distances_.mean.mean = distances[1];
  distances_.sigma = distances[2];
  n_ = counters[0];
  last_error_ = counters[1];
  n_errors_ = counters[2];
  p2s_max_ = snapshot.fields.at("p2s_max")[0];
  warning_ = flags[0] == 1.0;
  drift_ = flags[1] == 1.0;
  return Ok{};
}

}  // namespace driftgate::detect

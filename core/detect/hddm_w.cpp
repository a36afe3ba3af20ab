#include "core/detect/hddm_w.h"

#include <cmath>
#include <limits>

#include "core/detect/peer_math.h"
#include "core/detect/snapshot_codec.h"

namespace driftgate::detect {

Result<HddmW::Params> HddmW::ParseParams(const ParamMap& values) {
  Params p;
  ParamReader reader(values, kName);
  reader.Number("drift_confidence", p.drift_confidence);
  reader.Number("warning_confidence", p.warning_confidence);
  reader.Number("lambda_val", p.lambda_val);
  reader.Bool("two_sided_test", p.two_sided_test);
  if (auto status = reader.Finish(); !status.ok()) return status.error();
  return p;
}

Result<std::unique_ptr<HddmW>> HddmW::Make(const Params& p) {
  if (!(p.drift_confidence > 0.0 && p.drift_confidence < 1.0)) {
    return OutOfRange(kName, "drift_confidence", "in (0, 1)", p.drift_confidence);
  }
  if (!(p.warning_confidence > 0.0 && p.warning_confidence < 1.0)) {
    return OutOfRange(kName, "warning_confidence", "in (0, 1)", p.warning_confidence);
  }
  if (!(p.lambda_val > 0.0 && p.lambda_val <= 1.0))
    return OutOfRange(kName, "lambda_val", "in (0, 1]", p.lambda_val);
  return std::unique_ptr<HddmW>(new HddmW(p));
}

// The peer writes lambd * lambd but (1 - lambd) ** 2.
HddmW::HddmW(const Params& params)
    : params_(params),
      lambda_sq_(params.lambda_val * params.lambda_val),
      complement_sq_(PeerPow(1.0 - params.lambda_val, 2.0)),
      log_inv_drift_(std::log(1.0 / params.drift_confidence)),
      log_inv_warning_(std::log(1.0 / params.warning_confidence)) {
  Reset();
}

void HddmW::Reset() {
  total_ = s1_incr_ = s2_incr_ = s1_decr_ = s2_decr_ = Sample{};
  incr_cutpoint_ = std::numeric_limits<double>::infinity();
  decr_cutpoint_ = -std::numeric_limits<double>::infinity();
  warning_ = false;
  drift_ = false;
}

void HddmW::UpdateSample(Sample& sample, double x) const {
  sample.ewma.Update(x, params_.lambda_val);
  sample.is_init = true;
  sample.ibc = lambda_sq_ + complement_sq_ * sample.ibc;
}

double HddmW::McDiarmidBound(double ibc, double log_term) { return std::sqrt(ibc * log_term / 2.0); }

bool HddmW::MeanChanged(const Sample& earlier, const Sample& later, double log_term) {
  if (!(earlier.is_init && later.is_init)) return false;
  return later.ewma.mean - earlier.ewma.mean > McDiarmidBound(earlier.ibc + later.ibc, log_term);
}

Signal HddmW::Update(double x) {
  if (!(x >= 0.0 && x <= 1.0)) return Signal::kNone;  // also rejects NaN
  if (drift_) Reset();
  UpdateSample(total_, x);

  // Both cut points move with the drift confidence's bound, as in the peer.
  const double eps = McDiarmidBound(total_.ibc, log_inv_drift_);
  if (total_.ewma.mean + eps < incr_cutpoint_) {
    incr_cutpoint_ = total_.ewma.mean + eps;
    s1_incr_ = total_;
    s2_incr_ = Sample{};
  } else {
    UpdateSample(s2_incr_, x);
  }
  if (MeanChanged(s1_incr_, s2_incr_, log_inv_drift_)) {
    warning_ = false;
    drift_ = true;
  } else {
    warning_ = MeanChanged(s1_incr_, s2_incr_, log_inv_warning_);
    drift_ = false;
  }

  if (total_.ewma.mean - eps > decr_cutpoint_) {
    decr_cutpoint_ = total_.ewma.mean - eps;
    s1_decr_ = total_;
    s2_decr_ = Sample{};
  } else {
    UpdateSample(s2_decr_, x);
  }
  if (params_.two_sided_test) {
    // A decrease: the earlier EWMA lies above the later one.
    if (MeanChanged(s2_decr_, s1_decr_, log_inv_drift_)) {
      drift_ = true;
    } else if (MeanChanged(s2_decr_, s1_decr_, log_inv_warning_)) {
      warning_ = true;
    }
  }
  return drift_ ? Signal::kDrift : (warning_ ? Signal::kWarning : Signal::kNone);
}

std::vector<double> HddmW::ParamVector() const {
  return {params_.drift_confidence, params_.warning_confidence, params_.lambda_val,
          params_.two_sided_test ? 1.0 : 0.0};
}

Snapshot HddmW::Save() const {
  Snapshot s;
  s.fields["params"] = ParamVector();
  // Per sample: ewma, is_init, ibc; in the order total, s1_incr, s2_incr, s1_decr, s2_decr.
  std::vector<double>& samples = s.fields["samples"];
  for (const Sample* sample : {&total_, &s1_incr_, &s2_incr_, &s1_decr_, &s2_decr_}) {
    samples.insert(samples.end(), {sample->ewma.mean, sample->is_init ? 1.0 : 0.0, sample->ibc});
  }
  std::vector<double>& cutpoints = s.fields["cutpoints"];
  AppendExtended(cutpoints, incr_cutpoint_);
  AppendExtended(cutpoints, decr_cutpoint_);
  s.fields["flags"] = {warning_ ? 1.0 : 0.0, drift_ ? 1.0 : 0.0};
  return s;
}

Status HddmW::Restore(const Snapshot& snapshot) {
  if (auto status = CheckShape(snapshot, kName, ParamVector(), {"params", "samples", "cutpoints", "flags"},
                               {4, 15, 4, 2});
      !status.ok()) {
    return status;
  }
  const auto& samples = snapshot.fields.at("samples");
  const auto& cutpoints = snapshot.fields.at("cutpoints");
  const auto& flags = snapshot.fields.at("flags");
  Sample restored[5];
  for (std::size_t i = 0; i < 5; ++i) {
    if (!IsFlag(samples[3 * i + 1])) return BadSnapshot(kName, "samples", "holds a non-flag");
    restored[i].ewma.mean = samples[3 * i];
    restored[i].is_init = samples[3 * i + 1] == 1.0;
    restored[i].ewma.initialized = restored[i].is_init;
    restored[i].ibc = samples[3 * i + 2];
  }
  double incr = 0.0;
  double decr = 0.0;
  if (!ReadExtended(cutpoints, 0, incr) || !ReadExtended(cutpoints, 2, decr)) {
    return BadSnapshot(kName, "cutpoints", "holds an invalid value");
  }
  if (!IsFlag(flags[0]) || !IsFlag(flags[1])) return BadSnapshot(kName, "flags", "holds a non-flag");
  total_ = restored[0];
  s1_incr_ = restored[1];
  s2_incr_ = restored[2];
  s1_decr_ = restored[3];
  s2_decr_ = restored[4];
  incr_cutpoint_ = incr;
  decr_cutpoint_ = decr;
  warning_ = flags[0] == 1.0;
  drift_ = flags[1] == 1.0;
  return Ok{};
}

}  // namespace driftgate::detect

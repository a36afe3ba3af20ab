// The three running statistics River's drift detectors are built on, with the peer's exact update order
// so that borderline comparisons come out the same (shared/data/README.md, "Notes for matching").
//   RunningMean — river/stats/mean.py, West 1979: n += 1; mean += (x - mean) / n.
//   RunningVar  — river/stats/var.py, Welford with ddof = 1.
//   EwMean      — river/stats/ewmean.py (Rust `watermill::EWMean` underneath): a mean of exactly 0 is
//                 treated as "empty" and replaced by x, a quirk HDDM_W's reference outputs depend on.
// Each update is O(1).
#pragma once

namespace driftgate::detect {

struct RunningMean {
  double n = 0.0;
  double mean = 0.0;

  void Update(double x) {
    n += 1.0;
    mean += (x - mean) / n;
  }
};

struct RunningVar {
  RunningMean mean;
  double sigma = 0.0;  // sample variance (ddof = 1)

  void Update(double x) {
    const double old_mean = mean.mean;
    mean.Update(x);
    if (mean.n > 1.0) sigma += ((x - old_mean) * (x - mean.mean) - sigma) / (mean.n - 1.0);
  }
};

struct EwMean {
  double mean = 0.0;

  void Update(double x, double fading_factor) {
    mean = mean == 0.0 ? x : fading_factor * x + (1.0 - fading_factor) * mean;
  }
};

}  // namespace driftgate::detect

// The three running statistics River's drift detectors are built on, with the peer's exact update order
// so that borderline comparisons come out the same (River, github.com/online-ml/river: river/stats).
//   RunningMean — river/stats/mean.py, West 1979: n += 1; mean += (x - mean) / n.
//   RunningVar  — river/stats/var.py, Welford with ddof = 1.
//   EwMean      — river/stats/ewmean.py over River's own Rust EWMean (rust_src/ewmean.rs): the first value
//                 starts the mean, every later one is blended in as alpha · x + (1 − alpha) · mean. The
//                 older watermill EWMean (and River's former pure-Python one) instead restarted from x
//                 whenever the mean was exactly 0, which differs on every stretch that opens with 0s:
//                 on the Elec2 persistence-error stream that rule loses one of River's 138 HDDM_W
//                 warnings (tests/data/river_model/).
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
  bool initialized = false;

  void Update(double x, double fading_factor) {
    if (initialized) {
      mean = fading_factor * x + (1.0 - fading_factor) * mean;
    } else {
      mean = x;
      initialized = true;
    }
  }
};

}  // namespace driftgate::detect

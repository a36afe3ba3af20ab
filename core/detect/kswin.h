// KSWIN — Kolmogorov–Smirnov windowing.
// C. Raab, M. Heusinger, F.-M. Schleif, "Reactive Soft Prototype Computing for Concept Drift Streams",
// Neurocomputing 416, 2020, pp. 340–351.
//
// Keeps the last `window_size` values. Once the window is full, every update draws `stat_size` values
// without replacement from the older window_size − stat_size (uniformly, by a seeded generator) and runs
// a two-sample Kolmogorov–Smirnov test against the newest `stat_size` values; drift when p ≤ alpha and the
// statistic D > 0.1. Semantics of River's `river/drift/kswin.py` with scipy.stats.ks_2samp's default
// method, which for these equal sample sizes is the exact two-sided distribution (Hodges 1957, evaluated as
// scipy's `_compute_prob_outside_square`). After a drift the detector restarts empty with its generator
// re-seeded, as River's does.
//
// Deviation: River samples with CPython's random.Random(seed); this uses SplitMix64 (splitmix64.h; Steele,
// Lea & Flood, OOPSLA 2014), whose whole state fits a snapshot. Indices of the sampled values therefore
// differ, so drifts land in the same region as River's, not at the same index. `seed` defaults to 0 (River:
// None = unseeded), keeping the detector pure and replayable.
//
// Input: any real value; non-finite values are ignored. Cost per update: O(window_size + stat_size ·
// log stat_size) once the window is full (sampling, two sorts, the exact p-value); memory O(window_size).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/param_reader.h"
#include "core/detect/splitmix64.h"

namespace driftgate::detect {

class Kswin final : public Detector {
 public:
  static constexpr std::string_view kName = "kswin";

  struct Params {
    double alpha = 0.005;            // p-value threshold, in (0, 1)
    std::int64_t window_size = 100;  // >= 2 · stat_size (the sample is drawn without replacement)
    std::int64_t stat_size = 30;     // in [1, 10000] (scipy's exact method stops at 10000)
    std::int64_t seed = 0;           // in [0, 2^53)
  };

  static Result<Params> ParseParams(const ParamMap& values);
  static Result<std::unique_ptr<Kswin>> Make(const Params& params);

  Signal Update(double x) override;
  std::size_t ElementsSinceChange() const override { return 0; }
  std::string_view Name() const override { return kName; }
  Snapshot Save() const override;
  Status Restore(const Snapshot& snapshot) override;

  // P-value of the last test (1 before the window is full), for diagnostics and tests.
  double LastPValue() const { return p_value_; }

 private:
  explicit Kswin(const Params& params);
  void Reset();
  std::vector<double> ParamVector() const;

  Params params_;
  std::vector<double> window_;  // ring buffer of window_size values
  std::size_t start_ = 0;       // index of the oldest value
  std::size_t count_ = 0;       // values held
  SplitMix64 rng_;
  bool drift_ = false;
  double p_value_ = 1.0;

  // Scratch space reused by every test; not state.
  std::vector<std::uint32_t> indices_;
  std::vector<double> sample_;
  std::vector<double> recent_;
};

}  // namespace driftgate::detect

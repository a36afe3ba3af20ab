// DDM — Drift Detection Method.
// J. Gama, P. Medas, G. Castillo, P. Rodrigues, "Learning with Drift Detection", SBIA 2004, pp. 286–295.
//
// Tracks the error rate p_i and its binomial standard deviation s_i = sqrt(p_i (1 - p_i) / i), remembers
// (p_min, s_min) where p_i + s_i was lowest, and after `warm_start` elements flags a warning when
// p_i + s_i > p_min + warning_threshold · s_min and a drift when p_i + s_i > p_min + drift_threshold · s_min
// (a drift clears the warning). Semantics of River's `river/drift/binary/ddm.py`, including the reset on
// the update after a drift.
//
// Input: 1 = error, 0 = correct (values in [0, 1]); values outside [0, 1] or non-finite are ignored, since
// the peer's standard deviation would turn NaN on them. Cost: O(1) time and memory per update.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/param_reader.h"
#include "core/detect/running_stats.h"

namespace driftgate::detect {

class Ddm final : public Detector {
 public:
  static constexpr std::string_view kName = "ddm";

  struct Params {
    std::int64_t warm_start = 30;    // elements before any signal, >= 0
    double warning_threshold = 2.0;  // > 0
    double drift_threshold = 3.0;    // >= warning_threshold
  };

  static Result<Params> ParseParams(const ParamMap& values);
  static Result<std::unique_ptr<Ddm>> Make(const Params& params);

  Signal Update(double x) override;
  std::size_t ElementsSinceChange() const override { return 0; }
  std::string_view Name() const override { return kName; }
  Snapshot Save() const override;
  Status Restore(const Snapshot& snapshot) override;
  bool WarningDetected() const override { return warning_; }

 private:
  explicit Ddm(const Params& params) : params_(params) { Reset(); }
  void Reset();
  std::vector<double> ParamVector() const;

  Params params_;
  RunningMean p_;
  double p_min_ = 0.0;
  double s_min_ = 0.0;
  double ps_min_ = 0.0;
  bool warning_ = false;
  bool drift_ = false;
};

}  // namespace driftgate::detect

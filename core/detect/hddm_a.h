// HDDM_A — drift detection with Hoeffding's bound, moving-average test (A-test).
// I. Frías-Blanco, J. del Campo-Ávila, G. Ramos-Jiménez, R. Morales-Bueno, A. Ortiz-Díaz, Y. Caballero-Mota,
// "Online and Non-Parametric Drift Detection Methods Based on Hoeffding's Bounds", IEEE TKDE 27(3), 2015.
//
// Keeps the global mean Z and the prefix mean at the cut point where mean + Hoeffding bound was lowest
// (X_min; highest for X_max). Signals drift when Z − X_min exceeds the bound at `drift_confidence`, a
// warning at `warning_confidence`; with `two_sided_test`, decreases are tested against X_max as well.
// Semantics of River's `river/drift/binary/hddm_a.py` (itself after MOA), including the reset on the update
// after a drift.
//
// Input: values in [0, 1] (1 = error); others and non-finite values are ignored, since Hoeffding's bound
// only holds for bounded values. Cost: O(1) time and memory per update.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/param_reader.h"
#include "core/detect/running_stats.h"

namespace driftgate::detect {

class HddmA final : public Detector {
 public:
  static constexpr std::string_view kName = "hddm_a";

  struct Params {
    double drift_confidence = 0.001;    // in (0, 1)
    double warning_confidence = 0.005;  // in (0, 1)
    bool two_sided_test = false;
  };

  static Result<Params> ParseParams(const ParamMap& values);
  static Result<std::unique_ptr<HddmA>> Make(const Params& params);

  Signal Update(double x) override;
  std::size_t ElementsSinceChange() const override { return 0; }
  std::string_view Name() const override { return kName; }
  Snapshot Save() const override;
  Status Restore(const Snapshot& snapshot) override;
  bool WarningDetected() const override { return warning_; }

 private:
  explicit HddmA(const Params& params);
  void Reset();
  double HoeffdingBound(double n) const;
  // `log_term` = log(2 / confidence), precomputed (the same libm call the peer repeats each time).
  bool MeanIncreased(double log_term) const;
  bool MeanDecreased(double log_term) const;
  std::vector<double> ParamVector() const;

  Params params_;
  double log_inv_drift_;    // log(1 / drift_confidence)
  double log_two_drift_;    // log(2 / drift_confidence)
  double log_two_warning_;  // log(2 / warning_confidence)
  RunningMean z_;           // global mean
  RunningMean x_min_;       // prefix mean at the cut point for increases
  RunningMean x_max_;       // prefix mean at the cut point for decreases
  bool warning_ = false;
  bool drift_ = false;
};

}  // namespace driftgate::detect

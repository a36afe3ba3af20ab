// HDDM_W — drift detection with McDiarmid's bound, weighted moving-average test (W-test).
// I. Frías-Blanco, J. del Campo-Ávila, G. Ramos-Jiménez, R. Morales-Bueno, A. Ortiz-Díaz, Y. Caballero-Mota,
// "Online and Non-Parametric Drift Detection Methods Based on Hoeffding's Bounds", IEEE TKDE 27(3), 2015.
//
// Compares exponentially weighted means (EWMA, weight `lambda_val` on the newest element) before and after
// the cut point where EWMA + McDiarmid bound was lowest (highest, for decreases). Signals drift when the
// later EWMA exceeds the earlier one by more than the bound at `drift_confidence`, a warning at
// `warning_confidence`. Semantics of River's `river/drift/binary/hddm_w.py` (after MOA), including River's
// EWMean, which starts from the first value and then blends (running_stats.h), and the reset on the
// update after a drift.
//
// Input: values in [0, 1] (1 = error); others and non-finite values are ignored. Cost: O(1) per update.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/param_reader.h"
#include "core/detect/running_stats.h"

namespace driftgate::detect {

class HddmW final : public Detector {
 public:
  static constexpr std::string_view kName = "hddm_w";

  struct Params {
    double drift_confidence = 0.001;    // in (0, 1)
    double warning_confidence = 0.005;  // in (0, 1)
    double lambda_val = 0.05;           // EWMA weight of the newest element, in (0, 1]
    bool two_sided_test = false;
  };

  static Result<Params> ParseParams(const ParamMap& values);
  static Result<std::unique_ptr<HddmW>> Make(const Params& params);

  Signal Update(double x) override;
  std::size_t ElementsSinceChange() const override { return 0; }
  std::string_view Name() const override { return kName; }
  Snapshot Save() const override;
  Status Restore(const Snapshot& snapshot) override;
  bool WarningDetected() const override { return warning_; }

 private:
  // River's SampleInfo: an EWMA and its "independent bound condition" sum of squared weights. The EWMA
  // has seen a value exactly when the sample has (both flip on the first update and are copied
  // together), so snapshots keep one flag for both.
  struct Sample {
    EwMean ewma;
    bool is_init = false;
    double ibc = 1.0;
  };

  explicit HddmW(const Params& params);
  void Reset();
  void UpdateSample(Sample& sample, double x) const;
  // `log_term` = log(1 / confidence), precomputed (the same libm call the peer repeats each time).
  static double McDiarmidBound(double ibc, double log_term);
  static bool MeanChanged(const Sample& earlier, const Sample& later, double log_term);
  std::vector<double> ParamVector() const;

  Params params_;
  double lambda_sq_;
  double complement_sq_;
  double log_inv_drift_;    // log(1 / drift_confidence)
  double log_inv_warning_;  // log(1 / warning_confidence)
  Sample total_;
  Sample s1_incr_;
  Sample s2_incr_;
  Sample s1_decr_;
  Sample s2_decr_;
  double incr_cutpoint_ = 0.0;  // +inf until the first element
  double decr_cutpoint_ = 0.0;  // -inf until the first element
  bool warning_ = false;
  bool drift_ = false;
};

}  // namespace driftgate::detect

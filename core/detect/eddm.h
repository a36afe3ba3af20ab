// EDDM — Early Drift Detection Method.
// M. Baena-García, J. del Campo-Ávila, R. Fidalgo, A. Bifet, R. Gavaldà, R. Morales-Bueno, "Early Drift
// Detection Method", 4th Int. Workshop on Knowledge Discovery from Data Streams, 2006.
//
// Tracks the mean p' and standard deviation s' of the distance between consecutive errors and the maximum
// of p' + 2 s'. Once more than `warm_start` elements and errors were seen, the ratio
// (p' + 2 s') / max(p' + 2 s') below `beta` signals drift, below `alpha` a warning. Semantics of River's
// `river/drift/binary/eddm.py`: the ratio is only re-evaluated on errors, so the warning flag persists
// across correct elements and can still be set on the update that signals drift; reset on the update
// after a drift.
//
// Input: 1 = error, anything else = correct; non-finite values are ignored. Cost: O(1) per update.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/param_reader.h"
#include "core/detect/running_stats.h"

namespace driftgate::detect {

class Eddm final : public Detector {
 public:
  static constexpr std::string_view kName = "eddm";

  struct Params {
    std::int64_t warm_start = 30;  // elements and errors before any signal, >= 0
    double alpha = 0.95;           // warning level, in (0, 1], >= beta
    double beta = 0.9;             // drift level, in (0, 1]
  };

  static Result<Params> ParseParams(const ParamMap& values);
  static Result<std::unique_ptr<Eddm>> Make(const Params& params);

  Signal Update(double x) override;
  std::size_t ElementsSinceChange() const override { return 0; }
  std::string_view Name() const override { return kName; }
  Snapshot Save() const override;
  Status Restore(const Snapshot& snapshot) override;
  bool WarningDetected() const override { return warning_; }

 private:
  explicit Eddm(const Params& params) : params_(params) { Reset(); }
  void Reset();
  std::vector<double> ParamVector() const;

  Params params_;
  RunningVar distances_;     // distance between consecutive errors
  double n_ = 0.0;           // elements seen
  double last_error_ = 0.0;  // index (1-based) of the last error
  double n_errors_ = 0.0;
  double p2s_max_ = -1.0;  // the peer's starting value
  bool warning_ = false;
  bool drift_ = false;
};

}  // namespace driftgate::detect

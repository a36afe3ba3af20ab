// Page-Hinkley test.
// E. S. Page, "Continuous Inspection Schemes", Biometrika 41(1/2), 1954, pp. 100–115.
//
// Accumulates the deviations of each value from the running mean, with a tolerance `delta` and a forgetting
// factor `alpha`: m_up = alpha · m_up + (x − mean − delta), m_down = alpha · m_down + (x − mean + delta).
// After `min_instances` values, a drift is signalled when m_up rose more than `threshold` above its minimum
// (mode up), m_down fell more than `threshold` below its maximum (mode down), or either (mode both, the
// default). Semantics of River's newest `river/drift/page_hinkley.py` (the maximum of m_down starts at −1
// there, kept here); no warning zone; reset on the update after a drift.
//
// Input: any real value; non-finite values are ignored. Cost: O(1) time and memory per update.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/param_reader.h"
#include "core/detect/running_stats.h"

namespace driftgate::detect {

class PageHinkley final : public Detector {
 public:
  static constexpr std::string_view kName = "page_hinkley";

  enum class Mode { kUp, kDown, kBoth };

  struct Params {
    std::int64_t min_instances = 30;  // values before any signal, >= 1
    double delta = 0.005;             // tolerated change of the mean, >= 0
    double threshold = 50.0;          // lambda, > 0
    double alpha = 0.9999;            // forgetting factor, in (0, 1]
    Mode mode = Mode::kBoth;          // "up", "down" or "both"
  };

  static Result<Params> ParseParams(const ParamMap& values);
  static Result<std::unique_ptr<PageHinkley>> Make(const Params& params);

  Signal Update(double x) override;
  std::size_t ElementsSinceChange() const override { return 0; }
  std::string_view Name() const override { return kName; }
  Snapshot Save() const override;
  Status Restore(const Snapshot& snapshot) override;

 private:
  explicit PageHinkley(const Params& params) : params_(params) { Reset(); }
  void Reset();
  std::vector<double> ParamVector() const;

  Params params_;
  RunningMean mean_;
  double sum_increase_ = 0.0;
  double sum_decrease_ = 0.0;
  double min_increase_ = 0.0;   // +inf until the first value
  double max_decrease_ = -1.0;  // the peer's starting value
  bool drift_ = false;
};

}  // namespace driftgate::detect

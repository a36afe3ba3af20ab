// ADWIN — adaptive windowing.
// A. Bifet and R. Gavaldà, "Learning from Time-Changing Data with Adaptive Windowing", SIAM SDM 2007.
//
// Keeps the stream in an exponential histogram: row i holds up to `max_buckets` buckets of 2^i elements
// (total and variance each; variance merging after Babcock et al., PODS 2003). Every `clock` updates,
// once the window is wider than `grace_period`, every split of the window into an older part W0 and a
// newer part W1 at a bucket boundary is tested with the ADWIN2 bound; a significant split drops the
// oldest bucket and the test restarts, so the window shrinks until no split is significant.
//
// Semantics follow River's newest `river/drift/adwin_c.pyx`: every cut point is checked (as MOA does;
// older River and scikit-multiflow skip the last bucket of each row), and on the update after a drift
// the whole detector restarts empty (river/drift/adwin.py). Accepts any real value.
//
// Cost: O(1) amortized per insert (bucket merges), plus one O(max_buckets · log W) scan every `clock`
// updates, i.e. O(log W) amortized per update; memory O(max_buckets · log W).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/detect/param_reader.h"

namespace driftgate::detect {

class Adwin final : public Detector {
 public:
  static constexpr std::string_view kName = "adwin";

  struct Params {
    double delta = 0.002;                // confidence of the cut test, in (0, 1)
    std::int64_t clock = 32;             // test every `clock` updates, >= 1
    std::int64_t max_buckets = 5;        // buckets per row before two are merged, in [2, 1000]
    std::int64_t min_window_length = 5;  // smallest W0 and W1 tested, >= 1
    std::int64_t grace_period = 10;      // no test until the window is wider than this, >= 0
  };

  static Result<Params> ParseParams(const ParamMap& values);
  // Validates `params` (range errors name the parameter).
  static Result<std::unique_ptr<Adwin>> Make(const Params& params);

  Signal Update(double x) override;
  // The window width: after a drift, the elements kept after the cut.
  std::size_t ElementsSinceChange() const override { return static_cast<std::size_t>(width_); }
  std::string_view Name() const override { return kName; }
  Snapshot Save() const override;
  Status Restore(const Snapshot& snapshot) override;

  double Width() const { return width_; }
  double Estimation() const { return width_ > 0 ? total_ / width_ : 0.0; }

 private:
  explicit Adwin(const Params& params);

  void Reset();
  void Insert(double x);
  void CompressRows();
  double DeleteOldestBucket();
  bool DetectChange();
  std::vector<double> ParamVector() const;

  std::size_t Stride() const { return static_cast<std::size_t>(params_.max_buckets) + 1; }

  Params params_;
  double min_len_;  // params_.min_window_length as a double, as the peer's arithmetic uses it

  // Row r holds counts_[r] buckets of 2^r elements, oldest first, at [r * Stride(), r * Stride() + count).
  std::vector<std::int64_t> counts_;
  std::vector<double> totals_;
  std::vector<double> variances_;
  double width_ = 0.0;
  double total_ = 0.0;
  double variance_ = 0.0;  // sum of squared deviations from the window mean
  std::uint64_t tick_ = 0;
  bool drift_ = false;
};

}  // namespace driftgate::detect

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
//
// Speed without changing a bit of the result (adwin.cpp has the details): each row is a flat slice of one
// array with a moving head, so merges and deletions move no memory in the common case; bucket sizes 2^i
// come from a table; the scan first applies a division- and sqrt-free conservative form of the bound
// that can only rule a cut out, and evaluates River's exact expression, in River's order, for any cut it
// cannot rule out. Every running sum is accumulated in the same order as before.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
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
  void Append(std::size_t row, double total, double variance);
  void AddRow();
  void CompressRows();
  double DeleteOldestBucket();
  bool DetectChange();
  std::vector<double> ParamVector() const;

  Params params_;
  double min_len_;  // params_.min_window_length as a double, as the peer's arithmetic uses it
  std::size_t max_buckets_;
  std::size_t row_capacity_;  // slots per row: a row slides along them and is moved back when it hits the end

  // Row r's buckets, oldest first, are at [r * row_capacity_ + head, ... + count) of totals_ and variances_.
  struct Row {
    std::size_t head = 0;
    std::size_t count = 0;
  };
  std::size_t rows_ = 0;  // rows in use; the arrays may hold more (kept from before a shrink)
  std::vector<Row> row_;
  std::vector<double> totals_;
  std::vector<double> variances_;
  // total_ and variance_ are not adjacent on purpose: GCC then stores both with one 16-byte write, and the
  // next update's 8-byte read of the upper half misses store forwarding (measured: 16.6 vs 11.9 ns/update).
  double total_ = 0.0;
  double width_ = 0.0;
  std::uint64_t tick_ = 0;
  double variance_ = 0.0;          // sum of squared deviations from the window mean
  std::uint64_t until_check_ = 1;  // updates until tick_ is a multiple of params_.clock
  bool drift_ = false;
};

// The cut test, apart so that tests can check the bound against the exact form directly.
namespace adwin_detail {

// River's test of one cut: W0 = n0 elements summing to u0 (older), W1 = n1 elements summing to u1, over a
// window whose variance per element is `variance_in_window`; delta_prime = ln(2 ln W / delta). The ADWIN2
// bound, with m = harmonic term over the lengths past min_window_length. Evaluated as River writes it.
inline bool SignificantCut(double n0, double n1, double u0, double u1, double min_len,
                           double variance_in_window, double delta_prime) {
  const double delta_mean = (u0 / n0) - (u1 / n1);
  const double m_recip = (1.0 / (n0 - min_len + 1.0)) + (1.0 / (n1 - min_len + 1.0));
  const double epsilon =
      std::sqrt(2.0 * m_recip * variance_in_window * delta_prime) + 2.0 / 3.0 * delta_prime * m_recip;
  return std::fabs(delta_mean) > epsilon;
}

// A conservative form of the same bound that can only say "this cut is not significant", with five
// multiplications and no division or square root. Adwin asks it first and runs SignificantCut() only for
// the cuts it does not rule out, so no signal can change. Valid for min_len >= 1 and n0, n1 >= min_len.
//
// SignificantCut() signals when |dm| > eps with
//   dm  = u0/n0 - u1/n1,   m = 1/(n0 - L + 1) + 1/(n1 - L + 1),
//   eps = sqrt(2 m v dp) + 2/3 dp m,      v = variance_in_window,  dp = delta_prime,  L = min_len >= 1.
// With n0, n1 exact integers (W = n0 + n1 < 2^52), L >= 1 gives m >= 1/n0 + 1/n1 = W / (n0 n1), so
//   n0 n1 eps >= sqrt(2 v dp W n0 n1) + 2/3 dp W =: sqrt(Y) + Z,
//   n0 n1 |dm| <= |u0 n1 - u1 n0| + (rounding of the divisions, < 3 * 2^-53 (|u0| n1 + |u1| n0)).
// RulesOut() computes a = u0 n1, b = u1 n0 and X = |a - b| + 2^-48 (|a| + |b|), which covers the rounding
// of both the exact test's dm and X itself (2^-48 = 32 units of 2^-53), and checks X < Z' + sqrt(Y') with
// Z', Y' (built once per pass) deflated by 2^-32; that margin exceeds the relative rounding of every step
// here and of eps (fewer than 40 roundings of 2^-53 each) by a factor of more than 2^14, and the absolute
// error of a subnormal intermediate (< 2^-1000 scaled by n0 n1 <= 2^104) is far below 2^-32 Z'.
// X < Z' + sqrt(Y') is tested without the root: X - Z' < 0, or (X - Z')^2 < Y' (the sign of a rounded
// difference is exact; squaring costs a few more roundings, inside the margin).
// Outside the ranges where this holds (v negative or huge, W past 2^52, dp tiny or huge) Z' = -inf, and a
// NaN or infinity anywhere makes both comparisons false: the bound then rules nothing out.
class CutBound {
 public:
  CutBound(double width, double delta_prime, double variance_in_window) {
    constexpr double kDeflate = 1.0 - 0x1p-32;
    if (!(width >= 2.0 && width < 0x1p52 && delta_prime >= 1e-100 && delta_prime <= 1e100 &&
          variance_in_window >= 0.0 && variance_in_window <= 1e100)) {
      return;
    }
    z_ = 2.0 / 3.0 * delta_prime * width * kDeflate;
    // Below 1e-280 products could round up from subnormals; 0 is a valid lower bound for the root term.
    if (variance_in_window >= 1e-280) y_per_n0n1_ = 2.0 * variance_in_window * delta_prime * width * kDeflate;
  }

  bool RulesOut(double n0, double n1, double u0, double u1) const {
    const double a = u0 * n1;
    const double b = u1 * n0;
    const double x = std::fabs(a - b) + 0x1p-48 * (std::fabs(a) + std::fabs(b));
    const double d = x - z_;
    return (d < 0.0) | (d * d < y_per_n0n1_ * n0 * n1);
  }

 private:
  double z_ = -std::numeric_limits<double>::infinity();
  double y_per_n0n1_ = 0.0;
};

}  // namespace adwin_detail

}  // namespace driftgate::detect

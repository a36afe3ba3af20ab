// Regression metrics (mae, rmse, mape, r2) on predicted_value / actual_value. See estimators.h.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

#include "core/kpi/estimators.h"
#include "core/kpi/intervals.h"

namespace driftgate::kpi {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// sklearn mean_absolute_percentage_error: epsilon = np.finfo(np.float64).eps guards a zero actual, so such a
// pair contributes |yhat| / 2^-52 (huge, but finite), and 0 when its prediction is exact.
constexpr double kMapeEps = std::numeric_limits<double>::epsilon();

// Mean of a per-pair loss with its t interval, lower bound clipped at 0 (losses are non-negative).
template <class Loss>
std::optional<Estimate> MeanLoss(std::span<const Pair> pairs, double confidence, Loss loss) {
  if (pairs.empty()) return std::nullopt;
  MeanAccumulator acc;
  for (const Pair& pair : pairs) acc.Add(loss(pair));
  const Interval ci = MeanTInterval(acc, confidence);
  return Estimate{
      .value = acc.mean(), .lower = std::max(ci.lower, 0.0), .upper = ci.upper, .n = pairs.size()};
}

}  // namespace

std::optional<Estimate> EstimateMae(std::span<const Pair> pairs, double confidence) {
  return MeanLoss(pairs, confidence,
                  [](const Pair& p) { return std::abs(p.actual_value - p.predicted_value); });
}

std::optional<Estimate> EstimateMape(std::span<const Pair> pairs, double confidence) {
  return MeanLoss(pairs, confidence, [](const Pair& p) {
    return std::abs(p.actual_value - p.predicted_value) / std::max(std::abs(p.actual_value), kMapeEps);
  });
}

std::optional<Estimate> EstimateRmse(std::span<const Pair> pairs, double confidence) {
  std::optional<Estimate> mse = MeanLoss(pairs, confidence, [](const Pair& p) {
    const double e = p.actual_value - p.predicted_value;
    return e * e;
  });
  if (!mse) return std::nullopt;
  // sqrt is monotone, so the interval on the mse maps to one on the rmse with the same coverage.
  return Estimate{.value = std::sqrt(mse->value),
                  .lower = std::sqrt(mse->lower),
                  .upper = std::sqrt(mse->upper),
                  .n = mse->n};
}

std::optional<Estimate> EstimateR2(std::span<const Pair> pairs, double confidence) {
  if (pairs.empty()) return std::nullopt;
  const auto [min_it, max_it] =
      std::minmax_element(pairs.begin(), pairs.end(),
                          [](const Pair& a, const Pair& b) { return a.actual_value < b.actual_value; });
  const double min_actual = min_it->actual_value;
  const double max_actual = max_it->actual_value;
  // Constant actuals: SS_tot = 0 and r2 is undefined. Tested on the values themselves, not on a computed
  // SS_tot, which rounding can leave a hair above 0 (e.g. three 0.1s).
  if (min_actual == max_actual) return std::nullopt;

  MeanAccumulator actuals;  // mean and SS_tot = sum (y - mean)^2
  double ss_res = 0.0;
  std::size_t at_min = 0;
  std::size_t at_max = 0;
  for (const Pair& pair : pairs) {
    actuals.Add(pair.actual_value);
    const double e = pair.actual_value - pair.predicted_value;
    ss_res += e * e;
    at_min += pair.actual_value == min_actual ? 1 : 0;
    at_max += pair.actual_value == max_actual ? 1 : 0;
  }
  const double ss_tot = actuals.m2();
  const double value = 1.0 - ss_res / ss_tot;
  const std::size_t n = pairs.size();
  Estimate estimate{.value = value, .lower = -kInf, .upper = 1.0, .n = n};
  // Two distinct actual values, one of them held by a single pair: leaving that pair out leaves constant
  // actuals, an undefined replicate. Keep the whole range (-inf, 1].
  if (at_min + at_max == n && (at_min == 1 || at_max == 1)) return estimate;

  // Leave-one-out sums in O(1): SS_res loses e_i^2; SS_tot loses (y_i - mean)^2 * n / (n - 1) (the
  // downdate of Welford's sum of squares).
  const double nd = static_cast<double>(n);
  const double mean = actuals.mean();
  MeanAccumulator replicates;
  for (const Pair& pair : pairs) {
    const double e = pair.actual_value - pair.predicted_value;
    const double d = pair.actual_value - mean;
    const double ss_res_i = std::max(ss_res - e * e, 0.0);
    const double ss_tot_i = ss_tot - d * d * nd / (nd - 1.0);
    if (!(ss_tot_i > 0.0)) return estimate;  // only through cancellation; treat as undefined
    replicates.Add(1.0 - ss_res_i / ss_tot_i);
  }
  const Interval ci = NormalInterval(value, JackknifeStandardError(replicates), confidence);
  estimate.lower = ci.lower;
  estimate.upper = std::min(ci.upper, 1.0);
  return estimate;
}

}  // namespace driftgate::kpi

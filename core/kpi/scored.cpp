// Metrics of the positive-class score: roc_auc and log_loss, over the pairs that carry a score.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <vector>

#include "core/kpi/estimators.h"
#include "core/kpi/intervals.h"

namespace driftgate::kpi {
namespace {

// sklearn 1.2 log_loss(eps="auto"): eps = np.finfo(y_pred.dtype).eps, the float64 machine epsilon for our
// doubles (2^-52). Before 1.2 the default was a fixed 1e-15.
constexpr double kLogLossEps = std::numeric_limits<double>::epsilon();

// One pair's loss as sklearn computes it: clip p to [eps, 1 - eps], form the row [1 - p, p], renormalize it
// by its sum (which can differ from 1 by an ulp), take -log of the actual class's entry.
double PairLogLoss(double score, bool actual_positive) {
  const double p = std::clamp(score, kLogLossEps, 1.0 - kLogLossEps);
  const double q = 1.0 - p;
  const double sum = q + p;
  return -std::log((actual_positive ? p : q) / sum);
}

}  // namespace

std::optional<Estimate> EstimateRocAuc(std::span<const Pair> pairs, double confidence) {
  std::vector<double> positives;
  std::vector<double> negatives;
  positives.reserve(pairs.size());
  negatives.reserve(pairs.size());
  for (const Pair& pair : pairs) {
    if (!pair.score) continue;
    (pair.actual == kPositiveClass ? positives : negatives).push_back(*pair.score);
  }
  if (positives.empty() || negatives.empty()) return std::nullopt;

  const DeLongEstimate delong = DeLong(positives, negatives);
  Estimate estimate{
      .value = delong.auc, .lower = 0.0, .upper = 1.0, .n = positives.size() + negatives.size()};
  // A single positive or negative leaves its component's sample variance undefined: keep [0, 1].
  if (delong.variance_defined) {
    const Interval ci = NormalInterval(delong.auc, std::sqrt(delong.variance), confidence);
    estimate.lower = std::clamp(ci.lower, 0.0, 1.0);
    estimate.upper = std::clamp(ci.upper, 0.0, 1.0);
  }
  return estimate;
}

std::optional<Estimate> EstimateLogLoss(std::span<const Pair> pairs, double confidence) {
  MeanAccumulator losses;
  for (const Pair& pair : pairs) {
    if (pair.score) losses.Add(PairLogLoss(*pair.score, pair.actual == kPositiveClass));
  }
  if (losses.count() == 0.0) return std::nullopt;
  const Interval ci = MeanTInterval(losses, confidence);
  return Estimate{.value = losses.mean(),
                  .lower = std::max(ci.lower, 0.0),
                  .upper = ci.upper,
                  .n = static_cast<std::size_t>(losses.count())};
}

}  // namespace driftgate::kpi

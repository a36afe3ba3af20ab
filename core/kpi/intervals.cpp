#include "core/kpi/intervals.h"

#include <algorithm>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace driftgate::kpi {

double NormalCritical(double confidence) {
  const boost::math::normal_distribution<double> normal;
  // The upper tail holds (1 - confidence) / 2; the complement form keeps precision for confidence near 1.
  return boost::math::quantile(boost::math::complement(normal, (1.0 - confidence) / 2.0));
}

double StudentCritical(double confidence, double df) {
  const boost::math::students_t_distribution<double> t(df);
  return boost::math::quantile(boost::math::complement(t, (1.0 - confidence) / 2.0));
}

Interval WilsonInterval(std::size_t successes, std::size_t trials, double confidence) {
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z = NormalCritical(confidence);
  const double z2 = z * z;
  const double denom = 1.0 + z2 / n;
  const double center = (p + z2 / (2.0 * n)) / denom;
  const double half = z / denom * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  return {std::clamp(center - half, 0.0, 1.0), std::clamp(center + half, 0.0, 1.0)};
}

Interval NormalInterval(double value, double se, double confidence) {
  const double half = NormalCritical(confidence) * se;
  return {value - half, value + half};
}

void MeanAccumulator::Add(double x, double weight) {
  // West (1979), "Updating mean and variance estimates: an improved method", CACM 22:532.
  count_ += weight;
  const double delta = x - mean_;
  mean_ += weight / count_ * delta;
  m2_ += weight * delta * (x - mean_);
}

Interval MeanTInterval(const MeanAccumulator& acc, double confidence) {
  const double n = acc.count();
  if (n < 2.0) {
    constexpr double kInf = std::numeric_limits<double>::infinity();
    return {-kInf, kInf};
  }
  // m2 can come out a hair below 0 only through rounding of a zero-spread sample.
  const double sd = std::sqrt(std::max(acc.m2(), 0.0) / (n - 1.0));
  const double half = StudentCritical(confidence, n - 1.0) * sd / std::sqrt(n);
  return {acc.mean() - half, acc.mean() + half};
}

double JackknifeStandardError(const MeanAccumulator& replicates) {
  const double n = replicates.count();
  if (n < 1.0) return 0.0;
  return std::sqrt((n - 1.0) / n * std::max(replicates.m2(), 0.0));
}

DeLongEstimate DeLong(std::span<double> positive_scores, std::span<double> negative_scores) {
  std::sort(positive_scores.begin(), positive_scores.end());
  std::sort(negative_scores.begin(), negative_scores.end());
  const std::size_t m = positive_scores.size();
  const std::size_t n = negative_scores.size();
  const double inv_m = 1.0 / static_cast<double>(m);
  const double inv_n = 1.0 / static_cast<double>(n);

  // Sun & Xu (2014): V10(x) = (T_Z(x) - T_X(x)) / n, where T_Z, T_X are midranks in the pooled and the
  // positive sample; that difference is #{negatives < x} + #{negatives == x} / 2, which a merge of the two
  // sorted samples yields directly. Symmetrically V01(y) = #{positives > y} + #{positives == y} / 2, over m.
  MeanAccumulator v10;
  std::size_t below = 0;
  std::size_t not_above = 0;
  for (const double x : positive_scores) {
    while (below < n && negative_scores[below] < x) ++below;
    not_above = std::max(not_above, below);
    while (not_above < n && negative_scores[not_above] <= x) ++not_above;
    const double ties = static_cast<double>(not_above - below);
    v10.Add((static_cast<double>(below) + 0.5 * ties) * inv_n);
  }
  MeanAccumulator v01;
  below = 0;
  not_above = 0;
  for (const double y : negative_scores) {
    while (below < m && positive_scores[below] < y) ++below;
    not_above = std::max(not_above, below);
    while (not_above < m && positive_scores[not_above] <= y) ++not_above;
    const double ties = static_cast<double>(not_above - below);
    const double above = static_cast<double>(m - not_above);
    v01.Add((above + 0.5 * ties) * inv_m);
  }

  DeLongEstimate result;
  result.auc = v10.mean();
  if (m >= 2 && n >= 2) {
    const double s10 = std::max(v10.m2(), 0.0) / static_cast<double>(m - 1);
    const double s01 = std::max(v01.m2(), 0.0) / static_cast<double>(n - 1);
    result.variance = s10 * inv_m + s01 * inv_n;
    result.variance_defined = true;
  }
  return result;
}

}  // namespace driftgate::kpi

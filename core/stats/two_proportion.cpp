#include "core/stats/two_proportion.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>

namespace driftgate::stats {

ZResult TwoProportionZTest(double reference_successes, double reference_total, double current_successes,
                           double current_total) {
  const double p1 = reference_successes / reference_total;
  const double p2 = current_successes / current_total;
  const double pooled = (reference_successes + current_successes) / (reference_total + current_total);
  const double variance = pooled * (1.0 - pooled) * (1.0 / reference_total + 1.0 / current_total);
  ZResult result;
  if (!(variance > 0.0)) return result;
  result.statistic = (p1 - p2) / std::sqrt(variance);
  const boost::math::normal_distribution<double> standard_normal;
  result.p_value =
      2.0 * boost::math::cdf(boost::math::complement(standard_normal, std::fabs(result.statistic)));
  return result;
}

}  // namespace driftgate::stats

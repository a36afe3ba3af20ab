#include "core/stats/chi2.h"

#include <algorithm>
#include <boost/math/distributions/chi_squared.hpp>
#include <vector>

namespace driftgate::stats {

Chi2Result Chi2Homogeneity(std::span<const double> reference_counts, std::span<const double> current_counts) {
  std::vector<double> ref;
  std::vector<double> cur;
  for (std::size_t j = 0; j < std::min(reference_counts.size(), current_counts.size()); ++j) {
    if (reference_counts[j] + current_counts[j] > 0.0) {
      ref.push_back(reference_counts[j]);
      cur.push_back(current_counts[j]);
    }
  }
  Chi2Result result;
  if (ref.size() < 2) return result;
  double ref_total = 0.0;
  double cur_total = 0.0;
  for (std::size_t j = 0; j < ref.size(); ++j) {
    ref_total += ref[j];
    cur_total += cur[j];
  }
  const double total = ref_total + cur_total;
  double statistic = 0.0;
  for (std::size_t j = 0; j < ref.size(); ++j) {
    const double column = ref[j] + cur[j];
    const double expected_ref = ref_total * column / total;
    const double expected_cur = cur_total * column / total;
    statistic += (ref[j] - expected_ref) * (ref[j] - expected_ref) / expected_ref;
    statistic += (cur[j] - expected_cur) * (cur[j] - expected_cur) / expected_cur;
  }
  result.dof = static_cast<int>(ref.size()) - 1;
  result.statistic = statistic;
  const boost::math::chi_squared_distribution<double> distribution(result.dof);
  result.p_value = boost::math::cdf(boost::math::complement(distribution, statistic));
  return result;
}

}  // namespace driftgate::stats

#include "core/stats/divergence.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

namespace driftgate::stats {
namespace {

std::vector<double> Proportions(std::span<const double> counts, double total) {
  std::vector<double> p(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) p[i] = counts[i] / total;
  return p;
}

// scipy.special.rel_entr(x, y) for x >= 0, y > 0 where x > 0.
double RelativeEntropyTerm(double x, double y) { return x > 0.0 ? x * std::log(x / y) : 0.0; }

}  // namespace

double PopulationStabilityIndex(std::span<const double> reference_counts, double reference_total,
                                std::span<const double> current_counts, double current_total) {
  double psi = 0.0;
  for (std::size_t i = 0; i < std::min(reference_counts.size(), current_counts.size()); ++i) {
    double r = reference_counts[i] / reference_total;
    double c = current_counts[i] / current_total;
    if (r == 0.0) r = kPsiZeroProportion;
    if (c == 0.0) c = kPsiZeroProportion;
    psi += (c - r) * std::log(c / r);
  }
  return psi;
}

double JensenShannonDistance(std::span<const double> reference_counts, double reference_total,
                             std::span<const double> current_counts, double current_total) {
  std::vector<double> p = Proportions(reference_counts, reference_total);
  std::vector<double> q = Proportions(current_counts, current_total);
  // scipy renormalises its inputs; proportions already sum to 1 up to rounding, which this repeats.
  double p_sum = 0.0;
  double q_sum = 0.0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    p_sum += p[i];
    q_sum += q[i];
  }
  double divergence = 0.0;
  for (std::size_t i = 0; i < std::min(p.size(), q.size()); ++i) {
    const double pi = p[i] / p_sum;
    const double qi = q[i] / q_sum;
    const double mi = (pi + qi) / 2.0;
    divergence += RelativeEntropyTerm(pi, mi) + RelativeEntropyTerm(qi, mi);
  }
  divergence /= std::numbers::ln2;
  // Rounding can leave a tiny negative sum for near-identical inputs; the distance is then 0.
  return std::sqrt(std::max(divergence, 0.0) / 2.0);
}

}  // namespace driftgate::stats

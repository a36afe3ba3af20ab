// Chi-squared test of homogeneity on a 2×k contingency table (reference counts, current counts), with
// no continuity correction: scipy.stats.chi2_contingency([reference, current], correction=False).
//   E_rj = R_r·C_j / N,  chi2 = Σ (O_rj - E_rj)² / E_rj,  dof = k - 1,  p = Pr(χ²_dof >= chi2)
// (Pearson 1900; p from Boost.Math chi_squared). Columns empty in both rows are dropped first (they
// carry no information, and scipy rejects a zero expected frequency). With one column left the table is
// degenerate and, as scipy, chi2 = 0 and p = 1.
#pragma once

#include <span>

namespace driftgate::stats {

struct Chi2Result {
  double statistic = 0.0;
  double p_value = 1.0;
  int dof = 0;
};

// Counts must be non-negative, same length, and each row must have a positive total.
Chi2Result Chi2Homogeneity(std::span<const double> reference_counts, std::span<const double> current_counts);

}  // namespace driftgate::stats

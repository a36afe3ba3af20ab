// Distances between the binned distributions of two samples (counts from binning.h).
//
// PSI, the population stability index (Siddiqi 2006, "Credit Risk Scorecards", ch. 8; Evidently's
// `psi` stattest): with proportions r_i = ref_i / N_ref and c_i = cur_i / N_cur, each zero proportion
// replaced by 1e-4 (without renormalising),  psi = Σ (c_i - r_i)·ln(c_i / r_i).
//
// Jensen–Shannon distance (Lin 1991), scipy.spatial.distance.jensenshannon(p, q, base=2) on the raw
// proportions: p and q renormalised to sum 1, m = (p + q)/2,
//   js = sqrt( (Σ p·ln(p/m) + Σ q·ln(q/m)) / (2·ln 2) ),  0·ln(0/·) = 0.  In [0, 1].
#pragma once

#include <span>

namespace driftgate::stats {

inline constexpr double kPsiZeroProportion = 1e-4;

// Counts of the same length; totals are the sample sizes (> 0).
double PopulationStabilityIndex(std::span<const double> reference_counts, double reference_total,
                                std::span<const double> current_counts, double current_total);
double JensenShannonDistance(std::span<const double> reference_counts, double reference_total,
                             std::span<const double> current_counts, double current_total);

}  // namespace driftgate::stats

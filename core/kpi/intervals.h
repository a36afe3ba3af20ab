// Confidence intervals of the KPIs (kpi/metrics.h), all two-sided at level `confidence` (0.95 puts 2.5% in
// each tail). Quantiles come from Boost.Math (normal, students_t).
//
// Method per metric (what kpi::Compute returns):
//   accuracy, precision, recall   Wilson score interval on the proportion (Wilson 1927, JASA 22:209-212),
//                                 n = its denominator: all pairs / predicted positives / actual positives.
//   f1, macro_f1, weighted_f1     Delete-one jackknife standard error (Quenouille 1956, Biometrika 43:353;
//                                 Tukey 1958), normal interval value +- z*se, clipped to [0, 1]. A
//                                 leave-one-out F1 only depends on which confusion-matrix cell loses a
//                                 count, so every replicate is O(1) from the per-class tallies.
//   roc_auc                       DeLong, DeLong & Clarke-Pearson 1988 (Biometrics 44:837-845) variance,
//                                 computed with the O(n log n) midrank algorithm of Sun & Xu 2014 (IEEE
//                                 Signal Processing Letters 21:1389-1393); normal interval clipped to [0, 1].
//   log_loss, mae, mape           Student t interval of the mean of per-pair losses, n-1 degrees of freedom
//                                 (mean +- t*s/sqrt(n), s the sample standard deviation), lower bound clipped
//                                 at 0.
//   rmse                          t interval of the mean squared error as above; lower clipped at 0, then the
//                                 square root of each bound (monotone, so coverage carries over).
//   r2                            Delete-one jackknife (as for f1; leave-one-out sums are O(1) each), normal
//                                 interval, upper bound clipped at 1 (r2 never exceeds 1).
//
// Degenerate cases (never NaN):
//   - Zero spread (every loss equal, every jackknife replicate equal): the formula gives [value, value] and
//     that is what is returned.
//   - The spread cannot be estimated: n = 1 for a t interval (0/0 sample variance, t with 0 df); a
//     leave-one-out replicate that is itself undefined (binary f1 with TP+FP+FN = 1, multiclass f1 with
//     n = 1, r2 when dropping one pair leaves constant actuals); DeLong with fewer than two positives or two
//     negatives (a sample variance of one value). Then the interval is the metric's whole range, so no
//     breach can be confirmed from it: [0, 1] for f1/roc_auc, [0, +inf) for losses, (-inf, 1] for r2.
//     Callers that serialize bounds must map +-infinity (JSON has no infinity).
//   - Wilson intervals are always defined for n >= 1.
#pragma once

#include <cstddef>
#include <span>

namespace driftgate::kpi {

struct Interval {
  double lower = 0.0;
  double upper = 0.0;
};

// z with P(Z <= z) = 1 - (1 - confidence) / 2 for standard normal Z. Precondition: 0 < confidence < 1.
double NormalCritical(double confidence);

// t with P(T <= t) = 1 - (1 - confidence) / 2 for Student's t with `df` >= 1 degrees of freedom.
double StudentCritical(double confidence, double df);

// Wilson (1927) score interval for `successes` out of `trials` >= 1:
//   (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n), p = successes / trials.
// Always inside [0, 1]; the bounds are clipped there only to absorb rounding.
Interval WilsonInterval(std::size_t successes, std::size_t trials, double confidence);

// value -+ z * se (se >= 0).
Interval NormalInterval(double value, double se, double confidence);

// Weighted running mean and sum of squared deviations (Welford 1962; West 1979 for weights): one pass,
// numerically stable, no storage. Used for t intervals of mean losses, DeLong's structural components and
// jackknife replicates.
class MeanAccumulator {
 public:
  void Add(double x, double weight = 1.0);
  double count() const { return count_; }
  double mean() const { return mean_; }
  // Sum of squared deviations from the mean.
  double m2() const { return m2_; }

 private:
  double count_ = 0.0;
  double mean_ = 0.0;
  double m2_ = 0.0;
};

// t interval of the mean of the values in `acc`: mean -+ t_{n-1} * s / sqrt(n) with s^2 = m2 / (n - 1).
// n = 1 gives (-inf, +inf): the spread cannot be estimated (callers clip to their range).
Interval MeanTInterval(const MeanAccumulator& acc, double confidence);

// Jackknife standard error from the leave-one-out replicates in `replicates` (one Add per left-out pair,
// or one weighted Add per group of pairs with equal replicates): se^2 = (n-1)/n * sum (theta_i - mean)^2.
double JackknifeStandardError(const MeanAccumulator& replicates);

struct DeLongEstimate {
  double auc = 0.0;
  // var(AUC) = S10/m + S01/n (DeLong et al. 1988, one curve), S10 and S01 the sample variances (n - 1
  // denominators) of the structural components. Needs m >= 2 and n >= 2: otherwise `variance_defined` is
  // false and `variance` 0.
  double variance = 0.0;
  bool variance_defined = false;
};

// AUC of positive scores against negative scores (Mann-Whitney U / (m n), ties count one half: equal to
// sklearn.metrics.roc_auc_score) and its DeLong variance. Sorts both spans in place (Sun & Xu 2014: midranks
// of the pooled sample minus midranks within each class give the structural components V10, V01 in
// O(n log n)). Precondition: both spans non-empty.
DeLongEstimate DeLong(std::span<double> positive_scores, std::span<double> negative_scores);

}  // namespace driftgate::kpi

// Label-free performance estimation for binary classifiers: CBPE, "confidence-based performance
// estimation" as NannyML publishes it (docs: "How it works: Performance Estimation", CBPE).
//
// 1. Calibrate: fit an isotonic regression of the label (0/1) on the score over a labelled reference
//    (pool-adjacent-violators, Ayer et al. 1955; Barlow et al. 1972). Semantics are
//    sklearn.isotonic.IsotonicRegression(increasing=True, out_of_bounds="clip"): equal scores are pooled
//    first (weighted mean of their labels), then PAV; Predict() interpolates linearly between the fitted
//    points and clips outside [min score, max score]. NannyML calibrates the same way.
// 2. Estimate: on unlabelled predictions, p_i = calibrated P(y_i = 1 | score_i) is the probability that
//    prediction i is a positive. The expected confusion matrix is
//      E[TP] = sum p_i [yhat_i = 1]   E[FP] = sum (1 - p_i) [yhat_i = 1]
//      E[FN] = sum p_i [yhat_i = 0]   E[TN] = sum (1 - p_i) [yhat_i = 0]
//    and each KPI is its formula over the expected counts (accuracy = (TP+TN)/n, precision = TP/(TP+FP),
//    recall = TP/(TP+FN), f1 = 2TP/(2TP+FP+FN)). roc_auc is the expected AUC of NannyML: the ROC curve
//    with each prediction counted p_i as a positive and (1 - p_i) as a negative — the weighted
//    Mann-Whitney statistic sum_{i,j} p_i (1-p_j) [s_i > s_j] / (sum p)(sum 1-p) over all i, j, equal
//    scores (and i = j) counting 1/2 — the trapezoidal area under that expected curve, ranked by the raw
//    score.
//
// Interval (our choice; NannyML reports a sampling error instead): the labels are independent
// Bernoulli(p_i) given the scores, so TP and FN (and FP, TN, which follow from the fixed prediction
// counts) are sums of independent Bernoullis with Var = sum p_i (1 - p_i) over their predictions. Each KPI
// is a function of (A = TP, B = FN) — accuracy and precision linear in A (and in B for accuracy),
// recall = A/(A+B), f1 = 2A/(n_pos + A + B) with n_pos the predicted positives — and its variance is
// propagated with the delta method (first-order Taylor) from Var A and Var B (A and B are independent:
// they sum over disjoint predictions). The interval is value -+ z sqrt(var), clipped to [0, 1]. roc_auc
// uses the Hanley & McNeil (1982, Radiology 143:29-36) variance with the expected class sizes
// m = sum p_i and n = sum (1 - p_i).
// The calibration's own error is added when the calibration is passed (EstimateMetric's last argument):
// each isotonic block's value is a mean of W_b reference labels, Var = m_b (1 - m_b) / W_b, and every
// p_i is a fixed linear combination of at most two block values (the interpolation), so A and B are
// linear in the block values; the delta method adds sum_b (dKPI/dA dA/dm_b + dKPI/dB dB/dm_b)^2 Var_b
// (treating the blocks as fixed, as isotonic inference commonly does). This term does not shrink with the
// window: a window concentrated where the reference is thin is uncertain however long it is. Not for
// roc_auc (Hanley-McNeil only). The interval covers the realized KPI when the concept P(y | score) has not
// changed since the reference — a concept shift is exactly what CBPE cannot see.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "core/kpi/metrics.h"

namespace driftgate::kpi {

// A fitted, non-decreasing step-linear calibration curve.
class IsotonicCalibration {
 public:
  // Fits labels (0 or 1) on scores; pairs with a non-finite score are ignored. nullopt when fewer than two
  // distinct scores or only one class remains.
  static std::optional<IsotonicCalibration> Fit(std::span<const double> scores, std::span<const int> labels);

  // Calibrated probability at `score`: linear interpolation between the fitted points, clipped outside.
  double Predict(double score) const;

  // The fitted points (distinct scores ascending, their fitted values), as sklearn's X_/y_ thresholds
  // before it drops redundant interior points of flat runs (which interpolation does not need).
  const std::vector<double>& xs() const { return xs_; }
  const std::vector<double>& ys() const { return ys_; }

  // The interpolation of Predict(score) as weights on blocks: (block, weight) pairs, weights summing to 1.
  std::vector<std::pair<std::size_t, double>> Terms(double score) const;
  std::size_t blocks() const { return block_var_.size(); }
  // Var of block b's fitted value: m (1 - m) / W over its W reference labels.
  double BlockVariance(std::size_t b) const { return block_var_[b]; }

 private:
  std::vector<double> xs_;
  std::vector<double> ys_;
  std::vector<std::size_t> block_of_;  // per fitted point
  std::vector<double> block_var_;
};

// One unlabelled prediction: the predicted class is positive (`predicted_positive`), `probability` its
// calibrated P(y = 1), `score` the raw score (roc_auc ranks by it).
struct EstimatedInput {
  bool predicted_positive = false;
  double probability = 0.0;
  double score = 0.0;
};

// The expected confusion matrix of `inputs` (see the header comment).
struct ExpectedConfusion {
  double tp = 0, fp = 0, fn = 0, tn = 0;
  double var_tp = 0, var_fn = 0;  // Var of TP and FN as sums of independent Bernoullis
  std::size_t predicted_positive = 0, n = 0;
};
ExpectedConfusion ExpectConfusion(std::span<const EstimatedInput> inputs);

// The estimated `metric` (accuracy, precision, recall, f1, roc_auc) with its interval at two-sided
// `confidence`; `n` is the number of predictions used. nullopt when the metric is undefined on the
// expected counts (no predicted positive for precision, no expected positive for recall/f1/roc_auc, no
// expected negative for roc_auc), for other metrics, or for an empty input.
// `calibration`: the one that gave the probabilities (their scores are its inputs); adds its error.
std::optional<Estimate> EstimateMetric(Metric metric, std::span<const EstimatedInput> inputs,
                                       double confidence, const IsotonicCalibration* calibration = nullptr);

}  // namespace driftgate::kpi

// Label-free performance estimation for multiclass classifiers: CBPE as NannyML publishes it for the
// multiclass case (docs "How it works: Performance Estimation", CBPE; nannyml's
// performance_estimation/confidence_based, multiclass metrics).
//
// 1. Calibrate one-vs-rest: for each class k, an isotonic regression (core/kpi/cbpe.h, sklearn's
//    IsotonicRegression(out_of_bounds="clip")) of [y = k] on the model's score for k, over the labelled
//    reference. On an unlabelled prediction the calibrated values c_ik are normalized to sum to 1,
//    p_ik = c_ik / sum_j c_ij (NannyML does the same; a row whose calibrated values are all 0 gets 1/K each).
// 2. Estimate from the expected confusion matrix: with the predicted class yhat_i fixed and the true class
//    drawn from p_i., E[C(t, j)] = sum_i p_it [yhat_i = j]. So with P_k the predicted count of k,
//      TP_k = sum_{yhat_i = k} p_ik,   T_k = sum_i p_ik (expected true count),
//    accuracy = sum_k TP_k / n, precision_k = TP_k / P_k, recall_k = TP_k / T_k,
//    F1_k = 2 TP_k / (P_k + T_k) (0 when P_k + T_k = 0, as sklearn's zero_division), macro_f1 = the mean of
//    F1_k over the calibrated classes, weighted_f1 = sum_k T_k F1_k / n (sklearn's support weights,
//    expected).
//
// Interval (our choice; NannyML reports a sampling error instead): given the scores, the true classes are
// independent categorical draws with probabilities p_i.. Each metric M is a smooth function of the
// indicators Z_ik = [y_i = k] through TP_k and T_k; with g_ik = dM/dZ_ik at Z = p (the delta method),
//      Var_label = sum_i ( sum_k g_ik^2 p_ik - (sum_k g_ik p_ik)^2 )   (variance of a categorical draw).
// The calibration's own error is added as for the binary case (cbpe.h): each isotonic block value m_b of
// class k's calibration is a mean of W_b reference indicators, Var = m_b (1 - m_b) / W_b; c_ik is linear in
// at most two block values of calibration k, and p_ik = c_ik / S_i, so
//      dM/dm_b = sum_i w_ib (g_ik - sum_j g_ij p_ij) / S_i,   Var_cal = sum_{k,b} (dM/dm_b)^2 Var_b.
// The interval is value -+ z sqrt(Var_label + Var_cal), clipped to [0, 1]. It covers the realized metric
// when P(y | scores) has not changed since the reference (covariate shift); a concept shift is what no
// label-free estimate can see.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/kpi/cbpe.h"
#include "core/kpi/metrics.h"

namespace driftgate::kpi {

class MulticlassCalibration {
 public:
  // `classes`: the K classes that have scores. `scores`: n x K, row-major (row i's score for class k at
  // i * K + k; a non-finite score leaves the pair out of class k's fit). `labels`: each row's true class as
  // an index into `classes`, or K for a class outside them (a negative for every one-vs-rest fit).
  // nullopt when some class's fit fails (fewer than two distinct scores, or no positive or no negative).
  static std::optional<MulticlassCalibration> Fit(std::vector<std::string> classes,
                                                  std::span<const double> scores,
                                                  std::span<const std::size_t> labels);

  const std::vector<std::string>& classes() const { return classes_; }
  const IsotonicCalibration& calibration(std::size_t k) const { return per_class_[k]; }
  // The normalized calibrated probabilities of one row of K scores.
  std::vector<double> Predict(std::span<const double> scores) const;

 private:
  std::vector<std::string> classes_;
  std::vector<IsotonicCalibration> per_class_;
};

// One unlabelled prediction: its predicted class (an index into the calibration's classes) and its K
// scores, in the calibration's class order.
struct MulticlassInput {
  std::size_t predicted = 0;
  std::vector<double> scores{};
};

struct MulticlassEstimates {
  std::optional<Estimate> accuracy{}, macro_f1{}, weighted_f1{};
  std::vector<std::optional<Estimate>> precision{}, recall{};  // per class, the calibration's order
};

// The estimates over `inputs` at two-sided `confidence`; inputs whose predicted index is out of range are
// left out. `calibration_error`: add Var_cal (see the header comment). Empty when nothing is left.
MulticlassEstimates EstimateMulticlass(const MulticlassCalibration& calibration,
                                       std::span<const MulticlassInput> inputs, double confidence,
                                       bool calibration_error = true);

}  // namespace driftgate::kpi

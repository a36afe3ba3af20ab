// One estimator per metric, behind kpi::Compute (metrics.h), which checks that the metric applies to the
// task, that `pairs` is non-empty and that 0 < confidence < 1. Each returns nullopt exactly when the metric
// is undefined on `pairs` (stated per function). Values follow scikit-learn 1.2 (Debian 12's); intervals
// are documented in kpi/intervals.h. Estimate::n is pairs.size(), or the scored pairs for roc_auc/log_loss.
#pragma once

#include <optional>
#include <span>

#include "core/kpi/metrics.h"

namespace driftgate::kpi {

// Fraction of pairs with predicted == actual (sklearn accuracy_score compares the labels themselves, so a
// binary task's "2" and "0" are different classes here, unlike precision/recall/f1). Wilson interval.
std::optional<Estimate> EstimateAccuracy(std::span<const Pair> pairs, double confidence);

// Binary, positive class "1", every other class negative. Wilson interval on TP / (TP + FP), n = predicted
// positives; nullopt when nothing was predicted positive.
std::optional<Estimate> EstimatePrecision(std::span<const Pair> pairs, double confidence);

// TP / (TP + FN), Wilson with n = actual positives; nullopt when no actual positive.
std::optional<Estimate> EstimateRecall(std::span<const Pair> pairs, double confidence);

// 2TP / (2TP + FP + FN) (= sklearn 1.2's 2PR/(P+R) whenever defined; 0 when TP = 0 but FP + FN > 0);
// nullopt when TP + FP + FN = 0 (sklearn would return its zero_division value). Jackknife interval.
std::optional<Estimate> EstimateF1(std::span<const Pair> pairs, double confidence);

// sklearn f1_score(average="macro" | "weighted") over the union of classes seen in actuals and predictions;
// a class seen only in predictions has F1 = 0 and support 0. Never undefined on non-empty pairs.
// Jackknife interval; each leave-one-out replicate uses the classes still present without that pair, as
// sklearn would on the reduced sample.
std::optional<Estimate> EstimateMacroF1(std::span<const Pair> pairs, double confidence);
std::optional<Estimate> EstimateWeightedF1(std::span<const Pair> pairs, double confidence);

// sklearn roc_auc_score over the pairs with a score (actual "1" positive); nullopt when none is scored or the
// scored pairs have a single actual class. DeLong interval.
std::optional<Estimate> EstimateRocAuc(std::span<const Pair> pairs, double confidence);

// sklearn log_loss(y, p, labels=[0, 1]) over the scored pairs: p clipped to [eps, 1 - eps] with eps the
// float64 machine epsilon (sklearn 1.2's eps="auto" for float64 input), natural log. Defined with a single
// actual class (sklearn needs `labels` for that; the classes of a binary task are known). nullopt when no
// pair is scored. t interval.
std::optional<Estimate> EstimateLogLoss(std::span<const Pair> pairs, double confidence);

// Regression on predicted_value / actual_value. mae, rmse (sqrt of the mse), mape (sklearn:
// |y - yhat| / max(|y|, eps), eps = float64 machine epsilon, a fraction) are always defined on non-empty
// pairs; t intervals. r2 = 1 - SS_res / SS_tot, nullopt when all actual values are equal (sklearn 1.2 would
// return 1.0 or 0.0 there, force_finite); jackknife interval.
std::optional<Estimate> EstimateMae(std::span<const Pair> pairs, double confidence);
std::optional<Estimate> EstimateRmse(std::span<const Pair> pairs, double confidence);
std::optional<Estimate> EstimateMape(std::span<const Pair> pairs, double confidence);
std::optional<Estimate> EstimateR2(std::span<const Pair> pairs, double confidence);

}  // namespace driftgate::kpi

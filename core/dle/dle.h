// Direct loss estimation (DLE) of a regression model's MAE and RMSE on unlabelled predictions, as NannyML
// publishes it (docs: "Estimating Performance for Regression", DLE): on a labelled reference, a
// gradient-boosted "nanny" model learns the prediction's loss from the features and the prediction itself;
// on an unlabelled window, the estimated MAE is the mean predicted absolute error and the estimated RMSE
// the square root of the mean predicted squared error. Two boosters (core/dle/booster.h, XGBoost):
//   a(x) ~ E[|e| | x]  and  s(x) ~ E[e^2 | x],  e = label - prediction.
// Their outputs are cleaned so that 0 <= a and a^2 <= s (a second moment is never below the squared first).
//
// Interval (our method; NannyML reports a sampling error instead). The reference is split by position:
// row i is a holdout row when i % holdout_every == holdout_every - 1 (default every 4th: 25%); the boosters
// are fitted on the other rows only and calibrated on the holdout, so the calibration sees the models'
// out-of-sample error. Given the window's features, the realized MAE is a mean of independent |e_i| with
// conditional variance v_i = s_i - a_i^2 (both boosters together give it); the holdout calibrates its
// scale: k_abs = sum r_i^2 / sum v_i over the holdout, r_i = |e_i| - a_i (k_abs = 1 when the variance model
// is right; it absorbs a misfit of either booster). The nanny model's systematic error is taken from the
// holdout too: bias_abs = mean(r)^2 + var(r)/m (m holdout rows; the squared mean residual and its sampling
// variance). Then
//   Var(MAE) = k_abs * sum v_i / n^2 + bias_abs,  interval  MAE_hat -+ z sqrt(Var), lower clipped at 0.
// The squared error has no fourth moment model, so its conditional variance is taken proportional to the
// square of its mean (for a normal error Var(e^2) = 2 (E e^2)^2): Var(e_i^2) = k_sq s_i^2 with
// k_sq = sum q_i^2 / sum s_i^2 over the holdout, q_i = e_i^2 - s_i; bias_sq = mean(q)^2 + var(q)/m; the
// interval of the MSE is built as above and the square root taken of its value and bounds (monotone, as
// kpi/intervals.h does for rmse). The interval covers the realized MAE/RMSE while the concept P(y | x) holds:
// DLE sees an error that grows where the features moved, never a changed relation between x and y.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/dle/booster.h"
#include "core/domain/records.h"
#include "core/error.h"
#include "core/kpi/metrics.h"

namespace driftgate::dle {

using FeatureRow = std::vector<std::pair<std::string, domain::FeatureValue>>;

// How features become booster columns: one column per feature name (sorted), then the prediction. A
// numeric feature is its value; a categorical one (any string value in the reference) is the index of its
// value in the reference's sorted categories (a number there counts as its text, e.g. "3"); a missing,
// null, unseen or mistyped value is missing (NaN), which XGBoost routes down each split's learned default.
struct Encoding {
  std::vector<std::string> names{};
  std::vector<std::vector<std::string>> categories{};  // per name; empty: numeric

  static Encoding Build(std::span<const FeatureRow* const> rows);
  // One matrix row per row, columns names..., prediction.
  Matrix Encode(std::span<const FeatureRow* const> rows, std::span<const double> predictions) const;
};

struct DleParams {
  BoostParams boost{};
  std::size_t holdout_every = 4;  // every k-th reference row calibrates the interval (k >= 2)
};

// What the holdout says of the boosters (see the header comment).
struct Calibration {
  std::size_t holdout = 0;  // m
  double abs_scale = 1.0;   // k_abs
  double sq_scale = 2.0;    // k_sq
  double abs_bias = 0.0;    // bias_abs
  double sq_bias = 0.0;     // bias_sq
};

// The boosters' raw outputs on the holdout and its realized errors -> calibration. Pure arithmetic.
Calibration Calibrate(std::span<const float> abs_out, std::span<const float> sq_out,
                      std::span<const double> errors);

struct DleEstimate {
  kpi::Estimate mae{};
  kpi::Estimate rmse{};
};
// The estimate from the boosters' raw outputs on a window. Pure arithmetic; nullopt for an empty window.
std::optional<DleEstimate> EstimateFrom(std::span<const float> abs_out, std::span<const float> sq_out,
                                        const Calibration& calibration, double confidence);

struct DleModel {
  Encoding encoding;
  Booster abs;
  Booster sq;
  Calibration calibration;
};

// Rows a fit needs at least (so the holdout has at least 50 rows at the default split).
inline constexpr std::size_t kMinFitRows = 200;

// Fits on a labelled reference: `x` encoded by `encoding`, `errors` = label - prediction per row.
Result<DleModel> Fit(Encoding encoding, const Matrix& x, std::span<const double> errors,
                     const DleParams& params);

// The estimate on a window encoded by the model's encoding.
Result<DleEstimate> Estimate(const DleModel& model, const Matrix& window, double confidence);

}  // namespace driftgate::dle

// Multivariate drift by PCA reconstruction error — NannyML's "data reconstruction" drift
// (nannyml.drift.multivariate.data_reconstruction, docs "Data Reconstruction with PCA"). A change in how
// features move together (a broken correlation) that leaves every marginal distribution as it was passes
// every single-feature two-sample test; it does not pass a linear model of the reference's joint structure.
//
// Fit, on the reference rows (the peer's pipeline, in its order):
//   1. Encode and impute. Numeric features: a missing value (absent, null, or a string in a numeric
//      column) is the reference mean of the feature (sklearn SimpleImputer(strategy="mean")).
//      Categorical features (any string value in the reference): a missing value is the reference's most
//      frequent category (SimpleImputer(strategy="most_frequent"); ties: the smallest label, as sklearn),
//      then each category is replaced by its relative frequency in the imputed reference — frequency
//      encoding, category_encoders.CountEncoder(normalize=True), which NannyML uses. A category the
//      reference never had encodes as 0 (its frequency there). A number in a categorical column is the
//      category of its text (3 and 3.0 are "3"). A feature with no value at all in the reference is left
//      out (SimpleImputer drops it too).
//   2. Standardize on the reference: z = (x - mean) / std, std with ddof 0 (sklearn StandardScaler; a
//      constant feature has scale 1).
//   3. PCA of the standardized reference (centred again on its own mean, as sklearn.decomposition.PCA
//      does): the eigenvectors of the covariance matrix (Eigen's SelfAdjointEigenSolver; the same
//      subspace as the right singular vectors of numpy's SVD), largest eigenvalue first. Kept: the fewest
//      components whose cumulative explained-variance ratio exceeds `variance` (default 0.65, NannyML's
//      n_components=0.65 through sklearn's rule searchsorted(cumsum, variance, side="right") + 1).
// Score a set of rows: each row's reconstruction error is the Euclidean norm of z - reconstruct(z), where
// reconstruct projects the centred z onto the kept components and back (PCA.inverse_transform); the set's
// value is the mean over its rows. A row's error is computed by the same per-row arithmetic whatever
// rows it is scored with, so errors kept from an earlier check (service/drift/window_reconstruction.h) are
// exactly what scoring the whole set again would give.
// Threshold (NannyML's default StandardDeviationThreshold(3, 3)): the reference is cut into `chunks`
// consecutive chunks (sizes as numpy.array_split), each chunk's mean error is computed with the fitted
// model, and the bounds are mean -+ `std_multiplier` standard deviations (ddof 0) of those chunk values.
// A window whose value lies outside [lower, upper] alerts. The chunks are in-sample for the PCA, as in the
// peer, and usually smaller than the window; a window's mean varies less than a chunk's, so the bounds are
// conservative for a warning-only signal.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/domain/records.h"

namespace driftgate::stats {

using FeatureRow = std::vector<std::pair<std::string, domain::FeatureValue>>;

struct ReconstructionParams {
  double variance = 0.65;       // in (0, 1): explained-variance share the kept components must exceed
  std::size_t chunks = 10;      // reference chunks for the threshold, >= 2
  double std_multiplier = 3.0;  // bounds: mean -+ this many standard deviations of the chunk values
};

struct ReconstructionResult {
  double error = 0.0;  // mean reconstruction error of the rows
  double lower = 0.0;
  double upper = 0.0;
  bool alert = false;  // error outside [lower, upper]
  std::size_t rows = 0;
};

class ReconstructionDrift {
 public:
  // nullopt when fewer than two usable features, fewer reference rows than 2 * chunks, or when `variance`
  // needs every component (e.g. two independent features): the reconstruction would then be exact.
  static std::optional<ReconstructionDrift> Fit(std::span<const FeatureRow* const> reference,
                                                const ReconstructionParams& params);

  // Each row's reconstruction error, in order.
  std::vector<double> Errors(std::span<const FeatureRow* const> rows) const;
  // The mean error of `rows` against the threshold; an empty input has error 0 and no alert.
  ReconstructionResult Judge(std::span<const FeatureRow* const> rows) const;
  // The same from the rows' errors (Errors), summed in the order given.
  ReconstructionResult JudgeErrors(std::span<const double> errors) const;

  std::size_t components() const { return components_; }
  const std::vector<std::string>& features() const { return names_; }
  const std::vector<double>& chunk_errors() const { return chunk_errors_; }
  double lower() const { return lower_; }
  double upper() const { return upper_; }

 private:
  struct Feature {
    std::string name;
    bool categorical = false;
    double impute = 0.0;                                  // encoded value of a missing input
    std::unordered_map<std::string, double> frequency{};  // categorical: label -> share of the reference
  };
  // Encoded, imputed, standardized rows: n x d, row-major.
  std::vector<double> Standardized(std::span<const FeatureRow* const> rows) const;
  std::vector<double> ErrorsOf(const std::vector<double>& z, std::size_t n) const;

  std::vector<Feature> features_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, std::size_t> index_;
  std::vector<double> mean_, scale_;  // standardization (per feature)
  std::vector<double> centre_;        // the standardized reference's own mean (per feature)
  std::vector<double> basis_;         // d x k, column-major: the kept components
  std::vector<double> basis_rows_;    // the same, row-major (k x d transposed), for projecting a row
  std::size_t components_ = 0;
  std::vector<double> chunk_errors_;
  double lower_ = 0.0, upper_ = 0.0;
};

}  // namespace driftgate::stats

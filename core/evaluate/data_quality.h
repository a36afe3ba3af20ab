// Data quality of a drift-check window against the reference.
//
// Per feature of the reference, over the window's rows (every rate is a share of the window's rows):
//   missing       the row has no value for the feature (absent or null)
//   type_error    a string where the reference's type is numeric, or a number where it is categorical;
//                 the reference's type is the majority of its present values (ties: numeric)
//   out_of_range  a number outside the reference's [min, max] widened by `range_margin` x (max - min) on
//                 each side (0.1 by default: 10% of the range; a constant reference widens by
//                 `range_margin` x max(|min|, 1))
//   unseen        a string category the reference never had (categorical features only)
// The same rates on the reference itself are its baseline (out_of_range and unseen are 0 there by
// construction). A feature is broken when any rate exceeds `max_rate` and `min_ratio` x its baseline —
// both, so a feature that was always 30% missing is not an incident. A window with a broken feature is a
// data-quality incident; the evaluator then vetoes retraining (evaluator.h, PolicyFacts).
#pragma once

#include <map>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/domain/model.h"
#include "core/domain/records.h"

namespace driftgate::evaluate {

// One row's features, as a drift check holds them (nulls may be left out: absent means missing).
using FeatureRow = std::vector<std::pair<std::string, domain::FeatureValue>>;

struct FeatureProfile {
  bool numeric = true;
  double min = 0, max = 0;             // over numeric values (numeric features)
  std::set<std::string> categories{};  // categorical features
  double missing_rate = 0, type_error_rate = 0;
};

struct ReferenceProfile {
  std::size_t rows = 0;
  std::map<std::string, FeatureProfile> features{};
};

ReferenceProfile Profile(std::span<const FeatureRow* const> rows);

struct FeatureQuality {
  std::string feature{};
  double missing_rate = 0, type_error_rate = 0, out_of_range_rate = 0, unseen_rate = 0;
  bool broken = false;
  std::vector<std::string> reasons{};  // e.g. "missing 0.6 (reference 0)"
};

struct QualityVerdict {
  bool incident = false;
  std::vector<std::string> broken_features{};  // sorted by name
  std::vector<FeatureQuality> features{};      // one per reference feature, by name
};

// Judges the window `rows` against `reference` with `spec`. An empty window or a disabled spec is no
// incident.
QualityVerdict AssessQuality(const ReferenceProfile& reference, std::span<const FeatureRow* const> rows,
                             const domain::DataQualitySpec& spec);

// One feature's values in a window already grouped by column (a drift check collects them for its tests):
// its numbers and its strings; a row without a value (absent or null) has neither.
struct WindowColumn {
  std::span<const double> numbers{};
  std::span<const std::string> labels{};
  // More strings, each distinct one once with its count (how a kept drift window holds them).
  std::span<const std::pair<std::string, std::size_t>> label_counts{};
};
// The verdict AssessQuality gives, from a window of `rows` rows grouped by feature: no second pass over
// the rows.
QualityVerdict AssessColumns(const ReferenceProfile& reference, std::size_t rows,
                             const std::map<std::string, WindowColumn>& columns,
                             const domain::DataQualitySpec& spec);

}  // namespace driftgate::evaluate

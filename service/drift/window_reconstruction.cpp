#include "service/drift/window_reconstruction.h"

#include <limits>

#include "service/drift/window_columns.h"

namespace driftgate::service {

stats::ReconstructionResult WindowReconstruction::Judge(
    const std::shared_ptr<const stats::ReconstructionDrift>& model, const std::deque<WindowRow>& rows) {
  if (model != model_) {
    model_ = model;
    errors_.clear();
  }
  std::vector<double> errors(rows.size());
  std::vector<const stats::FeatureRow*> fresh;  // rows without a kept error, and where they go
  std::vector<std::size_t> at;
  bool ordered = true;
  std::int64_t previous = std::numeric_limits<std::int64_t>::max();
  auto kept = errors_.begin();
  std::size_t i = 0;
  for (auto row = rows.begin(); row != rows.end(); ++row, ++i) {
    const std::int64_t seq = row->seq;
    ordered = ordered && seq < previous;
    previous = seq;
    if (ordered) {  // both lists run newest first: one pass over the kept errors
      while (kept != errors_.end() && kept->first > seq) ++kept;
      if (kept != errors_.end() && kept->first == seq) {
        errors[i] = kept->second;
        continue;
      }
    }
    fresh.push_back(&row->features);
    at.push_back(i);
  }
  if (!ordered) {  // seqs cannot name the rows: score every row, keep nothing
    fresh.clear();
    at.clear();
    for (const auto& row : rows) {
      at.push_back(fresh.size());
      fresh.push_back(&row.features);
    }
  }
  const std::vector<double> computed = model->Errors(fresh);
  for (std::size_t f = 0; f < computed.size(); ++f) errors[at[f]] = computed[f];
  scored_ += computed.size();
  errors_.clear();
  if (ordered) {
    errors_.reserve(rows.size());
    std::size_t r = 0;
    for (const auto& row : rows) errors_.emplace_back(row.seq, errors[r++]);
  }
  return model->JudgeErrors(errors);
}

}  // namespace driftgate::service

// The multivariate part of a drift check over a kept window (service/drift/window_columns.h): each row's PCA
// reconstruction error (core/stats/reconstruction.h) is computed once, when the row first meets the
// reference's model, and kept with the row's seq; a later check computes only the rows that entered since
// and sums the kept errors with theirs. A row's error depends on the row and the model alone (the model
// scores row by row), so the mean is exactly the one over errors computed afresh, summed in the same
// order (the rows' order, newest first). Another model (a new reference) starts over.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <utility>
#include <vector>

#include "core/stats/reconstruction.h"

namespace driftgate::service {

struct WindowRow;  // service/drift/window_columns.h

class WindowReconstruction {
 public:
  // The mean reconstruction error of `rows` (newest first, seq descending) under `model`. Rows not in
  // strictly descending seq order are all scored afresh and not kept.
  stats::ReconstructionResult Judge(const std::shared_ptr<const stats::ReconstructionDrift>& model,
                                    const std::deque<WindowRow>& rows);

  std::size_t scored() const { return scored_; }  // rows scored so far (not taken from the kept errors)

 private:
  std::shared_ptr<const stats::ReconstructionDrift> model_{};  // held: its address names it unambiguously
  std::vector<std::pair<std::int64_t, double>> errors_{};      // (seq, error), newest first
  std::size_t scored_ = 0;
};

}  // namespace driftgate::service

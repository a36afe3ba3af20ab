// Replays a recorded stream through one detector — the pure part of `driftgate replay` (README.md):
// which elements signalled, and a fast parser for one-number-per-line text.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/error.h"

namespace driftgate::detect {

struct ReplayResult {
  std::size_t n = 0;                  // elements fed
  std::vector<std::size_t> drifts;    // 0-based indices after whose update the drift flag was set
  std::vector<std::size_t> warnings;  // same for the warning flag (WarningDetected()), River's convention
};

// Feeds every value, in order, to `detector` (which keeps its state afterwards).
ReplayResult Replay(Detector& detector, std::span<const double> values);

// One finite number per line ('\n' or "\r\n"; spaces and tabs around the number are ignored; trailing
// blank lines are fine). Any other line → InvalidArgument naming its 1-based number and its text.
// Linear, allocation-light (std::from_chars): ~10^7 lines per second or better.
Result<std::vector<double>> ParseNumberLines(std::string_view text);

}  // namespace driftgate::detect

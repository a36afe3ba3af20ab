// evaluate::State <-> JSON for the model_state table. Doubles are written with nlohmann's shortest
// round-trip form, non-finite ones as the strings "inf", "-inf", "nan", so a restored detector continues
// bit-identically. The segments' windows are not in it: each segment's entry holds its `fed`, window
// `size` and `last_reason_code`, and its pairs are in segment_windows (service/evaluation/segment_windows.h),
// which the caller reads and hands in through a WindowLoader.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"
#include "core/evaluate/evaluator.h"
#include "core/kpi/metrics.h"

namespace driftgate::codec {

std::string EncodeState(const evaluate::State& state);

// Rebuilds the state for `config`; a state written for another config is reconciled (fresh detectors).
// `load_window` gives a segment's window, positions fed - size ... fed - 1, from where it is stored (none:
// every segment's window is empty). A state written before the segments' windows moved out carries them
// inline; they are read from there and marked not stored.
using WindowLoader =
    std::function<std::vector<kpi::Pair>(const std::string& segment, std::uint64_t fed, std::size_t size)>;
Result<evaluate::State> DecodeState(const std::string& json_text, const domain::ModelConfig& config,
                                    const WindowLoader& load_window = {});

}  // namespace driftgate::codec

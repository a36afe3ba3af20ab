// evaluate::State <-> JSON for the model_state table. Doubles are written with nlohmann's shortest
// round-trip form, non-finite ones as the strings "inf", "-inf", "nan", so a restored detector continues
// bit-identically. The segments' windows are not in it: each segment's entry holds its `fed`, window
// `size` and `last_reason_code`, and its pairs are in segment_windows (service/evaluation/segment_windows.h).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/evaluate/evaluator.h"
#include "service/evaluation/segment_windows.h"

namespace driftgate::service {

std::string EncodeState(const evaluate::State& state);

// Rebuilds the state for `config`; a state written for another config is reconciled (fresh detectors).
// `chunks`: the model's stored segment window chunks (LoadSegmentWindows). A state written before the
// segments' windows moved out carries them inline; they are read from there and marked not stored.
Result<evaluate::State> DecodeState(const std::string& json_text, const domain::ModelConfig& config,
                                    const std::map<std::string, std::vector<DecodedChunk>>& chunks = {});

}  // namespace driftgate::service

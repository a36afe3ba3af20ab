// evaluate::State <-> JSON for the model_state table. Doubles are written with nlohmann's shortest
// round-trip form, non-finite ones as the strings "inf", "-inf", "nan", so a restored detector continues
// bit-identically.
#pragma once

#include <string>

#include "core/domain/model.h"
#include "core/evaluate/evaluator.h"

namespace driftgate::service {

std::string EncodeState(const evaluate::State& state);

// Rebuilds the state for `config`; a state written for another config is reconciled (fresh detectors).
Result<evaluate::State> DecodeState(const std::string& json_text, const domain::ModelConfig& config);

}  // namespace driftgate::service

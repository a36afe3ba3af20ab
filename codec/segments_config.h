// The model document's `segments` member <-> domain::SegmentsSpec (core/evaluate/segments.h):
//   "segments": {"mode": "off" | "monitor" | "trigger", "min_samples": 300, "max_segments": 100,
//                "kpis": {"<segment>": [{"metric": "accuracy", "min": 0.85}, ...]}}
// Every member optional; defaults: mode monitor, min_samples 300, max_segments 100, the model's KPIs.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

// Reads doc["segments"] when present into `config.segments` (config.task already set); the error names the
// field, e.g. segments.kpis.eu[0].metric.
std::optional<Error> ParseSegmentsConfig(const nlohmann::json& doc, domain::ModelConfig& config);

nlohmann::json SegmentsConfigToJson(const domain::SegmentsSpec& spec);

}  // namespace driftgate::codec

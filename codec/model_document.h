// A model as the API shows it and the operations on its document form that the API and storage need
// beyond parsing (codec/model_config.h): the answer with its metadata, the document of a stored config,
// and a JSON Merge Patch (RFC 7386) applied to the current config.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/domain/model.h"
#include "core/error.h"

namespace driftgate::codec {

// The API form of a model: its config (routing keys redacted) plus generation and timestamps.
nlohmann::json ModelToJson(const domain::Model& model);

// The stored config text back into a typed config (it was validated when it was written); an error
// when the text is not a valid model document.
Result<domain::ModelConfig> ParseStoredModelConfig(const std::string& config_json);

// `current` as a model document (its generated members removed; secret header values stay
// {"secret_set": true}, resolved from storage like a PUT's) with `patch` merged in, validated as the
// document of model `name`.
Result<domain::ModelConfig> ApplyModelPatch(const domain::ModelConfig& current, const nlohmann::json& patch,
                                            const std::string& name);
// The top-level members a patch object sets (for the audit log).
std::vector<std::string> PatchMembers(const nlohmann::json& patch);

// A replacing document whose `webhook` leaves out `headers` keeps the stored headers.
bool KeepsStoredHeaders(const nlohmann::json& doc);

}  // namespace driftgate::codec

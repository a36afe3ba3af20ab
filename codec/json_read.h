// The readers the JSON documents' parsers share (the model document's, codec/*_config.cpp, and the request
// bodies', api/dto/): each reads one member, checks it and returns the first problem as an Error whose
// message starts with the field it names ("evaluation.window: must be between 1 and 100000").
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "core/error.h"

namespace driftgate::codec {

// An invalid-argument error for `field`, its message prefixed with the field.
Error Invalid(const std::string& field, const std::string& msg);

// Rejects members of `obj` not in `known`, naming the first one under `where` ("" at the top level).
std::optional<Error> UnknownFields(const nlohmann::json& obj, const std::set<std::string>& known,
                                   const std::string& where);

// An integer in [lo, hi] at `key`, when present; `out` is left alone when `key` is absent.
std::optional<Error> ReadInt(const nlohmann::json& obj, const std::string& key, const std::string& field,
                             long long lo, long long hi, long long& out);

// ReadInt for a count (lo >= 0): `out` keeps its value when `key` is absent.
std::optional<Error> ReadSize(const nlohmann::json& obj, const std::string& key, const std::string& field,
                              long long lo, long long hi, std::size_t& out);

// A finite number in [lo, hi] at `key`, when present.
std::optional<Error> ReadNumber(const nlohmann::json& obj, const std::string& key, const std::string& field,
                                double lo, double hi, std::optional<double>& out);

}  // namespace driftgate::codec

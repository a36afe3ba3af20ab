#include "core/detect/param_reader.h"

#include <charconv>
#include <cmath>
#include <string>
#include <system_error>
#include <variant>

namespace driftgate::detect {
namespace {

// Integers travel as doubles (JSON numbers, ParseSpec); beyond 2^53 they are no longer exact.
constexpr double kMaxExactInteger = 9007199254740992.0;

std::string Describe(const ParamValue& value) {
  if (const auto* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const auto* d = std::get_if<double>(&value)) return FormatNumber(*d);
  return "\"" + std::get<std::string>(value) + "\"";
}

}  // namespace

std::string FormatNumber(double value) {
  char buffer[64];
  const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value);
  if (ec != std::errc()) return "?";
  return std::string(buffer, end);
}

Error OutOfRange(std::string_view detector, std::string_view name, std::string_view requirement, double got) {
  std::string message = std::string(detector) + ": parameter '" + std::string(name) + "' must be " +
                        std::string(requirement) + "; got " + FormatNumber(got);
  return Error::Invalid(std::string(name), std::move(message));
}

const ParamValue* ParamReader::Find(std::string_view name) {
  known_.emplace_back(name);
  const auto it = values_.find(std::string(name));
  return it == values_.end() ? nullptr : &it->second;
}

void ParamReader::Fail(std::string_view name, std::string_view expected, const ParamValue& got) {
  if (failed_) return;
  failed_ = true;
  error_ = Error::Invalid(std::string(name), detector_ + ": parameter '" + std::string(name) + "' must be " +
                                                 std::string(expected) + "; got " + Describe(got));
}

void ParamReader::Number(std::string_view name, double& out) {
  const ParamValue* value = Find(name);
  if (value == nullptr) return;
  const auto* d = std::get_if<double>(value);
  if (d == nullptr || !std::isfinite(*d)) return Fail(name, "a finite number", *value);
  out = *d;
}

void ParamReader::Integer(std::string_view name, std::int64_t& out) {
  const ParamValue* value = Find(name);
  if (value == nullptr) return;
  const auto* d = std::get_if<double>(value);
  if (d == nullptr || !std::isfinite(*d) || std::trunc(*d) != *d || std::fabs(*d) >= kMaxExactInteger) {
    return Fail(name, "an integer", *value);
  }
  out = static_cast<std::int64_t>(*d);
}

void ParamReader::Bool(std::string_view name, bool& out) {
  const ParamValue* value = Find(name);
  if (value == nullptr) return;
  const auto* b = std::get_if<bool>(value);
  if (b == nullptr) return Fail(name, "true or false", *value);
  out = *b;
}

void ParamReader::Word(std::string_view name, std::string& out) {
  const ParamValue* value = Find(name);
  if (value == nullptr) return;
  const auto* s = std::get_if<std::string>(value);
  if (s == nullptr) return Fail(name, "a word", *value);
  out = *s;
}

Status ParamReader::Finish() const {
  if (failed_) return error_;
  for (const auto& [name, value] : values_) {
    bool known = false;
    for (const auto& k : known_) known = known || k == name;
    if (known) continue;
    std::string list;
    for (const auto& k : known_) list += (list.empty() ? "" : ", ") + k;
    return Error::Invalid(name, detector_ + ": unknown parameter '" + name + "' (known: " + list + ")");
  }
  return Ok{};
}

}  // namespace driftgate::detect

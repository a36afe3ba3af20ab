// ParseSpec(): the CLI form `NAME[:param=value,...]` (README.md "Command line", `driftgate replay`).
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "core/detect/detector.h"

namespace driftgate::detect {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// A finite number when all of `text` is one (from_chars, so no locale); else a bool or a bare word.
ParamValue ParseValue(std::string_view text) {
  if (text == "true") return true;
  if (text == "false") return false;
  std::string_view digits = text;
  if (digits.size() > 1 && digits.front() == '+' && digits[1] != '-') digits.remove_prefix(1);
  double value = 0.0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec == std::errc() && end == digits.data() + digits.size() && std::isfinite(value)) return value;
  return std::string(text);
}

Error SpecError(std::string field, std::string_view text, std::string_view why) {
  return Error::Invalid(std::move(field), "detector spec \"" + std::string(text) + "\": " + std::string(why));
}

}  // namespace

Result<Spec> ParseSpec(std::string_view text) {
  Spec spec;
  const std::size_t colon = text.find(':');
  spec.type = std::string(Trim(text.substr(0, colon)));
  if (spec.type.empty()) return SpecError("type", text, "missing detector name");
  if (colon == std::string_view::npos) return spec;

  std::string_view rest = text.substr(colon + 1);
  if (Trim(rest).empty()) return spec;  // "adwin:" is just "adwin"
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = Trim(rest.substr(0, comma));
    const std::size_t eq = item.find('=');
    if (eq == std::string_view::npos) {
      return SpecError(std::string(item), text, "expected param=value, got \"" + std::string(item) + "\"");
    }
    const std::string key(Trim(item.substr(0, eq)));
    const std::string_view value = Trim(item.substr(eq + 1));
    if (key.empty()) return SpecError("type", text, "empty parameter name");
    if (value.empty()) return SpecError(key, text, "parameter '" + key + "' has no value");
    if (!spec.params.emplace(key, ParseValue(value)).second) {
      return SpecError(key, text, "parameter '" + key + "' given twice");
    }
    if (comma == std::string_view::npos) break;
    rest = rest.substr(comma + 1);
  }
  return spec;
}

}  // namespace driftgate::detect

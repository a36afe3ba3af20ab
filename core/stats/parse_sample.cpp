// ParseSample (two_sample.h): one value per line, numbers unless some line is not a finite number.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <string>
#include <system_error>

#include "core/stats/two_sample.h"

namespace driftgate::stats {
namespace {

std::string_view Trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\v\f";
  const auto first = s.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kSpace);
  return s.substr(first, last - first + 1);
}

// A finite decimal number, whole token; a leading '+' is allowed (std::from_chars refuses it).
// "nan", "inf" and out-of-range values such as 1e999 are not finite numbers: they stay labels.
bool ParseFinite(std::string_view token, double& value) {
  if (token.size() > 1 && token.front() == '+' && token[1] != '-' && token[1] != '+') token.remove_prefix(1);
  const char* end = token.data() + token.size();
  const auto [ptr, ec] = std::from_chars(token.data(), end, value, std::chars_format::general);
  return ec == std::errc() && ptr == end && std::isfinite(value);
}

// Calls on_value(token) for each value line (trimmed) until it returns false. Blank lines are allowed
// only after the last value. Returns the number of values seen, or the error.
template <class OnValue>
Result<std::size_t> ForEachValue(std::string_view text, OnValue&& on_value) {
  std::size_t line_number = 0;
  std::size_t first_blank = 0;  // 1-based line of the first blank line seen, 0 if none yet
  std::size_t values = 0;
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view token = Trim(text.substr(0, newline));
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    ++line_number;
    if (token.empty()) {
      if (first_blank == 0) first_blank = line_number;
      continue;
    }
    if (first_blank != 0) {
      const std::string line = "line " + std::to_string(first_blank);
      return Error::Invalid(line, line + " is empty (only trailing blank lines are allowed)");
    }
    ++values;
    if (!on_value(token)) return values;
  }
  if (values == 0) return Error::Invalid("", "no values: the input is empty");
  return values;
}

}  // namespace

Result<Sample> ParseSample(std::string_view text, bool force_categorical) {
  Sample sample;
  const auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  if (!force_categorical) {
    // Numbers first, in one pass; the first token that is not a finite number restarts as labels.
    sample.numbers.reserve(lines);
    bool numeric = true;
    Result<std::size_t> scanned = ForEachValue(text, [&](std::string_view token) {
      double value = 0.0;
      numeric = ParseFinite(token, value);
      if (numeric) sample.numbers.push_back(value);
      return numeric;
    });
    if (!scanned.ok()) return scanned.error();
    if (numeric) return sample;
    sample.numbers = {};
  }
  sample.categorical = true;
  sample.labels.reserve(lines);
  Result<std::size_t> scanned = ForEachValue(text, [&](std::string_view token) {
    sample.labels.emplace_back(token);
    return true;
  });
  if (!scanned.ok()) return scanned.error();
  return sample;
}

}  // namespace driftgate::stats

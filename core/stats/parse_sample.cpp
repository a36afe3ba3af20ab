// ParseSample (two_sample.h): one value per line, numbers unless some line is not a finite number.
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

}  // namespace

Result<Sample> ParseSample(std::string_view text, bool force_categorical) {
  std::vector<std::string_view> tokens;
  std::size_t line_number = 0;
  std::size_t first_blank = 0;  // 1-based line of the first blank line seen, 0 if none yet
  while (!text.empty()) {
    const auto newline = text.find('\n');
    const std::string_view line = text.substr(0, newline);
    text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    ++line_number;
    const std::string_view token = Trim(line);
    if (token.empty()) {
      if (first_blank == 0) first_blank = line_number;
      continue;
    }
    if (first_blank != 0) {
      return Error::Invalid(
          "line " + std::to_string(first_blank),
          "line " + std::to_string(first_blank) + " is empty (only trailing blank lines are allowed)");
    }
    tokens.push_back(token);
  }
  if (tokens.empty()) return Error::Invalid("", "no values: the input is empty");

  Sample sample;
  if (!force_categorical) {
    sample.numbers.reserve(tokens.size());
    bool numeric = true;
    for (std::size_t i = 0; i < tokens.size() && numeric; ++i) {
      double value = 0.0;
      numeric = ParseFinite(tokens[i], value);
      sample.numbers.push_back(value);
    }
    if (numeric) return sample;
    sample.numbers.clear();
    sample.numbers.shrink_to_fit();
  }
  sample.categorical = true;
  sample.labels.reserve(tokens.size());
  for (std::string_view token : tokens) sample.labels.emplace_back(token);
  return sample;
}

}  // namespace driftgate::stats

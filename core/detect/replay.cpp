#include "core/detect/replay.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <string>
#include <system_error>
#include <utility>

namespace driftgate::detect {
namespace {

constexpr std::size_t kMaxQuotedChars = 40;  // keep error messages one readable line

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

Error BadLine(std::size_t line_number, std::string_view line, std::string_view why) {
  std::string message = "line " + std::to_string(line_number) + ": " + std::string(why);
  if (!line.empty()) {
    message += ", got \"" + std::string(line.substr(0, kMaxQuotedChars)) +
               (line.size() > kMaxQuotedChars ? "...\"" : "\"");
  }
  return Error::Invalid("input", std::move(message));
}

}  // namespace

ReplayResult Replay(Detector& detector, std::span<const double> values) {
  ReplayResult result;
  result.n = values.size();
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (detector.Update(values[i]) == Signal::kDrift) result.drifts.push_back(i);
    if (detector.WarningDetected()) result.warnings.push_back(i);
  }
  return result;
}

Result<std::vector<double>> ParseNumberLines(std::string_view text) {
  std::vector<double> values;
  values.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  const char* p = text.data();
  const char* const end = p + text.size();
  std::size_t line_number = 0;
  std::size_t blank_line = 0;  // first blank line not yet followed by a number: an error unless trailing
  while (p < end) {
    ++line_number;
    const char* newline = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* line_end = newline != nullptr ? newline : end;
    const std::string_view line(p, static_cast<std::size_t>(line_end - p));
    p = newline != nullptr ? newline + 1 : end;

    const char* first = line.data();
    const char* last = first + line.size();
    while (first < last && IsBlank(*first)) ++first;
    while (last > first && IsBlank(last[-1])) --last;
    if (first == last) {
      if (blank_line == 0) blank_line = line_number;
      continue;
    }
    if (blank_line != 0)
      return BadLine(blank_line, "", "empty line inside the stream (only trailing blank lines are allowed)");
    if (*first == '+' && last - first > 1 && first[1] != '-') ++first;  // from_chars rejects '+'
    double value = 0.0;
    const auto [parsed_end, ec] = std::from_chars(first, last, value);
    if (ec != std::errc() || parsed_end != last) {
      return BadLine(line_number, line,
                     ec == std::errc::result_out_of_range ? "number out of range" : "expected a number");
    }
    if (!std::isfinite(value)) return BadLine(line_number, line, "expected a finite number");
    values.push_back(value);
  }
  return values;
}

}  // namespace driftgate::detect

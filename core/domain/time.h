// RFC 3339 timestamps <-> microseconds since the Unix epoch (UTC). Pure; civil-date arithmetic after
// Howard Hinnant's `days_from_civil` (http://howardhinnant.github.io/date_algorithms.html).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace driftgate::domain {

// Accepts `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` ('t'/' ' separators and 'z' too); fractions beyond
// microseconds are truncated. nullopt for anything else, including impossible dates.
std::optional<std::int64_t> ParseRfc3339(std::string_view text);

// `2026-11-23T06:00:00Z`, with `.ffffff` only when the value has sub-second microseconds.
std::string FormatRfc3339(std::int64_t us);

}  // namespace driftgate::domain

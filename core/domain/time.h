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

// driftgate's time domain. Every data time (`ts`) and every time in a query lies in
// [1970-01-01T00:00:00Z, 2200-01-01T00:00:00Z): a ledger period, a schedule baseline and every time the API
// writes then stay small and valid RFC 3339 (four-digit years), whatever a client sends. Data times are
// further bounded by the server clock plus a configurable skew (DRIFTGATE_MAX_FUTURE_SKEW_SECONDS).
inline constexpr std::int64_t kMinTimeUs = 0;                        // 1970-01-01T00:00:00Z
inline constexpr std::int64_t kMaxTimeUs = 7'258'118'400'000'000LL;  // 2200-01-01T00:00:00Z (excluded)
inline constexpr const char* kTimeDomainText = "1970-01-01T00:00:00Z to 2200-01-01T00:00:00Z";

// Why `us` lies outside the time domain (`max_us` is the exclusive upper bound), or nullopt when it is
// inside: "must be from 1970-01-01T00:00:00Z ...". Names no field; callers prefix it.
std::optional<std::string> OutsideTimeDomain(std::int64_t us, std::int64_t max_us = kMaxTimeUs);

// A data time: inside the domain and at most `max_future_skew_us` after `now_us`.
std::optional<std::string> OutsideDataTime(std::int64_t us, std::int64_t now_us,
                                           std::int64_t max_future_skew_us);

}  // namespace driftgate::domain

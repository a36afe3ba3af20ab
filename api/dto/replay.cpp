#include "api/dto/replay.h"

#include <string>

#include "core/domain/time.h"

namespace driftgate::api::dto {
namespace {

using nlohmann::json;

Status ParseTime(const json& body, const char* key, std::optional<std::int64_t>& out) {
  if (!body.contains(key) || body[key].is_null()) return Ok{};
  const auto ts = body[key].is_string() ? domain::ParseRfc3339(body[key].get<std::string>()) : std::nullopt;
  if (!ts)
    return Error::Invalid(key, std::string(key) + ": must be an RFC 3339 time, e.g. 2026-11-23T06:00:00Z");
  if (auto why = domain::OutsideTimeDomain(*ts, domain::kMaxTimeUs + 1)) {
    return Error::Invalid(key, std::string(key) + ": " + *why);
  }
  out = *ts;
  return Ok{};
}

}  // namespace

Status ParsePeriod(const json& body, std::optional<std::int64_t>& from_us,
                   std::optional<std::int64_t>& to_us) {
  if (auto st = ParseTime(body, "from", from_us); !st.ok()) return st;
  if (auto st = ParseTime(body, "to", to_us); !st.ok()) return st;
  if (from_us && to_us && *from_us >= *to_us) return Error::Invalid("to", "to: must be after from");
  return Ok{};
}

Status ParseAssumeRetrainHours(const json& body, double& hours) {
  if (!body.contains("assume_retrain_hours")) return Ok{};
  const json& h = body["assume_retrain_hours"];
  if (!h.is_number() || !(h.get<double>() >= 0 && h.get<double>() <= 8760)) {
    return Error::Invalid("assume_retrain_hours",
                          "assume_retrain_hours: must be a number of hours in [0, 8760]");
  }
  hours = h.get<double>();
  return Ok{};
}

json OptionalTimeJson(const std::optional<std::int64_t>& us) {
  return us ? json(domain::FormatRfc3339(*us)) : json(nullptr);
}

}  // namespace driftgate::api::dto

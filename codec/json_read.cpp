#include "codec/json_read.h"

#include <cmath>
#include <cstdio>

namespace driftgate::codec {

using nlohmann::json;

Error Invalid(const std::string& field, const std::string& msg) {
  return Error::Invalid(field, field + ": " + msg);
}

std::optional<Error> UnknownFields(const json& obj, const std::set<std::string>& known,
                                   const std::string& where) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (!known.count(it.key())) {
      return Invalid(MemberPath(where, it.key()), "unknown field");
    }
  }
  return std::nullopt;
}

std::optional<Error> ReadInt(const json& obj, const std::string& key, const std::string& field, long long lo,
                             long long hi, long long& out) {
  if (!obj.contains(key)) return std::nullopt;
  const json& v = obj[key];
  if (!v.is_number_integer() && !v.is_number_unsigned()) return Invalid(field, "must be an integer");
  const long long x =
      v.is_number_unsigned() && v.get<unsigned long long>() > static_cast<unsigned long long>(hi)
          ? hi + 1
          : v.get<long long>();
  if (x < lo || x > hi)
    return Invalid(field, "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  out = x;
  return std::nullopt;
}

std::optional<Error> ReadSize(const json& obj, const std::string& key, const std::string& field, long long lo,
                              long long hi, std::size_t& out) {
  long long v = static_cast<long long>(out);
  if (auto e = ReadInt(obj, key, field, lo, hi, v)) return e;
  out = static_cast<std::size_t>(v);
  return std::nullopt;
}

std::optional<Error> ReadNumber(const json& obj, const std::string& key, const std::string& field, double lo,
                                double hi, std::optional<double>& out) {
  if (!obj.contains(key)) return std::nullopt;
  const json& v = obj[key];
  if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < lo || v.get<double>() > hi) {
    char range[96];
    std::snprintf(range, sizeof range, "must be a number from %g to %g", lo, hi);
    return Invalid(field, range);
  }
  out = v.get<double>();
  return std::nullopt;
}

}  // namespace driftgate::codec

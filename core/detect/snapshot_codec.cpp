#include "core/detect/snapshot_codec.h"

#include <cmath>
#include <limits>
#include <string>

namespace driftgate::detect {
namespace {

constexpr double kMaxExactInteger = 9007199254740992.0;  // 2^53

bool SameBits(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    // Parameters are finite; == also treats 0.0 and -0.0 alike, which is what a JSON round trip may do.
    if (!(a[i] == b[i])) return false;
  }
  return true;
}

}  // namespace

void AppendExtended(std::vector<double>& out, double value) {
  if (std::isfinite(value)) {
    out.push_back(0.0);
    out.push_back(value);
  } else if (std::isnan(value)) {
    out.push_back(2.0);
    out.push_back(0.0);
  } else {
    out.push_back(value > 0 ? 1.0 : -1.0);
    out.push_back(0.0);
  }
}

bool ReadExtended(const std::vector<double>& in, std::size_t at, double& value) {
  if (at + 1 >= in.size()) return false;
  const double kind = in[at];
  const double v = in[at + 1];
  if (!std::isfinite(v)) return false;
  if (kind == 0.0) {
    value = v;
  } else if (kind == 1.0) {
    value = std::numeric_limits<double>::infinity();
  } else if (kind == -1.0) {
    value = -std::numeric_limits<double>::infinity();
  } else if (kind == 2.0) {
    value = std::numeric_limits<double>::quiet_NaN();
  } else {
    return false;
  }
  return true;
}

bool IsCount(double value) {
  return std::isfinite(value) && value >= 0.0 && value < kMaxExactInteger && std::trunc(value) == value;
}

bool IsFlag(double value) { return value == 0.0 || value == 1.0; }

Error BadSnapshot(std::string_view detector, std::string_view field, std::string_view why) {
  return Error::Invalid("snapshot." + std::string(field), std::string(detector) + ": snapshot field '" +
                                                              std::string(field) + "' " + std::string(why));
}

Status CheckShape(const Snapshot& snapshot, std::string_view detector, const std::vector<double>& params,
                  std::initializer_list<std::string_view> names, std::initializer_list<std::size_t> sizes) {
  if (snapshot.fields.size() != names.size()) {
    return Error::Invalid("snapshot", std::string(detector) +
                                          ": not a snapshot of this detector type (expected " +
                                          std::to_string(names.size()) + " fields, got " +
                                          std::to_string(snapshot.fields.size()) + ")");
  }
  auto size_it = sizes.begin();
  for (const std::string_view name : names) {
    const auto it = snapshot.fields.find(std::string(name));
    if (it == snapshot.fields.end()) {
      return Error::Invalid("snapshot", std::string(detector) +
                                            ": not a snapshot of this detector type (no '" +
                                            std::string(name) + "' field)");
    }
    const std::size_t expected = size_it != sizes.end() ? *size_it : std::size_t(-1);
    if (size_it != sizes.end()) ++size_it;
    if (expected != std::size_t(-1) && it->second.size() != expected) {
      return BadSnapshot(
          detector, name,
          "has " + std::to_string(it->second.size()) + " entries, expected " + std::to_string(expected));
    }
    for (const double v : it->second) {
      if (!std::isfinite(v)) return BadSnapshot(detector, name, "holds a non-finite number");
    }
  }
  if (!SameBits(snapshot.fields.at("params"), params)) {
    return Error::Invalid("snapshot.params",
                          std::string(detector) + ": snapshot was taken with different parameters");
  }
  return Ok{};
}

}  // namespace driftgate::detect

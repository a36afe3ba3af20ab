// Helpers shared by the detectors' Save()/Restore(): named numeric fields, checked on the way back in.
//
// Snapshots travel through JSON, which has no infinities or NaN, yet some peer statistics start at ±inf
// (DDM's minima, HDDM_W's cut points, Page-Hinkley's minimum). Such values are written as a pair
// (kind, value): kind 0 = finite value, 1 = +inf, -1 = -inf, 2 = NaN, value 0 for the non-finite kinds.
// Every snapshot also carries its detector's parameters, so a snapshot taken under different parameters
// (or by another detector type) is refused instead of silently continuing a different computation.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/error.h"

namespace driftgate::detect {

// Appends `value` as its (kind, value) pair.
void AppendExtended(std::vector<double>& out, double value);
// Reads the pair at `at` (two entries); false when the kind is not one AppendExtended writes.
bool ReadExtended(const std::vector<double>& in, std::size_t at, double& value);

// A non-negative integer stored as a double (< 2^53).
bool IsCount(double value);
// 0 or 1.
bool IsFlag(double value);

// Checks a snapshot's shape before any field is read: exactly the named fields are present, the
// "params" field equals `params`, and each field in `sizes` (same order as `names`, npos = any length)
// has that many entries. Returns the error Restore() should report.
Status CheckShape(const Snapshot& snapshot, std::string_view detector, const std::vector<double>& params,
                  std::initializer_list<std::string_view> names, std::initializer_list<std::size_t> sizes);

// Reports a malformed snapshot for `detector`, naming `field`.
Error BadSnapshot(std::string_view detector, std::string_view field, std::string_view why);

}  // namespace driftgate::detect

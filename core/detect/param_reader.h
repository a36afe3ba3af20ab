// Reads a detector's parameters out of a Spec's loosely typed map into its typed `Params` struct.
//
// Each detector's ParseParams() asks for every parameter it knows; the reader keeps the first error
// (wrong value type) and, in Finish(), reports parameters nobody asked for. Range checks live with each
// detector (its Make()), so the messages can state the detector's own limits.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/detect/detector.h"
#include "core/error.h"

namespace driftgate::detect {

using ParamMap = std::map<std::string, ParamValue>;

class ParamReader {
 public:
  ParamReader(const ParamMap& values, std::string_view detector) : values_(values), detector_(detector) {}

  // Each reader leaves `out` untouched (its default) when the parameter is absent.
  void Number(std::string_view name, double& out);
  // A number with no fractional part, |value| < 2^53.
  void Integer(std::string_view name, std::int64_t& out);
  void Bool(std::string_view name, bool& out);
  void Word(std::string_view name, std::string& out);

  // The first type error, else an error for the first parameter no reader asked for.
  Status Finish() const;

 private:
  const ParamValue* Find(std::string_view name);
  void Fail(std::string_view name, std::string_view expected, const ParamValue& got);

  const ParamMap& values_;
  std::string detector_;
  std::vector<std::string> known_;  // in the order asked, for the unknown-parameter message
  bool failed_ = false;
  Error error_;
};

// "adwin: parameter 'delta' must be in (0, 1); got 1.5", as InvalidArgument naming the parameter.
Error OutOfRange(std::string_view detector, std::string_view name, std::string_view requirement, double got);

// Shortest round-trip decimal form of `value` (for messages).
std::string FormatNumber(double value);

}  // namespace driftgate::detect

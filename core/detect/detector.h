// Streaming concept-drift detectors: the contract every detector implements.
//
// Semantics follow River's `river/drift` (github.com/online-ml/river, the maintained peer): the same inputs,
// the same warning zones, the same reset after drift. Detectors are pure: no I/O, no clock, no logging.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.h"

namespace driftgate::detect {

enum class Signal { kNone, kWarning, kDrift };

// A parameter value as given by a model config or the CLI (`adwin:delta=0.01`).
using ParamValue = std::variant<double, bool, std::string>;

// What a caller asks for: a detector name and its parameters (missing ones take River's defaults).
struct Spec {
  std::string type{};                          // adwin, ddm, eddm, hddm_a, hddm_w, page_hinkley, kswin
  std::map<std::string, ParamValue> params{};  // e.g. {"delta": 0.002}
};

// A detector's complete mutable state as named numeric fields. Doubles round-trip exactly (the service
// writes them as JSON numbers with shortest round-trip formatting); integers must stay below 2^53.
// Restoring a snapshot into a detector made from the same Spec continues bit-identically.
struct Snapshot {
  std::map<std::string, std::vector<double>> fields{};
};

class Detector {
 public:
  virtual ~Detector() = default;

  // Feeds one element (1 = error, 0 = correct for binary detectors; any real for page_hinkley/kswin/adwin).
  virtual Signal Update(double x) = 0;

  // After Update() returned kDrift: how many of the most recent elements (including the last one) the
  // detector considers to belong to the new regime. ADWIN: its window width after the cut; detectors that
  // reset completely: 0. The KPI window restarts from that many most recent pairs.
  virtual std::size_t ElementsSinceChange() const = 0;

  virtual std::string_view Name() const = 0;

  virtual Snapshot Save() const = 0;
  // Fails (InvalidArgument) when the snapshot is not one this detector type wrote.
  virtual Status Restore(const Snapshot& snapshot) = 0;

  // Added with the detector library: River keeps the warning flag apart from the drift flag, and EDDM (and
  // the two-sided HDDM tests) can hold both after one update; Update() then returns kDrift. True when the
  // warning flag is set after the last Update(). Detectors without a warning zone return false.
  virtual bool WarningDetected() const { return false; }
};

// Validates `spec` (unknown type or parameter, wrong value type, out-of-range value → InvalidArgument
// whose message names the parameter) and builds the detector.
Result<std::unique_ptr<Detector>> Make(const Spec& spec);

// Parses the CLI form `NAME[:param=value,...]`; numbers, true/false, and bare words (e.g. mode=up).
Result<Spec> ParseSpec(std::string_view text);

// The names Make() accepts, in the order of openapi.yaml's detector `type` enum.
const std::vector<std::string>& KnownTypes();

}  // namespace driftgate::detect

// Input quality of one prediction, judged when it arrives against the model's reference profile
// (data_quality.h has the rules; this applies them to a single record instead of a window's rates).
//
// Each feature of the reference has one fault or none in a record:
//   missing       absent or null
//   type_error    a string where the reference's type is numeric, or a number where it is categorical
//   out_of_range  a number outside the reference's [min, max] widened by data_quality.range_margin
//   unseen        a category the reference never had
// A fault is stored as a code `position * 4 + kind`, where `position` is the feature's place in the model's
// feature dictionary (migrations/V011__input_quality.sql): stable for the model's life, so a code keeps
// naming its feature when the reference changes. Whether a fault *breaks* a feature is decided later, over
// the pairs an evaluation judges (input_veto.h), against the reference's own rates.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/domain/model.h"
#include "core/domain/records.h"
#include "core/evaluate/data_quality.h"

namespace driftgate::evaluate {

enum class Fault : std::uint8_t { kMissing = 0, kTypeError = 1, kOutOfRange = 2, kUnseen = 3 };
std::string_view FaultName(Fault fault);  // "missing", "type_error", "out_of_range", "unseen"

using FaultCode = std::uint16_t;
// Positions fit a smallint code: 8192 features x 4 kinds.
inline constexpr std::size_t kMaxFeaturePositions = 8192;
constexpr FaultCode MakeFaultCode(std::uint16_t position, Fault fault) {
  return static_cast<FaultCode>(position << 2 | static_cast<std::uint8_t>(fault));
}
constexpr std::uint16_t FaultPosition(FaultCode code) { return static_cast<std::uint16_t>(code >> 2); }
constexpr Fault FaultKind(FaultCode code) { return static_cast<Fault>(code & 3); }

// One entry of the model's feature dictionary: its name and the latest reference's own rates (the baselines
// of data_quality.h's rule).
struct FeatureEntry {
  std::string name{};
  double missing_rate = 0, type_error_rate = 0;
};
using FeatureDictionary = std::map<std::uint16_t, FeatureEntry>;  // position → entry

// Judges records against one reference profile. Holds a reference to `reference`, which must outlive it.
class RecordJudge {
 public:
  // `positions`: the dictionary position of each feature of `reference`; a feature without one is not
  // judged (it cannot be stored).
  RecordJudge(const ReferenceProfile& reference, const std::map<std::string, std::uint16_t>& positions,
              const domain::DataQualitySpec& spec);

  // The record's fault codes, ascending; empty when every reference feature is fine.
  std::vector<FaultCode> Judge(std::span<const std::pair<std::string, domain::FeatureValue>> features) const;

 private:
  struct Feature {
    const std::string* name = nullptr;
    const FeatureProfile* profile = nullptr;
    std::uint16_t position = 0;
    double low = 0, high = 0;  // the widened numeric range
  };
  std::vector<Feature> features_{};
};

}  // namespace driftgate::evaluate

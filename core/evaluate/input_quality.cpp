#include "core/evaluate/input_quality.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace driftgate::evaluate {

std::string_view FaultName(Fault fault) {
  switch (fault) {
    case Fault::kMissing:
      return "missing";
    case Fault::kTypeError:
      return "type_error";
    case Fault::kOutOfRange:
      return "out_of_range";
    case Fault::kUnseen:
      return "unseen";
  }
  return "missing";
}

RecordJudge::RecordJudge(const ReferenceProfile& reference,
                         const std::map<std::string, std::uint16_t>& positions,
                         const domain::DataQualitySpec& spec) {
  features_.reserve(reference.features.size());
  for (const auto& [name, profile] : reference.features) {
    auto at = positions.find(name);
    if (at == positions.end()) continue;
    // The same widening as AssessQuality (data_quality.h): a share of the range, or of max(|min|, 1) when
    // the reference is constant.
    const double span = profile.max - profile.min;
    const double margin = spec.range_margin * (span > 0 ? span : std::max(std::fabs(profile.min), 1.0));
    features_.push_back({.name = &name,
                         .profile = &profile,
                         .position = at->second,
                         .low = profile.min - margin,
                         .high = profile.max + margin});
  }
}

std::vector<FaultCode> RecordJudge::Judge(
    std::span<const std::pair<std::string, domain::FeatureValue>> features) const {
  std::vector<FaultCode> codes;
  // Records usually list the reference's features in one order: the next feature is looked for where the
  // previous one was found, and the whole record searched only when it is not there.
  std::size_t hint = 0;
  for (const Feature& f : features_) {
    const domain::FeatureValue* value = nullptr;
    for (std::size_t k = 0; k < features.size(); ++k) {
      const std::size_t i = (hint + k) % features.size();
      if (features[i].first == *f.name) {
        value = &features[i].second;
        hint = i + 1;
        break;
      }
    }
    std::optional<Fault> fault;
    if (value == nullptr || std::holds_alternative<std::monostate>(*value)) {
      fault = Fault::kMissing;
    } else if (const auto* d = std::get_if<double>(value)) {
      if (!f.profile->numeric) {
        fault = Fault::kTypeError;
      } else if (*d < f.low || *d > f.high) {
        fault = Fault::kOutOfRange;
      }
    } else if (const auto* s = std::get_if<std::string>(value)) {
      if (f.profile->numeric) {
        fault = Fault::kTypeError;
      } else if (!f.profile->categories.count(*s)) {
        fault = Fault::kUnseen;
      }
    }
    if (fault) codes.push_back(MakeFaultCode(f.position, *fault));
  }
  std::sort(codes.begin(), codes.end());
  return codes;
}

}  // namespace driftgate::evaluate

// Make() and KnownTypes(): the one place that maps a detector name to its class.
#include <memory>
#include <string>
#include <utility>

#include "core/detect/adwin.h"
#include "core/detect/ddm.h"
#include "core/detect/detector.h"
#include "core/detect/eddm.h"
#include "core/detect/hddm_a.h"
#include "core/detect/hddm_w.h"
#include "core/detect/kswin.h"
#include "core/detect/page_hinkley.h"

namespace driftgate::detect {
namespace {

template <class D>
Result<std::unique_ptr<Detector>> Build(const Spec& spec) {
  auto params = D::ParseParams(spec.params);
  if (!params.ok()) return params.error();
  auto detector = D::Make(params.value());
  if (!detector.ok()) return detector.error();
  return std::unique_ptr<Detector>(std::move(detector).value());
}

}  // namespace

const std::vector<std::string>& KnownTypes() {
  static const std::vector<std::string> kTypes = {std::string(Adwin::kName), std::string(Ddm::kName),
                                                  std::string(Eddm::kName),  std::string(HddmA::kName),
                                                  std::string(HddmW::kName), std::string(PageHinkley::kName),
                                                  std::string(Kswin::kName)};
  return kTypes;
}

Result<std::unique_ptr<Detector>> Make(const Spec& spec) {
  if (spec.type == Adwin::kName) return Build<Adwin>(spec);
  if (spec.type == Ddm::kName) return Build<Ddm>(spec);
  if (spec.type == Eddm::kName) return Build<Eddm>(spec);
  if (spec.type == HddmA::kName) return Build<HddmA>(spec);
  if (spec.type == HddmW::kName) return Build<HddmW>(spec);
  if (spec.type == PageHinkley::kName) return Build<PageHinkley>(spec);
  if (spec.type == Kswin::kName) return Build<Kswin>(spec);
  std::string known;
  for (const auto& name : KnownTypes()) known += (known.empty() ? "" : ", ") + name;
  return Error::Invalid("type", "unknown detector type '" + spec.type + "' (known: " + known + ")");
}

}  // namespace driftgate::detect

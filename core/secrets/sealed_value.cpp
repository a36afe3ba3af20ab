#include "core/secrets/sealed_value.h"

namespace driftgate::secrets {

std::optional<std::string> KeyIdOf(std::string_view value) {
  if (!IsSealed(value)) return std::nullopt;
  value.remove_prefix(kSealedPrefix.size());
  const auto dot = value.find('.');
  if (dot == std::string_view::npos || dot == 0) return std::nullopt;
  return std::string(value.substr(0, dot));
}

}  // namespace driftgate::secrets

#include "core/secrets/webhook_secret.h"

#include "core/secrets/base64.h"

namespace driftgate::secrets {

std::optional<std::string> KeyFromSecret(std::string_view secret) {
  if (secret.starts_with(kSecretPrefix)) {
    std::optional<std::string> key = Base64Decode(secret.substr(kSecretPrefix.size()));
    if (!key || key->empty()) return std::nullopt;
    return key;
  }
  if (secret.empty()) return std::nullopt;
  return std::string(secret);
}

}  // namespace driftgate::secrets

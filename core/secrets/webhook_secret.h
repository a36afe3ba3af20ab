// What a webhook secret denotes (openapi.yaml, webhooks `retrain.requested`; Standard Webhooks,
// https://github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md, "Signature scheme"):
// a secret that starts with "whsec_" is standard base64 after that prefix and the decoded bytes are the
// HMAC key; any other secret is used as raw bytes. Note the divergence from the reference libraries, which
// base64-decode a secret with or without the prefix: driftgate lets operators configure a plain
// passphrase, so only the prefix marks an encoded secret.
//
// The model document's validation (codec/) and the signer (service/webhooks/transport/signature.h) both
// read secrets through this one rule. Pure, and never puts a secret into a message.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace driftgate::secrets {

inline constexpr std::string_view kSecretPrefix = "whsec_";

// The HMAC key a secret denotes. nullopt when the secret is unusable: empty, or "whsec_" followed by
// something that is not base64 or decodes to nothing. Config validation calls this when a model is
// stored, so that signing never sees a bad secret in production.
std::optional<std::string> KeyFromSecret(std::string_view secret);

}  // namespace driftgate::secrets

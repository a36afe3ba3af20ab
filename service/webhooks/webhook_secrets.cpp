#include "service/webhooks/webhook_secrets.h"

namespace driftgate::service {

std::string HeaderSecretPurpose(std::string_view header_name) {
  return "webhook.headers." + std::string(header_name);
}

domain::WebhookSpec SealWebhookSecrets(const domain::WebhookSpec& spec, const webhook::SecretBox& box) {
  domain::WebhookSpec out = spec;
  if (spec.secrets_sealed) return out;
  if (!out.secret.empty()) out.secret = box.Seal(out.secret, kWebhookSecretPurpose);
  for (auto& h : out.headers) {
    if (h.secret && !h.value.empty()) h.value = box.Seal(h.value, HeaderSecretPurpose(h.name));
  }
  out.secrets_sealed = true;
  return out;
}

Result<std::string> OpenSecretValue(std::string_view value, std::string_view purpose,
                                    const webhook::SecretBox& box, bool legacy_plaintext) {
  if (value.empty()) return std::string();  // no secret: an unsigned delivery
  if (!webhook::SecretBox::IsSealed(value)) {
    if (legacy_plaintext) return std::string(value);
    return Error{ErrorCode::kInternal, std::string(purpose) + ": stored value is not sealed", {}};
  }
  if (auto plain = box.Open(value, purpose)) return std::move(*plain);
  const std::string key = webhook::SecretBox::KeyIdOf(value).value_or("?");
  return Error{
      ErrorCode::kInternal,
      std::string(purpose) + ": sealed under key " + key +
          (box.HasKey(key) ? ", but it does not authenticate (tampered or moved)"
                           : ", which neither DRIFTGATE_SECRET_KEY nor DRIFTGATE_SECRET_KEY_PREVIOUS holds"),
      {}};
}

Result<domain::WebhookSpec> OpenWebhookSecrets(const domain::WebhookSpec& spec,
                                               const webhook::SecretBox& box) {
  domain::WebhookSpec out = spec;
  if (!spec.secrets_sealed) return out;
  if (!out.secret.empty()) {
    auto secret = OpenSecretValue(out.secret, kWebhookSecretPurpose, box, /*legacy_plaintext=*/true);
    if (!secret.ok()) return secret.error();
    out.secret = std::move(secret).value();
  }
  for (auto& h : out.headers) {
    if (!h.secret || h.value.empty()) continue;
    auto value = OpenSecretValue(h.value, HeaderSecretPurpose(h.name), box, /*legacy_plaintext=*/true);
    if (!value.ok()) return value.error();
    h.value = std::move(value).value();
  }
  out.secrets_sealed = false;
  return out;
}

}  // namespace driftgate::service

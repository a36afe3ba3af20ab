// The webhook secret and secret header values of a model, sealed for storage and opened for use
// (service/webhooks/transport/secret_box.h). Models are sealed as they are written (ModelsService) and stay
// sealed in memory once loaded: the evaluator copies the sealed values into the outbox row, and only the
// dispatcher opens them, right before it signs and sends a delivery.
#pragma once

#include <string>
#include <string_view>

#include "core/domain/model.h"
#include "core/error.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::service {

// The purposes (additional authenticated data) of sealed values: one for the signing secret, one per
// secret header name, so a value does not open under another field.
inline constexpr std::string_view kWebhookSecretPurpose = "webhook.secret";
std::string HeaderSecretPurpose(std::string_view header_name);

// `spec` with its secret and secret header values sealed under the box's current key (a spec that is
// sealed already comes back as is).
domain::WebhookSpec SealWebhookSecrets(const domain::WebhookSpec& spec, const webhook::SecretBox& box);
// `spec` with its sealed values opened; Internal (naming the key id, never a value) when one does not
// open — sealed under a key the box does not hold, or tampered with.
Result<domain::WebhookSpec> OpenWebhookSecrets(const domain::WebhookSpec& spec,
                                               const webhook::SecretBox& box);

// Opens one sealed value; a value that is not sealed is returned as is when `legacy_plaintext` (a row
// written before secrets were sealed, not yet re-sealed), else refused.
Result<std::string> OpenSecretValue(std::string_view value, std::string_view purpose,
                                    const webhook::SecretBox& box, bool legacy_plaintext);

}  // namespace driftgate::service

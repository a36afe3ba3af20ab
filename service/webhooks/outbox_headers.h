// The extra headers of an outbox row, ready to send: the stored pairs (codec/webhook_payload.h) with every
// sealed value opened under its header's purpose (service/webhooks/webhook_secrets.h), right before a
// delivery, so a plaintext secret header value lives only for that attempt.
#pragma once

#include <string_view>

#include "core/error.h"
#include "service/webhooks/transport/http_transport.h"
#include "service/webhooks/transport/secret_box.h"

namespace driftgate::service {

// The pairs back, sealed values opened with `box`; in a `legacy_plaintext` row (V015) a value that is
// not sealed is taken as it is.
Result<webhook::HeaderList> HeadersFromJson(std::string_view text, const webhook::SecretBox& box,
                                            bool legacy_plaintext = false);

}  // namespace driftgate::service

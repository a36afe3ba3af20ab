#include "service/webhooks/outbox_headers.h"

#include <type_traits>
#include <utility>

#include "codec/webhook_payload.h"
#include "service/webhooks/webhook_secrets.h"

namespace driftgate::service {

// The codec spells the header list without including the transport; both must stay one type.
static_assert(std::is_same_v<codec::HeaderList, webhook::HeaderList>);

Result<webhook::HeaderList> HeadersFromJson(std::string_view text, const webhook::SecretBox& box,
                                            bool legacy_plaintext) {
  webhook::HeaderList out;
  for (codec::StoredHeader& h : codec::ParseStoredHeaders(text)) {
    if (!h.sealed) {
      out.emplace_back(std::move(h.name), std::move(h.value));
      continue;
    }
    auto value = OpenSecretValue(h.value, HeaderSecretPurpose(h.name), box, legacy_plaintext);
    if (!value.ok()) return value.error();
    out.emplace_back(std::move(h.name), std::move(value).value());
  }
  return out;
}

}  // namespace driftgate::service

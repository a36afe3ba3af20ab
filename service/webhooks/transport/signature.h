// Standard Webhooks symmetric signatures (https://github.com/standard-webhooks/standard-webhooks,
// spec/standard-webhooks.md, "Signature scheme"): the sender puts three headers on the POST,
//   webhook-id:        the message id, stable across retries (receivers use it for idempotency)
//   webhook-timestamp: unix seconds of this attempt
//   webhook-signature: "v1," + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{raw body}"))
// and the receiver recomputes the HMAC over the exact bytes it received.
//
// The key a secret denotes ("whsec_" + base64, or raw bytes) and base64 itself are pure formats, kept in
// core/secrets/ (webhook_secret.h, base64.h) so that the model document's validation needs no OpenSSL;
// their names are declared here too, so the transport's callers read as before.
//
// Everything here is pure (no I/O, no clock, no logging) and never puts a secret into a message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/secrets/base64.h"
#include "core/secrets/webhook_secret.h"

namespace driftgate::webhook {

using secrets::Base64Decode;
using secrets::Base64Encode;
using secrets::KeyFromSecret;
using secrets::kSecretPrefix;

inline constexpr std::string_view kSignatureVersion = "v1";

// The spec requires the message id to contain no '.' (else "{id}.{ts}.{body}" is ambiguous and one
// signature could be replayed under another id/timestamp split). Also non-empty.
bool IsValidMessageId(std::string_view msg_id);

// The content the HMAC covers: "{msg_id}.{timestamp}.{body}". Exposed for tests and diagnostics.
std::string SignedContent(std::string_view msg_id, std::int64_t timestamp, std::string_view body);

// The value of the `webhook-signature` header: "v1," + base64(HMAC-SHA256(key, SignedContent(...))).
// `body` must be the exact bytes that go on the wire. Throws std::invalid_argument (the secret never
// appears in its message) when KeyFromSecret(secret) is nullopt or !IsValidMessageId(msg_id): both are
// programming or configuration bugs that start-up validation should have caught.
std::string Sign(std::string_view secret, std::string_view msg_id, std::int64_t timestamp,
                 std::string_view body);

// True when any entry of `signature_header` (space-separated "version,base64" entries, as the spec allows
// for key rotation) is a "v1" signature that matches. Entries of other versions are skipped; a malformed
// secret, message id or header yields false, never an exception. Comparison is constant-time in the signature
// bytes (CRYPTO_memcmp). This checks the signature only: a receiver must also reject timestamps too far
// from its own clock (the spec suggests 5 minutes) to stop replays; that needs a clock, so it is the
// caller's job.
bool Verify(std::string_view secret, std::string_view msg_id, std::int64_t timestamp, std::string_view body,
            std::string_view signature_header);

}  // namespace driftgate::webhook

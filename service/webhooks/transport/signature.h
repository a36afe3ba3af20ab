// Standard Webhooks symmetric signatures (https://github.com/standard-webhooks/standard-webhooks,
// spec/standard-webhooks.md, "Signature scheme"): the sender puts three headers on the POST,
//   webhook-id:        the message id, stable across retries (receivers use it for idempotency)
//   webhook-timestamp: unix seconds of this attempt
//   webhook-signature: "v1," + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{raw body}"))
// and the receiver recomputes the HMAC over the exact bytes it received.
//
// The key (openapi.yaml, webhooks `retrain.requested`): a secret that starts with "whsec_" is standard base64
// after that prefix and the decoded bytes are the key; any other secret is used as raw bytes. Note the
// divergence from the reference libraries, which base64-decode a secret with or without the prefix: driftgate
// lets operators configure a plain passphrase, so only the prefix marks an encoded secret.
//
// Everything here is pure (no I/O, no clock, no logging) and never puts a secret into a message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace driftgate::webhook {

inline constexpr std::string_view kSecretPrefix = "whsec_";
inline constexpr std::string_view kSignatureVersion = "v1";

// Standard base64 (RFC 4648 section 4, '+' and '/', '=' padding), as the spec's signatures and whsec_
// secrets use. Base64Encode always pads.
std::string Base64Encode(std::string_view bytes);

// Strict decoding: the length must be a multiple of 4, only the alphabet plus at most two trailing '='
// are accepted, no whitespace. nullopt when `text` is not such base64. The empty string decodes to "".
std::optional<std::string> Base64Decode(std::string_view text);

// The HMAC key a secret denotes (see the file comment). nullopt when the secret is unusable: empty, or
// "whsec_" followed by something that is not base64 or decodes to nothing. Config validation calls this
// at start-up so that Sign() never sees a bad secret in production.
std::optional<std::string> KeyFromSecret(std::string_view secret);

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

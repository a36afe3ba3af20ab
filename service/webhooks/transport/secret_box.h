// Secrets sealed at rest: AES-256-GCM (NIST SP 800-38D) through OpenSSL's EVP interface, under a key
// from DRIFTGATE_SECRET_KEY. Webhook secrets and secret header values are stored only in this form.
//
// A sealed value is text, so that it fits the existing text and JSON columns (its form alone, without
// the key, is core/secrets/sealed_value.h):
//   dgs1.<key id>.<base64(nonce[12] || ciphertext || tag[16])>
// The nonce is random per value (96 bits, RAND_bytes; far below the 2^32 values per key SP 800-38D
// section 8.3 allows for random nonces). The additional authenticated data is the value's `purpose`
// (say "webhook.secret"), so a sealed value moved into another field does not open there.
//
// Keys: base64 (RFC 4648, standard alphabet) of exactly 32 random bytes, e.g. `openssl rand -base64 32`.
// A key's id is the first 12 hex digits of SHA-256("driftgate-secret-key-id:" || key): stable, derived,
// never configured, and it names the key without revealing it. The current key seals; previous keys
// (DRIFTGATE_SECRET_KEY_PREVIOUS, comma-separated) only open, so a rotation can re-seal old values
// (`driftgate reseal`, README "Secrets at rest").
//
// Pure: no I/O, no clock, no logging; no message ever holds a key or a plaintext.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/secrets/sealed_value.h"

namespace driftgate::webhook {

using secrets::kSealedPrefix;

class SecretBox {
 public:
  // `current` seals and opens; `previous` (comma-separated, may be empty) only opens. Surrounding
  // whitespace is ignored (keys read from files end in a newline). nullopt with a message in `error`
  // (naming the variable, never the key) when a key is not base64 of 32 bytes.
  static std::optional<SecretBox> Make(std::string_view current, std::string_view previous,
                                       std::string* error);

  SecretBox(const SecretBox&) = default;
  SecretBox& operator=(const SecretBox&) = default;
  SecretBox(SecretBox&&) = default;
  SecretBox& operator=(SecretBox&&) = default;
  ~SecretBox();

  // The id of the current key, which Seal() writes into every value.
  const std::string& key_id() const { return keys_.front().id; }
  bool HasKey(std::string_view key_id) const;

  // Throws std::runtime_error only when OpenSSL fails (no randomness, out of memory).
  std::string Seal(std::string_view plaintext, std::string_view purpose) const;
  // nullopt when `sealed` is not a sealed value, names a key this box does not hold, or does not
  // authenticate (tampered, or sealed for another purpose).
  std::optional<std::string> Open(std::string_view sealed, std::string_view purpose) const;

  static bool IsSealed(std::string_view value) { return secrets::IsSealed(value); }
  // The key id inside a sealed value; nullopt when `value` is not one.
  static std::optional<std::string> KeyIdOf(std::string_view value) { return secrets::KeyIdOf(value); }

 private:
  struct Key {
    std::string id{};
    std::array<unsigned char, 32> bytes{};
  };
  SecretBox() = default;
  const Key* Find(std::string_view id) const;

  std::vector<Key> keys_{};  // the current key first
};

}  // namespace driftgate::webhook

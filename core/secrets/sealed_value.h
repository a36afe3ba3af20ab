// What a value sealed at rest looks like, without opening it: text of the form
//   dgs1.<key id>.<base64(nonce || ciphertext || tag)>
// (the AES-256-GCM sealing itself is service/webhooks/transport/secret_box.h). The model document's
// validation (codec/) tells a sealed routing key from a plain one by this form, and the services find
// the key a value was sealed under. Pure: the form only, never a key or a plaintext.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace driftgate::secrets {

inline constexpr std::string_view kSealedPrefix = "dgs1.";

// True when `value` has the sealed form's prefix (whether it opens is the SecretBox's question).
inline bool IsSealed(std::string_view value) { return value.starts_with(kSealedPrefix); }

// The key id inside a sealed value: the non-empty text between the prefix and the next '.'; nullopt when
// `value` is not sealed or has no such id.
std::optional<std::string> KeyIdOf(std::string_view value);

}  // namespace driftgate::secrets

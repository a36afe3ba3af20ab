// Base64 with the standard alphabet (RFC 4648 section 4: 'A'-'Z', 'a'-'z', '0'-'9', '+', '/', '=' padding),
// the encoding of Standard Webhooks signatures and `whsec_` secrets, of the secret key in
// DRIFTGATE_SECRET_KEY and of sealed values. Standard library only, so that codec/ can validate secrets
// without the transport's OpenSSL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace driftgate::secrets {

// Always padded to a multiple of 4 characters; "" for no bytes.
std::string Base64Encode(std::string_view bytes);

// Strict decoding: the length must be a multiple of 4, only the alphabet plus at most two trailing '='
// are accepted, no whitespace and no line breaks. nullopt when `text` is not such base64. The empty
// string decodes to "". The bits a padded group carries beyond its last byte are ignored, not checked
// (RFC 4648 section 3.5 lets decoders do either; OpenSSL's EVP_DecodeBlock ignores them too).
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace driftgate::secrets

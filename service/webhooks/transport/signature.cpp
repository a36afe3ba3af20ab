#include "service/webhooks/transport/signature.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>
#include <string>

namespace driftgate::webhook {
namespace {

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string HmacSha256Base64(std::string_view key, std::string_view content) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_len = 0;
  // HMAC() with a non-null output buffer is the one-shot API that OpenSSL 3 keeps undeprecated.
  if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), Bytes(content), content.size(), mac.data(),
           &mac_len) == nullptr) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac_len));
}

}  // namespace

bool IsValidMessageId(std::string_view msg_id) {
  return !msg_id.empty() && msg_id.find('.') == std::string_view::npos;
}

std::string SignedContent(std::string_view msg_id, std::int64_t timestamp, std::string_view body) {
  const std::string ts = std::to_string(timestamp);
  std::string content;
  content.reserve(msg_id.size() + ts.size() + body.size() + 2);
  content.append(msg_id).append(1, '.').append(ts).append(1, '.').append(body);
  return content;
}

std::string Sign(std::string_view secret, std::string_view msg_id, std::int64_t timestamp,
                 std::string_view body) {
  const std::optional<std::string> key = KeyFromSecret(secret);
  if (!key) throw std::invalid_argument("webhook secret is empty or not valid whsec_ base64");
  if (!IsValidMessageId(msg_id)) throw std::invalid_argument("webhook message id is empty or contains '.'");
  std::string signature(kSignatureVersion);
  signature.append(1, ',').append(HmacSha256Base64(*key, SignedContent(msg_id, timestamp, body)));
  return signature;
}

bool Verify(std::string_view secret, std::string_view msg_id, std::int64_t timestamp, std::string_view body,
            std::string_view signature_header) {
  const std::optional<std::string> key = KeyFromSecret(secret);
  if (!key || !IsValidMessageId(msg_id)) return false;
  const std::string expected = HmacSha256Base64(*key, SignedContent(msg_id, timestamp, body));

  bool matched = false;
  std::size_t pos = 0;
  while (pos <= signature_header.size()) {
    std::size_t end = signature_header.find(' ', pos);
    if (end == std::string_view::npos) end = signature_header.size();
    const std::string_view entry = signature_header.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t comma = entry.find(',');
    if (comma == std::string_view::npos || entry.substr(0, comma) != kSignatureVersion) continue;
    const std::string_view candidate = entry.substr(comma + 1);
    // Lengths are public (every v1 signature is 44 characters); only the contents need constant time.
    // Keep scanning after a match so the time does not reveal which entry matched.
    if (candidate.size() == expected.size() &&
        CRYPTO_memcmp(candidate.data(), expected.data(), expected.size()) == 0) {
      matched = true;
    }
  }
  return matched;
}

}  // namespace driftgate::webhook

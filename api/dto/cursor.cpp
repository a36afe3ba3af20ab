#include "api/dto/cursor.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <charconv>
#include <stdexcept>

namespace driftgate::api::dto {
namespace {

constexpr std::size_t kTagBytes = 16;

std::optional<std::int64_t> ParseInt(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

CursorCodec::CursorCodec(std::string key) : key_(std::move(key)) {
  if (key_.empty()) {
    key_.resize(32);
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key_.data()), static_cast<int>(key_.size())) != 1) {
      throw std::runtime_error("no randomness for the cursor key");
    }
  }
}

std::string CursorCodec::Tag(std::string_view listing, std::string_view position_text) const {
  std::string content;
  content.reserve(listing.size() + position_text.size() + 1);
  content.append(listing).append(1, '\n').append(position_text);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()),
       reinterpret_cast<const unsigned char*>(content.data()), content.size(), mac, &len);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < kTagBytes && i < len; ++i) {
    out += kHex[mac[i] >> 4];
    out += kHex[mac[i] & 0xF];
  }
  return out;
}

std::string CursorCodec::Encode(std::string_view listing, CursorPosition position) const {
  const std::string text = std::to_string(position.at_us) + "_" + std::to_string(position.seq);
  return "c" + text + "_" + Tag(listing, text);
}

std::optional<CursorPosition> CursorCodec::Decode(std::string_view listing, std::string_view cursor) const {
  if (cursor.size() < 2 || cursor[0] != 'c') return std::nullopt;
  const auto tag_at = cursor.rfind('_');
  if (tag_at == std::string_view::npos) return std::nullopt;
  const std::string_view text = cursor.substr(1, tag_at - 1);
  const std::string_view tag = cursor.substr(tag_at + 1);
  const auto sep = text.find('_');
  if (sep == std::string_view::npos) return std::nullopt;
  const auto at = ParseInt(text.substr(0, sep));
  const auto seq = ParseInt(text.substr(sep + 1));
  if (!at || !seq) return std::nullopt;
  const std::string expected = Tag(listing, text);
  if (tag.size() != expected.size() || CRYPTO_memcmp(tag.data(), expected.data(), tag.size()) != 0) {
    return std::nullopt;
  }
  return CursorPosition{.at_us = *at, .seq = *seq};
}

}  // namespace driftgate::api::dto

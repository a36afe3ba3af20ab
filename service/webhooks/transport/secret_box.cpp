#include "service/webhooks/transport/secret_box.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <memory>
#include <stdexcept>

#include "service/webhooks/transport/signature.h"

namespace driftgate::webhook {
namespace {

constexpr std::size_t kNonceBytes = 12;  // the GCM IV length SP 800-38D recommends
constexpr std::size_t kTagBytes = 16;

struct CtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using Ctx = std::unique_ptr<EVP_CIPHER_CTX, CtxDeleter>;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string KeyId(const std::array<unsigned char, 32>& key) {
  static constexpr std::string_view kLabel = "driftgate-secret-key-id:";
  std::string input(kLabel);
  input.append(reinterpret_cast<const char*>(key.data()), key.size());
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  OPENSSL_cleanse(input.data(), input.size());
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 6; ++i) {
    id.push_back(kHex[digest[i] >> 4]);
    id.push_back(kHex[digest[i] & 0xf]);
  }
  return id;
}

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::optional<SecretBox> SecretBox::Make(std::string_view current, std::string_view previous,
                                         std::string* error) {
  SecretBox box;
  auto add = [&](std::string_view text, const char* variable) {
    auto decoded = Base64Decode(Trim(text));
    if (!decoded || decoded->size() != 32) {
      if (decoded) OPENSSL_cleanse(decoded->data(), decoded->size());
      if (error) {
        *error = std::string(variable) + " must be base64 of exactly 32 bytes (`openssl rand -base64 32`)";
      }
      return false;
    }
    Key key;
    std::copy(decoded->begin(), decoded->end(), key.bytes.begin());
    OPENSSL_cleanse(decoded->data(), decoded->size());
    key.id = KeyId(key.bytes);
    if (box.Find(key.id) == nullptr) box.keys_.push_back(std::move(key));
    return true;
  };
  if (!add(current, "DRIFTGATE_SECRET_KEY")) return std::nullopt;
  std::size_t start = 0;
  while (start < previous.size()) {
    const auto comma = previous.find(',', start);
    const std::string_view item =
        previous.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? previous.size() : comma + 1;
    if (Trim(item).empty()) continue;
    if (!add(item, "DRIFTGATE_SECRET_KEY_PREVIOUS")) return std::nullopt;
  }
  return box;
}

SecretBox::~SecretBox() {
  for (auto& key : keys_) OPENSSL_cleanse(key.bytes.data(), key.bytes.size());
}

const SecretBox::Key* SecretBox::Find(std::string_view id) const {
  const auto it = std::find_if(keys_.begin(), keys_.end(), [&](const Key& k) { return k.id == id; });
  return it == keys_.end() ? nullptr : &*it;
}

bool SecretBox::HasKey(std::string_view key_id) const { return Find(key_id) != nullptr; }

std::string SecretBox::Seal(std::string_view plaintext, std::string_view purpose) const {
  const Key& key = keys_.front();
  std::string raw(kNonceBytes + plaintext.size() + kTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(raw.data());
  auto* out = nonce + kNonceBytes;
  if (RAND_bytes(nonce, static_cast<int>(kNonceBytes)) != 1)
    throw std::runtime_error("no randomness for a nonce");
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0, total = 0;
  const bool ok =
      ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes), nullptr) == 1 &&
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.bytes.data(), nonce) == 1 &&
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(purpose), static_cast<int>(purpose.size())) == 1 &&
      EVP_EncryptUpdate(ctx.get(), out, &len, Bytes(plaintext), static_cast<int>(plaintext.size())) == 1 &&
      (total = len, EVP_EncryptFinal_ex(ctx.get(), out + total, &len) == 1) &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kTagBytes),
                          out + plaintext.size()) == 1;
  if (!ok) throw std::runtime_error("AES-256-GCM encryption failed");
  std::string sealed(kSealedPrefix);
  sealed.append(key.id).append(".").append(Base64Encode(raw));
  return sealed;
}

std::optional<std::string> SecretBox::Open(std::string_view sealed, std::string_view purpose) const {
  const auto id = KeyIdOf(sealed);
  if (!id) return std::nullopt;
  const Key* key = Find(*id);
  if (key == nullptr) return std::nullopt;
  auto raw = Base64Decode(sealed.substr(kSealedPrefix.size() + id->size() + 1));
  if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::size_t length = raw->size() - kNonceBytes - kTagBytes;
  auto* nonce = reinterpret_cast<unsigned char*>(raw->data());
  auto* tag = nonce + kNonceBytes + length;
  std::string plain(length, '\0');
  auto* out = reinterpret_cast<unsigned char*>(plain.data());
  Ctx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  const bool ok =
      ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(kNonceBytes), nullptr) == 1 &&
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key->bytes.data(), nonce) == 1 &&
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(purpose), static_cast<int>(purpose.size())) == 1 &&
      EVP_DecryptUpdate(ctx.get(), out, &len, nonce + kNonceBytes, static_cast<int>(length)) == 1 &&
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kTagBytes), tag) == 1 &&
      EVP_DecryptFinal_ex(ctx.get(), out + len, &len) == 1;  // checks the tag
  if (!ok) {
    OPENSSL_cleanse(plain.data(), plain.size());
    return std::nullopt;
  }
  return plain;
}

}  // namespace driftgate::webhook

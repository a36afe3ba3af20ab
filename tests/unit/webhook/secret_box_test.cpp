// SecretBox: AES-256-GCM sealing of stored secrets (NIST SP 800-38D), its key handling and its format.
#include "service/webhooks/transport/secret_box.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "service/webhooks/transport/signature.h"

namespace driftgate::webhook {
namespace {

constexpr const char* kKeyA = "dGVzdC1zZWNyZXQta2V5LTAxMjM0NTY3ODlhYmNkZWY=";  // 32 bytes
constexpr const char* kKeyB = "cm90YXRlZC1zZWNyZXQta2V5LTAxMjM0NTY3ODlhYmM=";  // 32 bytes

SecretBox Box(const char* current, const char* previous = "") {
  std::string error;
  auto box = SecretBox::Make(current, previous, &error);
  EXPECT_TRUE(box) << error;
  return *box;
}

TEST(SecretBox, SealedValuesOpenToThePlaintextAndDoNotContainIt) {
  const SecretBox box = Box(kKeyA);
  for (const std::string& plain :
       {std::string("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"), std::string("Bearer x"), std::string(),
        std::string(5000, 'z'), std::string("a\0b", 3)}) {
    const std::string sealed = box.Seal(plain, "webhook.secret");
    EXPECT_TRUE(SecretBox::IsSealed(sealed));
    EXPECT_EQ(sealed.rfind("dgs1." + box.key_id() + ".", 0), 0u) << sealed;
    if (plain.size() > 3) {
      EXPECT_EQ(sealed.find(plain), std::string::npos);
    }
    // nonce (12) + ciphertext (as long as the plaintext) + tag (16), base64
    const auto raw = Base64Decode(sealed.substr(5 + box.key_id().size() + 1));
    ASSERT_TRUE(raw);
    EXPECT_EQ(raw->size(), 12 + plain.size() + 16);
    EXPECT_EQ(box.Open(sealed, "webhook.secret"), std::optional<std::string>(plain));
  }
}

TEST(SecretBox, EverySealUsesAFreshNonce) {
  const SecretBox box = Box(kKeyA);
  EXPECT_NE(box.Seal("same", "p"), box.Seal("same", "p"));
}

TEST(SecretBox, TheRawFormatIsPlainAes256GcmWithThePurposeAsAad) {
  // Decrypting with OpenSSL directly proves the format: nonce || ciphertext || tag, AAD = purpose.
  const SecretBox box = Box(kKeyA);
  const std::string sealed = box.Seal("interop", "webhook.headers.Authorization");
  const std::string raw = *Base64Decode(sealed.substr(5 + box.key_id().size() + 1));
  const std::string key = *Base64Decode(kKeyA);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  const std::string aad = "webhook.headers.Authorization";
  std::string out(raw.size() - 28, '\0');
  int len = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ASSERT_EQ(EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                               reinterpret_cast<const unsigned char*>(key.data()), bytes),
            1);
  ASSERT_EQ(EVP_DecryptUpdate(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()),
                              static_cast<int>(aad.size())),
            1);
  ASSERT_EQ(EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, bytes + 12,
                              static_cast<int>(out.size())),
            1);
  std::string tag = raw.substr(raw.size() - 16);
  ASSERT_EQ(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag.data()), 1);
  EXPECT_EQ(EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + len, &len), 1);
  EVP_CIPHER_CTX_free(ctx);
  EXPECT_EQ(out, "interop");
}

TEST(SecretBox, TamperedMovedOrForeignValuesDoNotOpen) {
  const SecretBox box = Box(kKeyA);
  const std::string sealed = box.Seal("whsec_abc", "webhook.secret");
  EXPECT_FALSE(box.Open(sealed, "webhook.headers.Authorization"));  // another field's purpose
  std::string flipped = sealed;
  flipped[flipped.size() - 6] = flipped[flipped.size() - 6] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box.Open(flipped, "webhook.secret"));
  EXPECT_FALSE(Box(kKeyB).Open(sealed, "webhook.secret"));  // a box without the key
  for (const char* bad : {"", "whsec_abc", "dgs1.", "dgs1..AAAA", "dgs1.nokey.AAAA", "dgs1.x"}) {
    EXPECT_FALSE(box.Open(bad, "webhook.secret")) << bad;
  }
  const std::string no_tag = "dgs1." + box.key_id() + "." + Base64Encode(std::string(20, 'x'));
  EXPECT_FALSE(box.Open(no_tag, "webhook.secret"));
}

TEST(SecretBox, PreviousKeysOpenAndTheCurrentKeySeals) {
  const SecretBox old_box = Box(kKeyA);
  const SecretBox rotated = Box(kKeyB, (std::string(" ") + kKeyA + " ,").c_str());
  const std::string old_value = old_box.Seal("whsec_abc", "webhook.secret");
  EXPECT_EQ(rotated.Open(old_value, "webhook.secret"), std::optional<std::string>("whsec_abc"));
  const std::string new_value = rotated.Seal("whsec_abc", "webhook.secret");
  EXPECT_EQ(SecretBox::KeyIdOf(new_value), rotated.key_id());
  EXPECT_EQ(SecretBox::KeyIdOf(old_value), old_box.key_id());
  EXPECT_FALSE(old_box.Open(new_value, "webhook.secret"));
  EXPECT_TRUE(rotated.HasKey(old_box.key_id()));
  EXPECT_FALSE(SecretBox::KeyIdOf("whsec_abc"));
}

TEST(SecretBox, KeyIdsAreDerivedStableAndDistinct) {
  EXPECT_EQ(Box(kKeyA).key_id(), Box((std::string(kKeyA) + "\n").c_str()).key_id());
  EXPECT_NE(Box(kKeyA).key_id(), Box(kKeyB).key_id());
  EXPECT_EQ(Box(kKeyA).key_id().size(), 12u);
  EXPECT_EQ(Box(kKeyA).key_id().find_first_not_of("0123456789abcdef"), std::string::npos);
}

TEST(SecretBox, KeysMustBeBase64Of32BytesAndErrorsNameTheVariableNotTheKey) {
  for (const auto& [current, previous, variable] :
       std::vector<std::tuple<std::string, std::string, std::string>>{
           {"", "", "DRIFTGATE_SECRET_KEY"},
           {"c2hvcnQ=", "", "DRIFTGATE_SECRET_KEY"},
           {std::string(kKeyA).substr(1), "", "DRIFTGATE_SECRET_KEY"},
           {"%%%not-base64%%%%%%%%%%%%%%%%%%%%%%%%%%%%%%", "", "DRIFTGATE_SECRET_KEY"},
           {kKeyA, "c2hvcnQ=", "DRIFTGATE_SECRET_KEY_PREVIOUS"}}) {
    std::string error;
    EXPECT_FALSE(SecretBox::Make(current, previous, &error)) << current;
    EXPECT_EQ(error.rfind(variable + " must be", 0), 0u) << error;
    if (!current.empty()) {
      EXPECT_EQ(error.find(current), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace driftgate::webhook

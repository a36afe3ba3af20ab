#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "core/secrets/base64.h"
#include "core/secrets/sealed_value.h"
#include "core/secrets/webhook_secret.h"

namespace driftgate::secrets {
namespace {

// The Standard Webhooks reference secret (standard-webhooks/standard-webhooks,
// libraries/go/webhook_test.go TestWebhookSign).
constexpr std::string_view kVectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

TEST(KeyFromSecret, DecodesWhsecSecretsAndKeepsOthersRaw) {
  const std::optional<std::string> decoded = KeyFromSecret(kVectorSecret);
  ASSERT_TRUE(decoded.has_value());
  EXPECT_EQ(decoded->size(), 24u);  // 32 base64 characters
  EXPECT_EQ(*decoded, *Base64Decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
  EXPECT_EQ(KeyFromSecret("plain passphrase"), std::optional<std::string>("plain passphrase"));
  EXPECT_EQ(KeyFromSecret(""), std::nullopt);
  EXPECT_EQ(KeyFromSecret("whsec_"), std::nullopt);
  EXPECT_EQ(KeyFromSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaS"), std::nullopt);  // 31 characters
}

TEST(SealedValue, IsRecognisedByItsPrefixAndNamesItsKey) {
  EXPECT_TRUE(IsSealed("dgs1.0123456789ab.AAAA"));
  EXPECT_FALSE(IsSealed("dgs1"));
  EXPECT_FALSE(IsSealed("DGS1.0123456789ab.AAAA"));
  EXPECT_FALSE(IsSealed("whsec_abc"));
  EXPECT_EQ(KeyIdOf("dgs1.0123456789ab.AAAA"), std::optional<std::string>("0123456789ab"));
  EXPECT_EQ(KeyIdOf("dgs1..AAAA"), std::nullopt);         // no key id
  EXPECT_EQ(KeyIdOf("dgs1.0123456789ab"), std::nullopt);  // no '.' after the key id
  EXPECT_EQ(KeyIdOf("whsec_abc"), std::nullopt);
}

}  // namespace
}  // namespace driftgate::secrets

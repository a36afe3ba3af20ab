#include "service/webhooks/transport/signature.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace driftgate::webhook {
namespace {

// The Standard Webhooks reference vector, from standard-webhooks/standard-webhooks:
//   libraries/go/webhook_test.go            TestWebhookSign
//   libraries/python/tests/test_webhooks.py test_sign_function
// Checked independently here with (one shell line, split for width)
//   KEY=$(printf '%s' MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw | base64 -d | xxd -p -c 100)
//   printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}'
//     | openssl dgst -sha256 -mac HMAC -macopt hexkey:$KEY -binary | base64
//   => g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=
// and /usr/bin/python3: base64.b64encode(hmac.new(base64.b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
//   b'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}', hashlib.sha256).digest()) gives the
//   same.
constexpr std::string_view kVectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
constexpr std::string_view kVectorMsgId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
constexpr std::int64_t kVectorTimestamp = 1614265330;
constexpr std::string_view kVectorBody = R"({"test": 2432232314})";
constexpr std::string_view kVectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

TEST(Sign, MatchesTheStandardWebhooksReferenceVector) {
  EXPECT_EQ(Sign(kVectorSecret, kVectorMsgId, kVectorTimestamp, kVectorBody), kVectorSignature);
}

TEST(Sign, UsesARawSecretsBytesAsTheKey) {
  // printf '%s' 'msg_1.1700000000.{}' | openssl dgst -sha256 -hmac 'my-raw-secret' -binary | base64
  EXPECT_EQ(Sign("my-raw-secret", "msg_1", 1700000000, "{}"),
            "v1,TmtGCrTZiXFjZQ2x1e8l0UjRPWcdbNexU552pwR1ex8=");
}

TEST(Sign, DecodesOnlyWhenThePrefixIsPresent) {
  // Unlike the reference libraries, a base64-looking secret without "whsec_" is a raw passphrase
  // (openapi.yaml). printf '%s' 'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}'
  //   | openssl dgst -sha256 -hmac 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' -binary | base64
  EXPECT_EQ(Sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", kVectorMsgId, kVectorTimestamp, kVectorBody),
            "v1,ELhqG0Ku1gwOc1f4jyKdp3SFGFLAOdJ9bvpWLciCakI=");
}

TEST(Sign, CoversTheIdTimestampAndBodyJoinedByDots) {
  EXPECT_EQ(SignedContent("msg_1", 1614265330, "{}"), "msg_1.1614265330.{}");
  EXPECT_EQ(SignedContent("msg_1", -5, ""), "msg_1.-5.");
}

TEST(Sign, RefusesAnUnusableSecretWithoutEchoingIt) {
  EXPECT_THROW((void)Sign("", "msg_1", 1, "{}"), std::invalid_argument);
  EXPECT_THROW((void)Sign("whsec_", "msg_1", 1, "{}"), std::invalid_argument);
  const std::string bad = "whsec_not*base64";
  try {
    (void)Sign(bad, "msg_1", 1, "{}");
    ADD_FAILURE() << "no exception for a secret that is not base64";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("not*base64"), std::string::npos);
  }
}

TEST(Sign, RefusesAMessageIdThatIsEmptyOrHasADot) {
  EXPECT_THROW((void)Sign("secret", "", 1, "{}"), std::invalid_argument);
  EXPECT_THROW((void)Sign("secret", "msg.1", 1, "{}"), std::invalid_argument);
}

TEST(Verify, AcceptsTheReferenceVectorAndItsOwnSignatures) {
  EXPECT_TRUE(Verify(kVectorSecret, kVectorMsgId, kVectorTimestamp, kVectorBody, kVectorSignature));
  const std::string signature = Sign("raw secret", "msg_2", 42, "body");
  EXPECT_TRUE(Verify("raw secret", "msg_2", 42, "body", signature));
}

TEST(Verify, RejectsATamperedBodyTimestampIdOrSecret) {
  const auto verify = [](std::string_view secret, std::string_view id, std::int64_t ts,
                         std::string_view body) { return Verify(secret, id, ts, body, kVectorSignature); };
  EXPECT_FALSE(verify(kVectorSecret, kVectorMsgId, kVectorTimestamp, R"({"test": 2432232315})"));
  EXPECT_FALSE(verify(kVectorSecret, kVectorMsgId, kVectorTimestamp, R"({"test":2432232314})"));
  EXPECT_FALSE(verify(kVectorSecret, kVectorMsgId, kVectorTimestamp + 1, kVectorBody));
  EXPECT_FALSE(verify(kVectorSecret, "msg_p5jXN8AQM9LWM0D4loKWxJeK", kVectorTimestamp, kVectorBody));
  EXPECT_FALSE(verify("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSx", kVectorMsgId, kVectorTimestamp, kVectorBody));
  EXPECT_FALSE(verify("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", kVectorMsgId, kVectorTimestamp, kVectorBody));
}

TEST(Verify, AcceptsAListWhenAnyV1EntryMatches) {
  // The multi-signature header of the reference tests (test_multi_sig_payload_is_valid).
  const std::string header =
      std::string("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ") +
      "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + std::string(kVectorSignature) +
      " v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=";
  EXPECT_TRUE(Verify(kVectorSecret, kVectorMsgId, kVectorTimestamp, kVectorBody, header));
}

TEST(Verify, RejectsHeadersWithoutAMatchingV1Entry) {
  const std::string_view base64 = kVectorSignature.substr(3);
  for (const std::string& header :
       {std::string(), std::string(" "), std::string(base64), "v2," + std::string(base64),
        "v1a," + std::string(base64), "v1," + std::string(base64.substr(1)), "v1, " + std::string(base64),
        std::string("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA="),
        std::string("v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= "
                    "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=")}) {
    EXPECT_FALSE(Verify(kVectorSecret, kVectorMsgId, kVectorTimestamp, kVectorBody, header)) << header;
  }
}

TEST(Verify, ReturnsFalseRatherThanThrowingOnBadInput) {
  EXPECT_FALSE(Verify("", "msg_1", 1, "{}", "v1,abc"));
  EXPECT_FALSE(Verify("whsec_***", "msg_1", 1, "{}", "v1,abc"));
  EXPECT_FALSE(Verify("secret", "msg.1", 1, "{}", Sign("secret", "msg_1", 1, "{}")));
}

}  // namespace
}  // namespace driftgate::webhook

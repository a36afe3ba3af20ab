#include "core/secrets/base64.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace driftgate::secrets {
namespace {

TEST(Base64, EncodesTheRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
}

TEST(Base64, DecodesTheRfc4648VectorsWithoutPaddingBytes) {
  EXPECT_EQ(Base64Decode(""), std::optional<std::string>(""));
  EXPECT_EQ(Base64Decode("Zg=="), std::optional<std::string>("f"));
  EXPECT_EQ(Base64Decode("Zm8="), std::optional<std::string>("fo"));
  EXPECT_EQ(Base64Decode("Zm9v"), std::optional<std::string>("foo"));
  EXPECT_EQ(Base64Decode("Zm9vYg=="), std::optional<std::string>("foob"));
  EXPECT_EQ(Base64Decode("Zm9vYmE="), std::optional<std::string>("fooba"));
  EXPECT_EQ(Base64Decode("Zm9vYmFy"), std::optional<std::string>("foobar"));
}

TEST(Base64, RoundTripsEveryByteAndEveryPaddingLength) {
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes.push_back(static_cast<char>(b));
  for (std::size_t length = 0; length <= all_bytes.size(); ++length) {
    const std::string bytes = all_bytes.substr(all_bytes.size() - length);  // starts with high bytes
    const std::string text = Base64Encode(bytes);
    EXPECT_EQ(text.size() % 4, 0u);
    const std::optional<std::string> back = Base64Decode(text);
    ASSERT_TRUE(back.has_value()) << "length " << length;
    EXPECT_EQ(*back, bytes) << "length " << length;
  }
  EXPECT_EQ(Base64Decode(Base64Encode(std::string("\0\0\0\0", 4))), std::string("\0\0\0\0", 4));
}

TEST(Base64, RejectsAnythingButStrictPaddedBase64) {
  for (const char* bad :
       {"Zg", "Zg=", "Zm9", "Z===", "====", "Zm=v", "=Zm9", "Zm9*", "Zm9v\n", " Zm9v", "Zm 9", "Zm9v-_8="}) {
    EXPECT_EQ(Base64Decode(bad), std::nullopt) << '"' << bad << '"';
  }
}

TEST(Base64, IgnoresTheBitsAPaddedGroupCarriesBeyondItsLastByte) {
  // "Zg==" is the canonical "f"; "Zh==" and "Zm9=" set pad bits, which RFC 4648 section 3.5 lets a decoder
  // ignore (as OpenSSL's EVP_DecodeBlock does).
  EXPECT_EQ(Base64Decode("Zh=="), std::optional<std::string>("f"));
  EXPECT_EQ(Base64Decode("Zm9="), std::optional<std::string>("fo"));
}

}  // namespace
}  // namespace driftgate::secrets

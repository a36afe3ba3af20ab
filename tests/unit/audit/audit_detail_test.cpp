// codec/audit_detail.h: the stored form of an audit detail (audit.detail, listed by GET /v1/audit).
#include "codec/audit_detail.h"

#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace driftgate {
namespace {

TEST(AuditDetail, EveryKindOfValueKeysSorted) {
  const std::size_t points = 3;
  const std::int64_t size = -1;
  const std::optional<std::string> none;
  const std::string encoded = codec::EncodeAuditDetail({{"scopes", std::vector<std::string>{"admin", "read"}},
                                                        {"points", points},
                                                        {"size", size},
                                                        {"name", std::string_view("deployer")},
                                                        {"model", none}});
  EXPECT_EQ(encoded, R"({"model":null,"name":"deployer","points":3,"scopes":["admin","read"],"size":-1})");
}

TEST(AuditDetail, EmptyIsAnObject) { EXPECT_EQ(codec::EncodeAuditDetail({}), "{}"); }

TEST(AuditDetail, AKeyGivenTwiceKeepsTheLastValue) {
  EXPECT_EQ(codec::EncodeAuditDetail({{"task", "binary"}, {"task", "multiclass"}}),
            R"({"task":"multiclass"})");
}

// A name is stored even when it is not UTF-8: the bad byte becomes U+FFFD rather than losing the row.
TEST(AuditDetail, InvalidUtf8IsReplacedNotRefused) {
  const std::string encoded = codec::EncodeAuditDetail({{"name", std::string("a\xff"
                                                                             "b")}});
  const auto parsed = nlohmann::json::parse(encoded);
  EXPECT_EQ(parsed["name"].get<std::string>(),
            "a\xef\xbf\xbd"
            "b");
}

}  // namespace
}  // namespace driftgate

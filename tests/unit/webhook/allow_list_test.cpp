// DRIFTGATE_WEBHOOK_ALLOW: parsing, URL checks (create time, no DNS) and address checks (connect time).
#include "service/webhooks/transport/allow_list.h"

#include <gtest/gtest.h>

namespace driftgate::webhook {
namespace {

AllowList Parse(const std::string& spec) {
  std::string error;
  auto list = AllowList::Parse(spec, &error);
  EXPECT_TRUE(list) << spec << ": " << error;
  return list ? *list : AllowList{};
}

TEST(AllowList, AnEmptyListAllowsPublicDestinationsOnly) {
  const AllowList list = Parse("");
  EXPECT_TRUE(list.empty());
  // Names pass the URL check and are judged by the address they resolve to.
  EXPECT_TRUE(list.AllowsUrl("http://anything.example.org/x"));
  EXPECT_TRUE(list.AllowsUrl("http://localhost:8080/x"));
  EXPECT_TRUE(list.AllowsConnect("http://anything.example.org/x", "93.184.216.34"));
  EXPECT_TRUE(list.AllowsConnect("http://anything.example.org/x", "2606:2800:220:1::1"));
  EXPECT_TRUE(list.AllowsUrl("http://93.184.216.34/x"));
  EXPECT_TRUE(list.AllowsUrl("https://[2606:2800:220:1::1]/x"));
  for (const char* internal : {"127.0.0.1",
                               "127.9.9.9",
                               "10.0.0.1",
                               "172.16.0.1",
                               "172.31.255.255",
                               "192.168.0.1",
                               "169.254.169.254",
                               "100.64.0.1",
                               "100.127.255.255",
                               "0.0.0.0",
                               "224.0.0.1",
                               "255.255.255.255",
                               "::1",
                               "::",
                               "fe80::1",
                               "fc00::1",
                               "fd00::1",
                               "ff02::1",
                               "::ffff:127.0.0.1",
                               "::ffff:169.254.169.254",
                               "::127.0.0.1"}) {
    EXPECT_FALSE(list.AllowsConnect("http://anything.example.org/x", internal)) << internal;
    EXPECT_FALSE(list.AllowsConnect("http://localhost/x", internal)) << internal;
    const std::string literal = std::string(internal).find(':') == std::string::npos
                                    ? std::string(internal)
                                    : "[" + std::string(internal) + "]";
    EXPECT_FALSE(list.AllowsUrl("http://" + literal + ":8080/x")) << literal;
  }
  EXPECT_FALSE(list.AllowsUrl("ftp://93.184.216.34/x"));
}

TEST(AllowList, UrlHostsInInetAtonSpellingsAreTheAddressesTheyDenote) {
  for (const auto& [spelled, address] :
       std::vector<std::pair<std::string, std::string>>{{"0x7f.1", "127.0.0.1"},
                                                        {"2130706433", "127.0.0.1"},
                                                        {"017700000001", "127.0.0.1"},
                                                        {"0x7f000001", "127.0.0.1"},
                                                        {"0177.0.0.1", "127.0.0.1"},
                                                        {"127.1", "127.0.0.1"},
                                                        {"127.0.1", "127.0.0.1"},
                                                        {"0XA9.0xFE.0251.254", "169.254.169.254"},
                                                        {"0", "0.0.0.0"},
                                                        {"3232235777", "192.168.1.1"}}) {
    const auto host = ParseUrlHost("http://" + spelled + ":9/x");
    ASSERT_TRUE(host && host->ip) << spelled;
    EXPECT_EQ(host->ip->bytes, IpAddress::Parse(address)->bytes) << spelled;
    EXPECT_FALSE(host->ip->v6) << spelled;
    EXPECT_FALSE(Parse("").AllowsUrl("http://" + spelled + "/x")) << spelled;
    EXPECT_EQ(Parse(address).AllowsUrl("http://" + spelled + ":9/x"), true) << spelled;
  }
  // Ends in a number but is no address: no valid host at all (WHATWG URL), so never allowed.
  for (const char* bad : {"1.2.3.4.5", "256.0.0.1", "0x100.1", "4294967296", "1.0x", "08.1", "a.1", "1..1"}) {
    EXPECT_FALSE(ParseUrlHost("http://" + std::string(bad) + "/x")) << bad;
  }
  // Names with '_' (container service names) are names; the default policy judges their addresses.
  EXPECT_TRUE(Parse("").AllowsUrl("http://ml_pipeline:8080/x"));
  // A name that merely contains digits is still a name.
  const auto name = ParseUrlHost("http://1password.example.com/x");
  ASSERT_TRUE(name);
  EXPECT_FALSE(name->ip);
}

TEST(AllowList, MalformedEntriesAreRefusedNamingTheEntry) {
  for (const char* spec : {"a,,b", "10.0.0.0/33", "fd00::/129", "10.0.0.0/x", "host:0", "host:65536",
                           "host:", "http://x.example.com", "*", "*.", "under_score.example.com", "[::1",
                           "[nothost]:80", "1.2.3.4:80:90"}) {
    std::string error;
    EXPECT_FALSE(AllowList::Parse(spec, &error)) << spec;
    EXPECT_NE(error.find("DRIFTGATE_WEBHOOK_ALLOW"), std::string::npos) << spec;
  }
}

TEST(AllowList, UrlsMatchNamesWildcardsAddressesAndNetworks) {
  const AllowList list =
      Parse("127.0.0.1, *.internal.example.com,10.0.0.0/8, hooks.example.com:8443,[::1]:9000,fd00::/8");
  EXPECT_TRUE(list.AllowsUrl("http://127.0.0.1:9/hook"));
  EXPECT_TRUE(list.AllowsUrl("http://a.internal.example.com/hook"));
  EXPECT_TRUE(list.AllowsUrl("https://A.B.Internal.Example.COM./hook"));
  EXPECT_TRUE(list.AllowsUrl("http://10.255.0.1:8080/"));
  EXPECT_TRUE(list.AllowsUrl("https://hooks.example.com:8443/x?y=1"));
  EXPECT_TRUE(list.AllowsUrl("http://[::1]:9000/"));
  EXPECT_TRUE(list.AllowsUrl("http://[fd12::1]/"));
  EXPECT_TRUE(list.AllowsUrl("http://[::ffff:10.1.2.3]/"));      // IPv4-mapped
  EXPECT_FALSE(list.AllowsUrl("http://internal.example.com/"));  // the apex is not a subdomain
  EXPECT_FALSE(list.AllowsUrl("http://xinternal.example.com/"));
  EXPECT_FALSE(list.AllowsUrl("http://a.internal.example.com.evil.org/"));
  EXPECT_FALSE(list.AllowsUrl("https://hooks.example.com/x"));  // port 443, not 8443
  EXPECT_FALSE(list.AllowsUrl("http://[::1]:9001/"));
  EXPECT_FALSE(list.AllowsUrl("http://127.0.0.2/"));
  EXPECT_FALSE(list.AllowsUrl("http://11.0.0.1/"));
  EXPECT_FALSE(list.AllowsUrl("http://127.0.0.1@evil.org/"));  // the host is after the @
  EXPECT_FALSE(list.AllowsUrl("ftp://127.0.0.1/"));
  EXPECT_FALSE(list.AllowsUrl("http://10.0.0.1:99999/"));
}

TEST(AllowList, ANamePatternNeverOpensInternalAddressesAtConnectTime) {
  const AllowList list = Parse("*.partner.example.com,localhost,10.0.0.0/8");
  // The name is allowed, and it resolves to a public address.
  EXPECT_TRUE(list.AllowsConnect("https://hooks.partner.example.com/x", "93.184.216.34"));
  EXPECT_TRUE(list.AllowsConnect("https://hooks.partner.example.com/x", "2606:2800:220:1::1"));
  // ... or it was rebound to an internal one: only an address entry opens those.
  for (const char* internal :
       {"127.0.0.1", "169.254.169.254", "192.168.1.1", "172.16.0.1", "100.64.0.1", "0.0.0.0", "::1",
        "fe80::1", "fd00::1", "::ffff:127.0.0.1", "2002:7f00:1::1", "224.0.0.1"}) {
    EXPECT_FALSE(list.AllowsConnect("https://hooks.partner.example.com/x", internal)) << internal;
  }
  EXPECT_FALSE(list.AllowsConnect("http://localhost:8080/", "127.0.0.1"));
  EXPECT_TRUE(list.AllowsConnect("https://hooks.partner.example.com/x", "10.1.2.3"));  // listed network
  EXPECT_FALSE(list.AllowsConnect("https://evil.example.org/x", "93.184.216.34"));     // name not listed
  EXPECT_TRUE(list.AllowsConnect("http://10.0.0.5/", "10.0.0.5"));
}

TEST(AllowList, PublicAddressesAreGlobalUnicastOnly) {
  for (const char* pub : {"8.8.8.8", "1.1.1.1", "2001:4860:4860::8888"}) {
    EXPECT_TRUE(IpAddress::Parse(pub)->IsPublic()) << pub;
  }
  for (const char* internal : {"10.1.1.1", "127.255.0.1", "192.0.2.1", "198.18.0.1", "255.255.255.255",
                               "::", "2001:db8::1", "64:ff9b::a00:1"}) {
    EXPECT_FALSE(IpAddress::Parse(internal)->IsPublic()) << internal;
  }
  EXPECT_FALSE(IpAddress::Parse("127.1"));  // only dotted quads are addresses
  EXPECT_FALSE(IpAddress::Parse("example.com"));
}

}  // namespace
}  // namespace driftgate::webhook

// The webhook destination policy, DRIFTGATE_WEBHOOK_ALLOW: a comma-separated allow-list of
//   name patterns  `hooks.example.com`, `*.internal.example.com` (any subdomain, not the apex), each
//                  optionally with `:port`;
//   addresses      `127.0.0.1`, `[::1]:9000`, `::1` (IPv4 with an optional `:port`, IPv6 bracketed for one);
//   networks       `10.0.0.0/8`, `fd00::/8` (CIDR, any port).
// Two checks use it:
//   AllowsUrl      at model create/replace and again before each delivery: the URL's host must match a
//                  name pattern (a name) or lie in an address/network entry (an IP literal). No DNS.
//   AllowsConnect  for every address the transport is about to connect to, after its own DNS lookup
//                  (CurlTransportOptions::allow_connect): an address in an address/network entry is
//                  allowed; otherwise only when the URL's host matched a name pattern AND the address is
//                  public. So a name pattern never opens loopback, private, link-local or other internal
//                  ranges — DNS rebinding an allowed name to 127.0.0.1 or 169.254.169.254 is refused; list
//                  such networks explicitly (e.g. `*.internal.example.com,10.0.0.0/8`).
// An empty list (the default) allows public destinations only: any host name at create time, an IP
// literal only when it is public (IpAddress::IsPublic), and at connect time only public addresses. So
// loopback, private, link-local (the 169.254.169.254 metadata service among them), CGNAT, unique-local,
// multicast and unspecified addresses, in every spelling (`[::ffff:127.0.0.1]`, `0x7f.1`, `2130706433`,
// `017700000001`), need an explicit address or network entry.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace driftgate::webhook {

struct IpAddress {
  bool v6 = false;
  std::array<unsigned char, 16> bytes{};  // IPv4 in the first 4

  // IPv4 (dotted quad), IPv6, and IPv4-mapped IPv6 (which becomes IPv4); nullopt when `text` is not an
  // address. URL hosts also accept inet_aton's spellings (ParseUrlHost).
  static std::optional<IpAddress> Parse(std::string_view text);
  // Globally routable: not loopback, private, link-local, CGNAT, unique-local, multicast, documentation,
  // reserved or unspecified.
  bool IsPublic() const;
};

struct UrlHost {
  std::string host{};  // lower case, brackets and one trailing dot removed
  std::uint16_t port = 0;
  std::optional<IpAddress> ip{};  // when the host is an IP literal, in any spelling inet_aton(3) reads
};
// The host and port of an http(s) URL; nullopt when there is none, or when the host ends in a number
// (WHATWG URL: then it must be an IPv4 address) but is no IPv4 address.
std::optional<UrlHost> ParseUrlHost(std::string_view url);

class AllowList {
 public:
  // InvalidArgument-style message in `error` when a pattern is malformed.
  static std::optional<AllowList> Parse(std::string_view spec, std::string* error);

  bool empty() const { return entries_.empty(); }
  bool AllowsUrl(std::string_view url) const;
  bool AllowsConnect(std::string_view url, std::string_view address) const;

 private:
  struct Entry {
    enum class Kind { kName, kWildcard, kNetwork } kind = Kind::kName;
    std::string name{};  // kName: the host; kWildcard: the suffix with its dot (".internal.example.com")
    IpAddress network{};
    int prefix = 0;
    std::optional<std::uint16_t> port{};
  };
  bool NameMatches(const UrlHost& host) const;
  bool AddressMatches(const IpAddress& ip, std::uint16_t port) const;

  std::vector<Entry> entries_{};
};

}  // namespace driftgate::webhook

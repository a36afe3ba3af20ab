#include "service/webhooks/transport/allow_list.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace driftgate::webhook {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<std::uint16_t> ParsePort(std::string_view s) {
  unsigned value = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || value < 1 || value > 65535)
    return std::nullopt;
  return static_cast<std::uint16_t>(value);
}

// Host names as DNS has them: dot-separated labels of letters, digits and hyphens; in a URL also '_',
// which resolvers accept (RFC 2181 section 11) and container networks use for service names.
bool IsHostName(std::string_view s, bool allow_underscore = false) {
  if (s.empty() || s.size() > 253) return false;
  std::size_t label = 0;
  for (char c : s) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || (allow_underscore && c == '_')) {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return label > 0;
}

bool InNetwork(const IpAddress& ip, const IpAddress& net, int prefix) {
  if (ip.v6 != net.v6) return false;
  for (int bit = 0; bit < prefix; ++bit) {
    const int byte = bit / 8, shift = 7 - bit % 8;
    if (((ip.bytes[byte] >> shift) & 1) != ((net.bytes[byte] >> shift) & 1)) return false;
  }
  return true;
}

bool InV4(const IpAddress& ip, unsigned char a, unsigned char b, int prefix) {
  IpAddress net;
  net.bytes[0] = a;
  net.bytes[1] = b;
  return InNetwork(ip, net, prefix);
}

// One part of a legacy IPv4 spelling: decimal, octal with a leading 0, or hex with 0x (inet_aton(3)).
std::optional<std::uint64_t> ParseIpv4Part(std::string_view part) {
  int base = 10;
  if (part.size() > 1 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X')) {
    base = 16;
    part.remove_prefix(2);
  } else if (part.size() > 1 && part[0] == '0') {
    base = 8;
    part.remove_prefix(1);
  }
  if (part.empty() || part.size() > 32) return std::nullopt;
  std::uint64_t value = 0;
  auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), value, base);
  if (ec != std::errc{} || p != part.data() + part.size()) return std::nullopt;
  return value;
}

// The spellings inet_aton(3) and browsers (the WHATWG URL standard's IPv4 parser) accept besides the
// dotted quad: one to four parts, each decimal, octal or hex, the last filling the remaining bytes —
// `0x7f.1`, `2130706433`, `017700000001` and `127.1` are all 127.0.0.1. A resolver may read a host so
// spelled as that address, so the policy must too.
std::optional<IpAddress> ParseLegacyIpv4(std::string_view host) {
  std::vector<std::uint64_t> parts;
  std::size_t start = 0;
  while (parts.size() < 5) {
    const auto dot = host.find('.', start);
    auto part = ParseIpv4Part(host.substr(start, dot == std::string_view::npos ? dot : dot - start));
    if (!part) return std::nullopt;
    parts.push_back(*part);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts.empty() || parts.size() > 4) return std::nullopt;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] > 255) return std::nullopt;
  }
  const int last_bytes = 5 - static_cast<int>(parts.size());
  if (parts.back() >> (8 * last_bytes) != 0) return std::nullopt;
  IpAddress ip;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) ip.bytes[i] = static_cast<unsigned char>(parts[i]);
  for (int b = 0; b < last_bytes; ++b) {
    ip.bytes[3 - b] = static_cast<unsigned char>(parts.back() >> (8 * b));
  }
  return ip;
}

// The WHATWG URL standard's "ends in a number": such a host is an IPv4 address or no valid host at all.
bool EndsInANumber(std::string_view host) {
  const auto dot = host.rfind('.');
  const std::string_view last = dot == std::string_view::npos ? host : host.substr(dot + 1);
  if (last.empty()) return false;
  if (std::all_of(last.begin(), last.end(), [](char c) { return c >= '0' && c <= '9'; })) return true;
  return last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') &&
         std::all_of(last.begin() + 2, last.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  const std::string s(text);
  IpAddress ip;
  if (inet_pton(AF_INET, s.c_str(), ip.bytes.data()) == 1) return ip;
  if (inet_pton(AF_INET6, s.c_str(), ip.bytes.data()) != 1) return std::nullopt;
  ip.v6 = true;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(std::begin(kMapped), std::end(kMapped), ip.bytes.begin())) {
    IpAddress v4;
    std::copy(ip.bytes.begin() + 12, ip.bytes.end(), v4.bytes.begin());
    return v4;
  }
  return ip;
}

bool IpAddress::IsPublic() const {
  if (!v6) {
    struct Range {
      unsigned char a, b;
      int prefix;
    };
    static constexpr Range kInternal[] = {
        {0, 0, 8},     {10, 0, 8},     {100, 64, 10}, {127, 0, 8}, {169, 254, 16},
        {172, 16, 12}, {192, 168, 16}, {198, 18, 15}, {224, 0, 4}, {240, 0, 4},
    };
    for (const auto& r : kInternal) {
      if (InV4(*this, r.a, r.b, r.prefix)) return false;
    }
    // 192.0.0.0/24, 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24 (protocol assignments, documentation)
    const unsigned char a = bytes[0], b = bytes[1], c = bytes[2];
    if ((a == 192 && b == 0 && (c == 0 || c == 2)) || (a == 198 && b == 51 && c == 100) ||
        (a == 203 && b == 0 && c == 113)) {
      return false;
    }
    return true;
  }
  // Global unicast is 2000::/3, minus 2001::/23 (IETF assignments, Teredo), 2001:db8::/32 (documentation)
  // and 2002::/16 (6to4, which can embed any IPv4 address).
  if ((bytes[0] & 0xe0) != 0x20) return false;
  if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] < 0x02) return false;
  if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0x0d && bytes[3] == 0xb8) return false;
  if (bytes[0] == 0x20 && bytes[1] == 0x02) return false;
  return true;
}

std::optional<UrlHost> ParseUrlHost(std::string_view url) {
  UrlHost out;
  std::string_view rest;
  const std::string scheme = Lower(url.substr(0, std::min<std::size_t>(url.size(), 8)));
  if (scheme.rfind("http://", 0) == 0) {
    rest = url.substr(7);
    out.port = 80;
  } else if (scheme.rfind("https://", 0) == 0) {
    rest = url.substr(8);
    out.port = 443;
  } else {
    return std::nullopt;
  }
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#\\"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return std::nullopt;
      port = after.substr(1);
    }
    out.ip = IpAddress::Parse(host);
    if (!out.ip) return std::nullopt;
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (!port.empty()) {
    auto p = ParsePort(port);
    if (!p) return std::nullopt;
    out.port = *p;
  }
  out.host = Lower(host);
  if (!out.host.empty() && out.host.back() == '.') out.host.pop_back();
  if (out.host.empty()) return std::nullopt;
  if (!out.ip) {
    out.ip = IpAddress::Parse(out.host);
    if (!out.ip && EndsInANumber(out.host)) {
      out.ip = ParseLegacyIpv4(out.host);
      if (!out.ip) return std::nullopt;  // `1.2.3.4.5`, `256.1.1.1`: neither a name nor an address
    }
    if (!out.ip && !IsHostName(out.host, /*allow_underscore=*/true)) return std::nullopt;
  }
  return out;
}

std::optional<AllowList> AllowList::Parse(std::string_view spec, std::string* error) {
  AllowList list;
  auto fail = [error](std::string_view entry, const std::string& why) -> std::optional<AllowList> {
    if (error) *error = "DRIFTGATE_WEBHOOK_ALLOW: '" + std::string(entry) + "': " + why;
    return std::nullopt;
  };
  if (Trim(spec).empty()) return list;
  std::size_t start = 0;
  while (start <= spec.size()) {
    const auto comma = spec.find(',', start);
    const std::string_view raw =
        spec.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? spec.size() + 1 : comma + 1;
    const std::string text = Lower(Trim(raw));
    if (text.empty()) return fail(raw, "empty entry");
    Entry e;
    if (const auto slash = text.find('/'); slash != std::string::npos) {  // CIDR
      std::string_view addr = std::string_view(text).substr(0, slash);
      if (addr.size() > 2 && addr.front() == '[' && addr.back() == ']')
        addr = addr.substr(1, addr.size() - 2);
      const bool written_v6 = addr.find(':') != std::string_view::npos;
      auto ip = IpAddress::Parse(addr);
      auto prefix = ParsePort(std::string_view(text).substr(slash + 1));  // 1..65535; /0 handled below
      const bool zero = std::string_view(text).substr(slash + 1) == "0";
      if (!ip || (!prefix && !zero)) return fail(raw, "not a network (address/prefix)");
      int bits = zero ? 0 : *prefix;
      if (written_v6 && !ip->v6) bits -= 96;  // an IPv4-mapped network
      if (bits < 0 || bits > (ip->v6 ? 128 : 32)) return fail(raw, "prefix length out of range");
      e.kind = Entry::Kind::kNetwork;
      e.network = *ip;
      e.prefix = bits;
    } else {
      std::string_view host = text, port;
      bool has_port = false;
      if (text.front() == '[') {
        const auto close = text.find(']');
        if (close == std::string::npos) return fail(raw, "unclosed '['");
        host = std::string_view(text).substr(1, close - 1);
        const std::string_view after = std::string_view(text).substr(close + 1);
        if (!after.empty() && after.front() != ':') return fail(raw, "expected ':port' after ']'");
        has_port = !after.empty();
        if (has_port) port = after.substr(1);
        if (!IpAddress::Parse(host)) return fail(raw, "not an IPv6 address inside [ ]");
      } else if (std::count(text.begin(), text.end(), ':') == 1) {
        const auto colon = text.find(':');
        host = std::string_view(text).substr(0, colon);
        port = std::string_view(text).substr(colon + 1);
        has_port = true;
      }
      if (has_port) {
        e.port = ParsePort(port);
        if (!e.port) return fail(raw, "port must be 1 to 65535");
      }
      if (auto ip = IpAddress::Parse(host)) {
        e.kind = Entry::Kind::kNetwork;
        e.network = *ip;
        e.prefix = ip->v6 ? 128 : 32;
      } else if (host.rfind("*.", 0) == 0 && IsHostName(host.substr(2))) {
        e.kind = Entry::Kind::kWildcard;
        e.name = std::string(host.substr(1));
      } else if (IsHostName(host)) {
        e.kind = Entry::Kind::kName;
        e.name = std::string(host);
      } else {
        return fail(raw, "not a host name, *.domain pattern, IP address or CIDR network");
      }
    }
    list.entries_.push_back(std::move(e));
  }
  return list;
}

bool AllowList::NameMatches(const UrlHost& host) const {
  if (host.ip) return false;
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
    if (e.port && *e.port != host.port) return false;
    if (e.kind == Entry::Kind::kName) return host.host == e.name;
    if (e.kind == Entry::Kind::kWildcard) {
      return host.host.size() > e.name.size() &&
             host.host.compare(host.host.size() - e.name.size(), e.name.size(), e.name) == 0;
    }
    return false;
  });
}

bool AllowList::AddressMatches(const IpAddress& ip, std::uint16_t port) const {
  return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) {
    return e.kind == Entry::Kind::kNetwork && (!e.port || *e.port == port) &&
           InNetwork(ip, e.network, e.prefix);
  });
}

bool AllowList::AllowsUrl(std::string_view url) const {
  const auto host = ParseUrlHost(url);
  if (!host) return false;
  if (entries_.empty()) return !host->ip || host->ip->IsPublic();
  return host->ip ? AddressMatches(*host->ip, host->port) : NameMatches(*host);
}

bool AllowList::AllowsConnect(std::string_view url, std::string_view address) const {
  const auto host = ParseUrlHost(url);
  const auto ip = IpAddress::Parse(address);
  if (!host || !ip) return false;
  if (entries_.empty()) return ip->IsPublic();
  if (AddressMatches(*ip, host->port)) return true;
  return NameMatches(*host) && ip->IsPublic();
}

}  // namespace driftgate::webhook

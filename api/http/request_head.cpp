#include "api/http/request_head.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <vector>

namespace driftgate::api {

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool HasControlChar(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return (u < 0x20 && c != '\t') || u == 0x7f;
  });
}

namespace {

// RFC 9110 §5.6.2: tchar.
bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// Calls `f` on each comma-separated, OWS-trimmed, non-empty element of a field value (RFC 9110 §5.6.1).
template <class F>
void ForEachElement(std::string_view value, F&& f) {
  while (!value.empty()) {
    const auto comma = value.find(',');
    const auto item = TrimOws(value.substr(0, comma));
    if (!item.empty()) f(item);
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
}

// 1*DIGIT; values beyond 2^64 saturate (they are over every body limit anyway). nullopt: not digits.
std::optional<std::uint64_t> ParseDecimal(std::string_view s) {
  if (s.empty()) return std::nullopt;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto d = static_cast<std::uint64_t>(c - '0');
    v = v > (std::numeric_limits<std::uint64_t>::max() - d) / 10 ? std::numeric_limits<std::uint64_t>::max()
                                                                 : v * 10 + d;
  }
  return v;
}

FrameError Bad(std::string detail, std::string field, int status = 400) {
  return FrameError{.status = status, .detail = std::move(detail), .field = std::move(field)};
}

// The request line: method SP request-target SP HTTP-version (RFC 9112 §3).
std::optional<FrameError> ParseRequestLine(std::string_view line, FramedRequest& req, std::size_t* cost) {
  *cost += line.size();
  const auto sp1 = line.find(' ');
  const auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Bad("request line: must be METHOD SP TARGET SP HTTP-VERSION", "request-line");
  }
  const auto method = line.substr(0, sp1);
  const auto target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  const auto version = line.substr(sp2 + 1);
  if (method.empty() || !std::all_of(method.begin(), method.end(), IsTchar)) {
    return Bad("request line: the method is not a token", "request-line");
  }
  if (version == "HTTP/1.1") {
    req.minor_version = 1;
  } else if (version == "HTTP/1.0") {
    req.minor_version = 0;
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[5] >= '0' &&
             version[5] <= '9' && version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
    return Bad("HTTP version " + std::string(version) + " is not supported (HTTP/1.0 and HTTP/1.1 are)",
               "request-line", 505);
  } else {
    return Bad("request line: the HTTP version is malformed", "request-line");
  }
  std::string_view t = target;
  // absolute-form (RFC 9112 §3.2.2): servers must accept it; the authority is not used for routing.
  for (std::string_view scheme : {"http://", "https://"}) {
    if (t.size() >= scheme.size() && EqualsNoCase(t.substr(0, scheme.size()), scheme)) {
      t.remove_prefix(scheme.size());
      const auto slash = t.find_first_of("/?");
      t = slash == std::string_view::npos ? std::string_view("/") : t.substr(slash);
      if (!t.empty() && t.front() == '?') return Bad("request target: has no path", "request-line");
    }
  }
  if (t.empty() || (t.front() != '/' && t != "*")) {
    return Bad("request target: must be a path starting with /", "request-line");
  }
  const auto q = t.find('?');
  req.method = std::string(method);
  req.path = std::string(t.substr(0, q));
  if (q != std::string_view::npos) req.query = std::string(t.substr(q + 1));
  return std::nullopt;
}

// What the head's fields said, as far as framing and the application need it.
struct HeadFields {
  bool have_host = false;
  bool have_auth = false;
  bool close = false;
  bool keep_alive = false;
  bool have_te = false;
  std::string transfer_encoding{};  // every Transfer-Encoding line, joined with commas
};

std::optional<FrameError> ApplyField(std::string_view name, std::string_view value, HeadFields& f,
                                     FramedRequest& req, std::optional<std::uint64_t>* content_length) {
  if (EqualsNoCase(name, "content-length")) {
    const auto v = ParseDecimal(value);
    if (!v) return Bad("header Content-Length: must be a decimal number", "Content-Length");
    if (*content_length && **content_length != *v) {
      return Bad("header Content-Length: appears twice with different values", "Content-Length");
    }
    *content_length = v;
  } else if (EqualsNoCase(name, "transfer-encoding")) {
    f.transfer_encoding += (f.have_te ? "," : "") + std::string(value);
    f.have_te = true;
  } else if (EqualsNoCase(name, "connection")) {
    ForEachElement(value, [&](std::string_view token) {
      f.close = f.close || EqualsNoCase(token, "close");
      f.keep_alive = f.keep_alive || EqualsNoCase(token, "keep-alive");
    });
  } else if (EqualsNoCase(name, "authorization")) {
    if (f.have_auth) return Bad("header Authorization: appears twice", "Authorization");
    f.have_auth = true;
    req.authorization = std::string(value);
  } else if (EqualsNoCase(name, "host")) {
    if (f.have_host) return Bad("header Host: appears twice", "Host");
    f.have_host = true;
  } else if (EqualsNoCase(name, "expect")) {
    req.expect_continue = EqualsNoCase(value, "100-continue");
  }
  return std::nullopt;
}

}  // namespace

std::variant<FramedRequest, FrameError> ParseRequestHead(std::string_view head, const FramerLimits& limits,
                                                         std::optional<std::uint64_t>* content_length,
                                                         bool* chunked, std::size_t* cost) {
  FramedRequest req;
  *content_length = std::nullopt;
  *chunked = false;
  auto line_end = head.find("\r\n");
  *cost += line_end == std::string_view::npos ? head.size() : line_end + 2;
  const auto request_line = head.substr(0, line_end);
  if (request_line.size() > limits.max_request_line) {
    return Bad("request line: longer than " + std::to_string(limits.max_request_line) + " bytes",
               "request-line", 414);
  }
  if (request_line.find_first_of("\r\n") != std::string_view::npos) {
    return Bad("request line: contains a bare CR or LF", "request-line");
  }
  if (auto e = ParseRequestLine(request_line, req, cost)) return *e;

  HeadFields f;
  std::size_t fields = 0;
  std::string_view rest = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
  while (!rest.empty()) {
    const auto end = rest.find("\r\n");
    const auto line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 2);
    *cost += line.size() * 2 + 2;
    if (++fields > limits.max_fields) {
      return Bad("headers: more than " + std::to_string(limits.max_fields) + " fields", "headers", 431);
    }
    if (line.front() == ' ' || line.front() == '\t') {
      return Bad("headers: obsolete line folding is not accepted", "headers");
    }
    const auto colon = line.find(':');
    const auto name = line.substr(0, colon);
    if (colon == std::string_view::npos || name.empty() || !std::all_of(name.begin(), name.end(), IsTchar)) {
      return Bad("headers: a field line is not NAME \":\" VALUE (no whitespace before the colon)", "headers");
    }
    const auto value = TrimOws(line.substr(colon + 1));
    if (HasControlChar(value)) {
      return Bad("header " + std::string(name) + ": contains a control character", std::string(name));
    }
    if (auto e = ApplyField(name, value, f, req, content_length)) return *e;
  }
  if (req.minor_version == 1 && !f.have_host) return Bad("header Host: is required in HTTP/1.1", "Host");
  if (f.have_te) {
    // RFC 9112 §6.1, §6.3: both framings at once, or chunked in HTTP/1.0, cannot be trusted.
    if (*content_length)
      return Bad("headers: Content-Length and Transfer-Encoding together", "Transfer-Encoding");
    if (req.minor_version == 0)
      return Bad("header Transfer-Encoding: not allowed in HTTP/1.0", "Transfer-Encoding");
    std::vector<std::string_view> codings;
    ForEachElement(f.transfer_encoding, [&](std::string_view c) { codings.push_back(c); });
    if (codings.size() != 1 || !EqualsNoCase(codings[0], "chunked")) {
      return Bad("header Transfer-Encoding: only chunked is supported", "Transfer-Encoding", 501);
    }
    *chunked = true;
  }
  req.keep_alive = !f.close && (req.minor_version == 1 || f.keep_alive);
  return req;
}

}  // namespace driftgate::api

#include "api/request_framer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>

namespace driftgate::api {
namespace {

// RFC 9110 §5.6.2: tchar.
bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
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
  } else if (version.size() == 8 && version.substr(0, 5) == "HTTP/" && version[5] >= '0' && version[5] <= '9' &&
             version[6] == '.' && version[7] >= '0' && version[7] <= '9') {
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
    return Bad("request line: longer than " + std::to_string(limits.max_request_line) + " bytes", "request-line",
               414);
  }
  if (request_line.find_first_of("\r\n") != std::string_view::npos) {
    return Bad("request line: contains a bare CR or LF", "request-line");
  }
  if (auto e = ParseRequestLine(request_line, req, cost)) return *e;

  std::size_t fields = 0;
  bool have_host = false, have_auth = false, close = false, keep_alive = false;
  std::string transfer_encoding;
  bool have_te = false;
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
    for (char c : value) {
      const auto u = static_cast<unsigned char>(c);
      if ((u < 0x20 && c != '\t') || u == 0x7f) {
        return Bad("header " + std::string(name) + ": contains a control character", std::string(name));
      }
    }
    if (EqualsNoCase(name, "content-length")) {
      const auto v = ParseDecimal(value);
      if (!v) return Bad("header Content-Length: must be a decimal number", "Content-Length");
      if (*content_length && **content_length != *v) {
        return Bad("header Content-Length: appears twice with different values", "Content-Length");
      }
      *content_length = v;
    } else if (EqualsNoCase(name, "transfer-encoding")) {
      transfer_encoding += (have_te ? "," : "") + std::string(value);
      have_te = true;
    } else if (EqualsNoCase(name, "connection")) {
      ForEachElement(value, [&](std::string_view token) {
        close = close || EqualsNoCase(token, "close");
        keep_alive = keep_alive || EqualsNoCase(token, "keep-alive");
      });
    } else if (EqualsNoCase(name, "authorization")) {
      if (have_auth) return Bad("header Authorization: appears twice", "Authorization");
      have_auth = true;
      req.authorization = std::string(value);
    } else if (EqualsNoCase(name, "host")) {
      if (have_host) return Bad("header Host: appears twice", "Host");
      have_host = true;
    } else if (EqualsNoCase(name, "expect")) {
      req.expect_continue = EqualsNoCase(value, "100-continue");
    }
  }
  if (req.minor_version == 1 && !have_host) return Bad("header Host: is required in HTTP/1.1", "Host");
  if (have_te) {
    // RFC 9112 §6.1, §6.3: both framings at once, or chunked in HTTP/1.0, cannot be trusted.
    if (*content_length) return Bad("headers: Content-Length and Transfer-Encoding together", "Transfer-Encoding");
    if (req.minor_version == 0) return Bad("header Transfer-Encoding: not allowed in HTTP/1.0", "Transfer-Encoding");
    std::vector<std::string_view> codings;
    ForEachElement(transfer_encoding, [&](std::string_view c) { codings.push_back(c); });
    if (codings.size() != 1 || !EqualsNoCase(codings[0], "chunked")) {
      return Bad("header Transfer-Encoding: only chunked is supported", "Transfer-Encoding", 501);
    }
    *chunked = true;
  }
  req.keep_alive = !close && (req.minor_version == 1 || keep_alive);
  return req;
}

RequestFramer::RequestFramer(FramerLimits limits) : limits_(limits) {}

void RequestFramer::Feed(std::string_view bytes) {
  if (phase_ == Phase::kFailed) return;
  if (pos_ > 0) {  // drop what was consumed; what is left is a part of a head or a line (moved once)
    cost_ += in_.size() - pos_;
    in_.erase(0, pos_);
    scan_ = scan_ > pos_ ? scan_ - pos_ : 0;
    pos_ = 0;
  }
  in_.append(bytes.data(), bytes.size());
}

FrameError RequestFramer::Fail(int status, std::string detail, std::string field) {
  phase_ = Phase::kFailed;
  in_ = std::string();
  body_ = std::string();
  pos_ = scan_ = 0;
  return FrameError{.status = status, .detail = std::move(detail), .field = std::move(field)};
}

// Finds the next "\r\n\r\n" at or after pos_, resuming where the last search stopped, looking no further
// than `limit` bytes past pos_ (so what lies beyond a limit never decides the outcome, and the answer does
// not depend on how the bytes were split into reads). While `first_eol` is unset, the request line's
// limit applies instead. A LF without its CR is an error (nullopt with `bare_lf`). Each byte is examined
// once over all calls.
std::optional<std::size_t> RequestFramer::FindBlankLine(std::size_t limit, bool* bare_lf,
                                                        std::optional<std::size_t>* first_eol) {
  const char* base = in_.data();
  std::size_t from = std::max(scan_, pos_);
  auto window_end = [&] {
    const std::size_t span = first_eol && !*first_eol ? limits_.max_request_line + 2 : limit;
    return std::min(in_.size(), pos_ + span);
  };
  while (from < window_end()) {
    const std::size_t stop = window_end();
    const void* p = std::memchr(base + from, '\n', stop - from);
    if (p == nullptr) {
      cost_ += stop - from;
      from = stop;
      break;
    }
    const auto nl = static_cast<std::size_t>(static_cast<const char*>(p) - base);
    cost_ += nl + 1 - from;
    from = nl + 1;
    if (nl == pos_ || base[nl - 1] != '\r') {
      *bare_lf = true;
      return std::nullopt;
    }
    if (first_eol && !*first_eol) *first_eol = nl - 1;
    if (nl >= pos_ + 3 && base[nl - 2] == '\n' && base[nl - 3] == '\r') {
      scan_ = from;
      return nl - 3;
    }
  }
  scan_ = from;
  return std::nullopt;
}

std::optional<FrameError> RequestFramer::TakeHead() {
  while (in_.size() - pos_ >= 2 && in_[pos_] == '\r' && in_[pos_ + 1] == '\n') {  // RFC 9112 §2.2
    pos_ += 2;
    cost_ += 2;
  }
  bool bare_lf = false;
  const auto end = FindBlankLine(limits_.max_head + 4, &bare_lf, &line_end_);
  if (bare_lf) return Fail(400, "request head: a line ends in LF without CR", "headers");
  // Without its end yet, the line may be one byte longer than the limit: its CR may have arrived.
  const std::size_t line_len = line_end_ ? *line_end_ - pos_ : in_.size() - pos_ - 1;
  if (in_.size() > pos_ && line_len > limits_.max_request_line) {
    return Fail(414, "request line: longer than " + std::to_string(limits_.max_request_line) + " bytes",
                "request-line");
  }
  const std::size_t head_len = end ? *end - pos_ : in_.size() - pos_;
  if (head_len > limits_.max_head + (end ? 0 : 3)) {
    return Fail(431, "request head: longer than " + std::to_string(limits_.max_head) + " bytes", "headers");
  }
  if (!end) return std::nullopt;
  std::optional<std::uint64_t> content_length;
  bool chunked = false;
  auto parsed = ParseRequestHead(std::string_view(in_).substr(pos_, head_len), limits_, &content_length, &chunked,
                                 &cost_);
  if (auto* e = std::get_if<FrameError>(&parsed)) return Fail(e->status, std::move(e->detail), std::move(e->field));
  current_ = std::move(std::get<FramedRequest>(parsed));
  pos_ = *end + 4;
  scan_ = pos_;
  line_end_.reset();
  if (content_length && *content_length > limits_.max_body) {
    return Fail(413, "body: Content-Length " + std::to_string(*content_length) + " exceeds the limit of " +
                         std::to_string(limits_.max_body) + " bytes",
                "body");
  }
  body_.clear();
  if (chunked) {
    phase_ = Phase::kChunkSize;
  } else if (content_length && *content_length > 0) {
    // Reserved, not touched: resident memory grows only with the bytes that arrive.
    body_.reserve(static_cast<std::size_t>(*content_length));
    remaining_ = *content_length;
    phase_ = Phase::kBody;
  } else {
    phase_ = Phase::kBody;
    remaining_ = 0;
  }
  return std::nullopt;
}

}  // namespace driftgate::api

namespace driftgate::api {

std::optional<FrameError> RequestFramer::TakeChunked() {
  for (;;) {
    const std::size_t avail = in_.size() - pos_;
    switch (phase_) {
      case Phase::kChunkSize: {
        // chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1); extensions are ignored.
        const char* base = in_.data();
        const std::size_t from = std::max(scan_, pos_);
        const std::size_t stop = std::min(in_.size(), pos_ + kMaxChunkLine + 2);
        const void* p = from < stop ? std::memchr(base + from, '\n', stop - from) : nullptr;
        cost_ += (p ? static_cast<std::size_t>(static_cast<const char*>(p) - base) + 1 : std::max(stop, from)) - from;
        if (p == nullptr) {
          scan_ = std::max(stop, from);
          if (avail > kMaxChunkLine + 1) return Fail(400, "body: a chunk-size line is too long", "body");
          return std::nullopt;
        }
        const auto nl = static_cast<std::size_t>(static_cast<const char*>(p) - base);
        if (nl == pos_ || base[nl - 1] != '\r') return Fail(400, "body: a chunk line ends in LF without CR", "body");
        std::string_view line(base + pos_, nl - 1 - pos_);
        cost_ += line.size();
        std::uint64_t size = 0;
        std::size_t digits = 0;
        for (; digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits])); ++digits) {
          const char c = Lower(line[digits]);
          const std::uint64_t d = static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
          size = size > (std::numeric_limits<std::uint64_t>::max() >> 4) ? std::numeric_limits<std::uint64_t>::max()
                                                                          : (size << 4) | d;
        }
        const auto ext = TrimOws(line.substr(digits));
        if (digits == 0 || (!ext.empty() && ext.front() != ';') ||
            std::any_of(ext.begin(), ext.end(), [](char c) {
              const auto u = static_cast<unsigned char>(c);
              return (u < 0x20 && c != '\t') || u == 0x7f;
            })) {
          return Fail(400, "body: a chunk-size line is malformed", "body");
        }
        pos_ = nl + 1;
        scan_ = pos_;
        if (size == 0) {
          phase_ = Phase::kTrailers;
          break;
        }
        if (size > limits_.max_body - body_.size()) {
          return Fail(413, "body: the chunked body exceeds the limit of " + std::to_string(limits_.max_body) +
                               " bytes",
                      "body");
        }
        remaining_ = size;
        phase_ = Phase::kChunkData;
        break;
      }
      case Phase::kChunkData: {
        const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, avail));
        if (body_.capacity() < body_.size() + take) {  // grows geometrically, never past the limit
          body_.reserve(std::min(limits_.max_body, std::max(body_.size() + take, 2 * body_.capacity())));
        }
        body_.append(in_, pos_, take);
        cost_ += take;
        pos_ += take;
        remaining_ -= take;
        if (remaining_ > 0) return std::nullopt;
        phase_ = Phase::kChunkEnd;
        break;
      }
      case Phase::kChunkEnd:
        if (avail < 2) return std::nullopt;
        if (in_[pos_] != '\r' || in_[pos_ + 1] != '\n') return Fail(400, "body: chunk data not followed by CRLF", "body");
        pos_ += 2;
        scan_ = pos_;
        phase_ = Phase::kChunkSize;
        break;
      case Phase::kTrailers: {
        // trailer-section CRLF: fields are read and dropped, bounded like a head.
        if (avail < 2) return std::nullopt;
        if (in_[pos_] == '\r' && in_[pos_ + 1] == '\n') {
          pos_ += 2;
          scan_ = pos_;
          phase_ = Phase::kDone;
          return std::nullopt;
        }
        bool bare_lf = false;
        const auto end = FindBlankLine(limits_.max_head + 4, &bare_lf, nullptr);
        if (bare_lf) return Fail(400, "body: a trailer line ends in LF without CR", "body");
        if ((end ? *end : in_.size()) - pos_ > limits_.max_head) {
          return Fail(431, "body: trailer fields longer than " + std::to_string(limits_.max_head) + " bytes",
                      "body");
        }
        if (!end) return std::nullopt;
        pos_ = *end + 4;
        scan_ = pos_;
        phase_ = Phase::kDone;
        return std::nullopt;
      }
      default:
        return std::nullopt;
    }
  }
}

std::variant<NeedMore, FramedRequest, FrameError> RequestFramer::Next() {
  if (phase_ == Phase::kFailed) return NeedMore{};
  if (phase_ == Phase::kHead) {
    if (auto e = TakeHead()) return *e;
    if (phase_ == Phase::kHead) return NeedMore{};
  }
  if (phase_ == Phase::kBody) {
    const auto take = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, in_.size() - pos_));
    body_.append(in_, pos_, take);
    cost_ += take;
    pos_ += take;
    remaining_ -= take;
    if (remaining_ > 0) return NeedMore{};
    phase_ = Phase::kDone;
  } else if (phase_ != Phase::kDone) {
    if (auto e = TakeChunked()) return *e;
    if (phase_ != Phase::kDone) return NeedMore{};
  }
  phase_ = Phase::kHead;
  current_.body = std::move(body_);
  body_ = std::string();
  FramedRequest out = std::move(current_);
  current_ = FramedRequest{};
  return out;
}

}  // namespace driftgate::api

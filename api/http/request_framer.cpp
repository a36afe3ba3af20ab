#include "api/http/request_framer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <limits>

#include "api/http/request_head.h"

namespace driftgate::api {
RequestFramer::RequestFramer(FramerLimits limits) : limits_(limits) {}

void RequestFramer::Feed(std::string_view bytes) {
  if (phase_ == Phase::kFailed) return;
  if (pos_ > 0) {  // drop what was consumed; what is left is a part of a head or a line (moved once)
    cost_ += in_.size() - pos_;
    in_.erase(0, pos_);
    scan_ = scan_ > pos_ ? scan_ - pos_ : 0;
    if (line_end_) *line_end_ -= pos_;  // found at or after pos_: it moves with the bytes
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
  auto parsed = ParseRequestHead(std::string_view(in_).substr(pos_, head_len), limits_, &content_length,
                                 &chunked, &cost_);
  if (auto* e = std::get_if<FrameError>(&parsed))
    return Fail(e->status, std::move(e->detail), std::move(e->field));
  current_ = std::move(std::get<FramedRequest>(parsed));
  pos_ = *end + 4;
  scan_ = pos_;
  line_end_.reset();
  if (content_length && *content_length > limits_.max_body) {
    return Fail(413,
                "body: Content-Length " + std::to_string(*content_length) + " exceeds the limit of " +
                    std::to_string(limits_.max_body) + " bytes",
                "body");
  }
  body_.clear();
  continue_pending_ = current_.expect_continue && current_.minor_version == 1 &&
                      (chunked || (content_length && *content_length > 0));
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

// chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1); extensions are ignored. The size is checked against the
// limit before any of the chunk's data is read.
std::optional<FrameError> RequestFramer::TakeChunkSize(bool* need_more) {
  // chunk-size [ chunk-ext ] CRLF (RFC 9112 §7.1); extensions are ignored.
  const char* base = in_.data();
  const std::size_t from = std::max(scan_, pos_);
  const std::size_t stop = std::min(in_.size(), pos_ + kMaxChunkLine + 2);
  const void* p = from < stop ? std::memchr(base + from, '\n', stop - from) : nullptr;
  cost_ +=
      (p ? static_cast<std::size_t>(static_cast<const char*>(p) - base) + 1 : std::max(stop, from)) - from;
  if (p == nullptr) {
    scan_ = std::max(stop, from);
    if (in_.size() - pos_ > kMaxChunkLine + 1)
      return Fail(400, "body: a chunk-size line is too long", "body");
    *need_more = true;
    return std::nullopt;
  }
  const auto nl = static_cast<std::size_t>(static_cast<const char*>(p) - base);
  if (nl == pos_ || base[nl - 1] != '\r')
    return Fail(400, "body: a chunk line ends in LF without CR", "body");
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
  if (digits == 0 || (!ext.empty() && ext.front() != ';') || HasControlChar(ext)) {
    return Fail(400, "body: a chunk-size line is malformed", "body");
  }
  pos_ = nl + 1;
  scan_ = pos_;
  if (size == 0) {
    phase_ = Phase::kTrailers;
    return std::nullopt;
  }
  if (size > limits_.max_body - body_.size()) {
    return Fail(413,
                "body: the chunked body exceeds the limit of " + std::to_string(limits_.max_body) + " bytes",
                "body");
  }
  remaining_ = size;
  phase_ = Phase::kChunkData;
  return std::nullopt;
}

std::optional<FrameError> RequestFramer::TakeChunked() {
  for (;;) {
    const std::size_t avail = in_.size() - pos_;
    switch (phase_) {
      case Phase::kChunkSize: {
        bool need_more = false;
        if (auto e = TakeChunkSize(&need_more)) return e;
        if (need_more) return std::nullopt;
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
        if (in_[pos_] != '\r' || in_[pos_ + 1] != '\n')
          return Fail(400, "body: chunk data not followed by CRLF", "body");
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
        // As for the head: without its end yet, up to 3 bytes of the terminator may have arrived.
        if ((end ? *end - pos_ : in_.size() - pos_) > limits_.max_head + (end ? 0 : 3)) {
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
  continue_pending_ = false;  // the body is here: no interim answer needed
  current_.body = std::move(body_);
  body_ = std::string();
  FramedRequest out = std::move(current_);
  current_ = FramedRequest{};
  return out;
}

}  // namespace driftgate::api

// HTTP/1.x request framing (RFC 9112) for one connection, before anything else looks at the bytes: where
// a request's head ends, how long its body is, when the next request starts. Pure (no I/O, no Pistache),
// so it is unit-tested and fuzzed on its own; api/http/http_connection.cpp feeds it what a socket delivered.
//
// Bounded cost before authentication, the contract:
// - Time is linear in the bytes fed: the end of the head is searched from where the previous search
//   stopped, each byte is parsed once, body bytes are copied once. `cost()` counts the bytes examined
//   and moved, so tests and the fuzzer can assert it (cost <= kCostPerByte * fed + kCostConstant).
// - Memory is bounded by the limits: a request line over `max_request_line` is refused with 414 and a
//   head (request line + fields) over `max_head` with 431 as soon as that many bytes arrived without its
//   end; a Content-Length over `max_body` is refused with 413 before a body byte is read; a chunked body
//   is counted as it arrives and refused once it would pass `max_body`.
// - Framing is unambiguous (request smuggling, RFC 9112 §6.3, §11.2): Content-Length together with
//   Transfer-Encoding, differing Content-Length values, a transfer coding other than `chunked`, a field
//   name followed by whitespace before the colon, obsolete line folding, a bare CR or LF, and control
//   characters in field values are all refused. After any error the framer stops: the connection must
//   be answered once and closed, never parsed further.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace driftgate::api {

struct FramerLimits {
  std::size_t max_request_line = 8 * 1024;
  std::size_t max_head = 64 * 1024;  // request line and header fields, with their CRLFs
  std::size_t max_fields = 100;
  std::size_t max_body = 8u << 20;
};

// A complete request, as the application needs it.
struct FramedRequest {
  std::string method{};
  std::string path{};     // the request-target up to `?` (origin-form; absolute-form is reduced to it)
  std::string query{};    // after `?`, still percent-encoded; empty when absent
  int minor_version = 1;  // HTTP/1.0 or HTTP/1.1
  std::string authorization{};
  bool keep_alive = true;  // false: the client asked to close (or HTTP/1.0 without keep-alive)
  bool expect_continue = false;
  std::string body{};
};

// Refused framing: answer `status` with `detail`, then close the connection.
struct FrameError {
  int status = 400;
  std::string detail{};
  std::string field{};  // the part at fault: "request-line", "headers", "body", or a field name
};

struct NeedMore {};

class RequestFramer {
 public:
  static constexpr std::size_t kCostPerByte = 4;
  static constexpr std::size_t kCostConstant = 256;

  explicit RequestFramer(FramerLimits limits);

  // Appends what the socket delivered. Ignored after an error.
  void Feed(std::string_view bytes);
  // The next complete request, or the framing error (final), or NeedMore. Call until NeedMore.
  std::variant<NeedMore, FramedRequest, FrameError> Next();

  // True once per request whose head asked `Expect: 100-continue` (HTTP/1.1) while its body has not fully
  // arrived and is within the limit: the caller then sends `100 Continue` (RFC 9110 §10.1.1).
  bool TakeContinue() {
    const bool pending = continue_pending_;
    continue_pending_ = false;
    return pending;
  }
  // Whether part of a request has arrived (a request is in progress).
  bool InProgress() const { return phase_ != Phase::kHead || in_.size() > pos_; }
  // Bytes examined or moved so far (linear-time accounting, see above).
  std::size_t cost() const { return cost_; }
  // Bytes held for the request in progress (head, unread input and body).
  std::size_t buffered() const { return in_.size() - pos_ + body_.size(); }

 private:
  enum class Phase { kHead, kBody, kChunkSize, kChunkData, kChunkEnd, kTrailers, kDone, kFailed };
  static constexpr std::size_t kMaxChunkLine = 1024;

  std::optional<FrameError> TakeHead();  // kHead: parses a complete head; phase_ then says what follows
  std::optional<FrameError> TakeChunked();
  std::optional<FrameError> TakeChunkSize(bool* need_more);
  std::optional<std::size_t> FindBlankLine(std::size_t limit, bool* bare_lf,
                                           std::optional<std::size_t>* first_eol);
  FrameError Fail(int status, std::string detail, std::string field);

  FramerLimits limits_;
  std::string in_{};
  std::size_t pos_ = 0;   // start of unconsumed input in in_
  std::size_t scan_ = 0;  // where the search for the current delimiter resumes
  Phase phase_ = Phase::kHead;
  FramedRequest current_{};
  std::string body_{};
  std::uint64_t remaining_ = 0;  // body or chunk bytes still expected
  std::size_t cost_ = 0;
  std::optional<std::size_t> line_end_{};
  bool continue_pending_ = false;  // end of the request line, once seen
};

}  // namespace driftgate::api

// api::RequestFramer: framing, limits before the body, smuggling refusals and linear cost (RFC 9112).
#include "api/http/request_framer.h"

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

namespace driftgate::api {
namespace {

struct Outcome {
  std::vector<FramedRequest> requests;
  std::vector<FrameError> errors;
};

// Feeds `input` in pieces of `piece` bytes, collecting every event until NeedMore after each piece.
Outcome Frame(RequestFramer& framer, const std::string& input, std::size_t piece) {
  Outcome out;
  for (std::size_t i = 0; i < input.size(); i += piece) {
    framer.Feed(std::string_view(input).substr(i, piece));
    for (;;) {
      auto next = framer.Next();
      if (std::holds_alternative<NeedMore>(next)) break;
      if (auto* e = std::get_if<FrameError>(&next)) {
        out.errors.push_back(*e);
      } else {
        out.requests.push_back(std::get<FramedRequest>(std::move(next)));
      }
    }
  }
  return out;
}

Outcome Frame(const std::string& input, std::size_t piece = 4096, FramerLimits limits = {}) {
  RequestFramer framer(limits);
  return Frame(framer, input, piece);
}

int OnlyError(const std::string& input, FramerLimits limits = {}) {
  const Outcome o = Frame(input, 4096, limits);
  EXPECT_TRUE(o.requests.empty());
  EXPECT_EQ(o.errors.size(), 1u);
  return o.errors.empty() ? 0 : o.errors[0].status;
}

const std::string kPipeline =
    "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n"
    "POST /v1/models/m/predictions?x=1&y=%3A HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer t\r\n"
    "Content-Length: 5\r\n\r\nhello"
    "PUT /v1/x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n2\r\nde\r\n0\r\nT: "
    "1\r\n\r\n"
    "GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

TEST(RequestFramer, PipelinedRequestsComeOutInOrderWhateverTheReadSizes) {
  for (std::size_t piece : {1u, 2u, 3u, 7u, 64u, 4096u}) {
    SCOPED_TRACE(piece);
    const Outcome o = Frame(kPipeline, piece);
    ASSERT_TRUE(o.errors.empty()) << o.errors[0].detail;
    ASSERT_EQ(o.requests.size(), 4u);
    EXPECT_EQ(o.requests[0].path, "/healthz");
    EXPECT_TRUE(o.requests[0].keep_alive);
    EXPECT_EQ(o.requests[1].method, "POST");
    EXPECT_EQ(o.requests[1].path, "/v1/models/m/predictions");
    EXPECT_EQ(o.requests[1].query, "x=1&y=%3A");
    EXPECT_EQ(o.requests[1].authorization, "Bearer t");
    EXPECT_EQ(o.requests[1].body, "hello");
    EXPECT_EQ(o.requests[2].body, "abcde");
    EXPECT_EQ(o.requests[3].path, "/last");
    EXPECT_FALSE(o.requests[3].keep_alive);
  }
}

TEST(RequestFramer, ConnectionSemanticsFollowTheHttpVersion) {
  auto keep = [](const std::string& head) {
    const Outcome o = Frame(head);
    EXPECT_EQ(o.requests.size(), 1u);
    return !o.requests.empty() && o.requests[0].keep_alive;
  };
  EXPECT_TRUE(keep("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
  EXPECT_FALSE(keep("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n"));
  EXPECT_FALSE(keep("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(keep("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_FALSE(keep("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n"));
}

TEST(RequestFramer, ContentLengthOverTheLimitIsRefusedBeforeAnyBodyByte) {
  FramerLimits limits;
  limits.max_body = 1000;
  RequestFramer framer(limits);
  framer.Feed("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 1001\r\n\r\n");
  auto next = framer.Next();
  ASSERT_TRUE(std::holds_alternative<FrameError>(next));
  EXPECT_EQ(std::get<FrameError>(next).status, 413);
  EXPECT_EQ(std::get<FrameError>(next).field, "body");
  // Whatever follows is never parsed: a body of request lines gives no request.
  framer.Feed("GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_TRUE(std::holds_alternative<NeedMore>(framer.Next()));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(RequestFramer, ASmugglingBodyOfRequestLinesYieldsExactlyOneAnswer) {
  std::string input =
      "GET /healthz HTTP/1.1\r\nHost: a\r\nContent-Length: " + std::to_string(129u << 20) + "\r\n\r\n";
  for (int i = 0; i < 2000; ++i) input += "GET /healthz HTTP/1.1\r\nHost: a\r\n\r\n";
  const Outcome o = Frame(input);
  EXPECT_TRUE(o.requests.empty());
  ASSERT_EQ(o.errors.size(), 1u);
  EXPECT_EQ(o.errors[0].status, 413);
}

TEST(RequestFramer, ExpectContinueIsSignalledOnceWhileTheBodyIsAwaited) {
  RequestFramer framer(FramerLimits{});
  framer.Feed("POST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
  EXPECT_TRUE(std::holds_alternative<NeedMore>(framer.Next()));
  EXPECT_TRUE(framer.TakeContinue());
  EXPECT_FALSE(framer.TakeContinue());
  framer.Feed("abcPOST /x HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nz");
  EXPECT_TRUE(std::holds_alternative<FramedRequest>(framer.Next()));
  EXPECT_TRUE(std::holds_alternative<FramedRequest>(framer.Next()));
  EXPECT_FALSE(framer.TakeContinue());  // the second body came with its head
}

TEST(RequestFramer, ChunkedBodiesAreCountedAsTheyArrive) {
  FramerLimits limits;
  limits.max_body = 10;
  RequestFramer framer(limits);
  framer.Feed("POST /x HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n");
  EXPECT_TRUE(std::holds_alternative<NeedMore>(framer.Next()));
  framer.Feed("3\r\n");  // 8 + 3 > 10: refused on the size line, before the chunk's data
  auto next = framer.Next();
  ASSERT_TRUE(std::holds_alternative<FrameError>(next));
  EXPECT_EQ(std::get<FrameError>(next).status, 413);
}

TEST(RequestFramer, AmbiguousFramingIsRefused) {
  EXPECT_EQ(
      OnlyError("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"),
      400);
  EXPECT_EQ(OnlyError("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"), 501);
  EXPECT_EQ(OnlyError("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("GET / HTTP/1.1\r\nHost: a\r\nContent-Length : 0\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("GET / HTTP/1.1\nHost: a\n\n"), 400);
  EXPECT_EQ(OnlyError("GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("GET / HTTP/1.1\r\nHost: a\r\nX: \x01\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("GET / HTTP/1.1\r\n\r\n"), 400);  // no Host
  EXPECT_EQ(OnlyError("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("GET / HTTP/2.0\r\nHost: a\r\n\r\n"), 505);
  EXPECT_EQ(OnlyError("GET  / HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("GET x HTTP/1.1\r\nHost: a\r\n\r\n"), 400);
  EXPECT_EQ(OnlyError("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"), 400);
}

TEST(RequestFramer, AbsoluteFormIsReducedToThePath) {
  const Outcome o = Frame("GET http://example.com:8080/healthz?a=b HTTP/1.1\r\nHost: example.com\r\n\r\n");
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_EQ(o.requests[0].path, "/healthz");
  EXPECT_EQ(o.requests[0].query, "a=b");
}

// A 2 MiB request line or header, fed as a socket delivers it (4 KiB reads), is refused once the limit
// is passed, having examined each byte a bounded number of times.
TEST(RequestFramer, OverlongHeadsAreRefusedInLinearTime) {
  const std::string line = "GET /healthz?q=" + std::string(2u << 20, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n";
  const std::string header =
      "GET /healthz HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(2u << 20, 'b') + "\r\n\r\n";
  for (const auto& [input, status] : {std::pair{line, 414}, std::pair{header, 431}}) {
    RequestFramer framer(FramerLimits{});
    const Outcome o = Frame(framer, input, 4096);
    ASSERT_EQ(o.errors.size(), 1u);
    EXPECT_EQ(o.errors[0].status, status);
    EXPECT_LE(framer.cost(),
              RequestFramer::kCostPerByte * (64u * 1024 + 4096) + RequestFramer::kCostConstant);
  }
  // Byte by byte (the worst case for re-scanning parsers) the cost stays linear too.
  const std::string head = "GET /x HTTP/1.1\r\nHost: a\r\nX-A: " + std::string(60000, 'c') + "\r\n\r\n";
  RequestFramer framer(FramerLimits{});
  const Outcome o = Frame(framer, head, 1);
  ASSERT_EQ(o.requests.size(), 1u);
  EXPECT_LE(framer.cost(), RequestFramer::kCostPerByte * head.size() + RequestFramer::kCostConstant);
}

// A head that starts in one read after a complete request and goes on in the next: its request line's
// end, found before the consumed bytes were dropped, must move with it (found by http_head_fuzz).
TEST(RequestFramer, APipelinedHeadSplitAcrossReadsKeepsItsRequestLine) {
  FramerLimits limits;
  limits.max_request_line = 64;
  const std::string first = "GET /" + std::string(40, 'a') + " HTTP/1.1\r\nHost: h\r\n\r\n";
  const std::string second = "GET /b HTTP/1.1\r\nHost: h\r\n\r\n";
  for (std::size_t piece = 1; piece < first.size() + second.size(); ++piece) {
    const Outcome o = Frame(first + second, piece, limits);
    ASSERT_TRUE(o.errors.empty()) << piece << ": " << o.errors[0].detail;
    ASSERT_EQ(o.requests.size(), 2u) << piece;
  }
}

TEST(RequestFramer, HeadLimitsAreExact) {
  FramerLimits limits;
  limits.max_request_line = 100;
  limits.max_head = 200;
  const std::string at = "GET /" + std::string(100 - 14, 'a') + " HTTP/1.1";
  ASSERT_EQ(at.size(), 100u);
  EXPECT_EQ(Frame(at + "\r\nHost: a\r\n\r\n", 4096, limits).requests.size(), 1u);
  EXPECT_EQ(OnlyError("GET /" + std::string(87, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n", limits), 414);
  EXPECT_EQ(OnlyError("GET / HTTP/1.1\r\nHost: a\r\nX: " + std::string(200, 'x') + "\r\n\r\n", limits), 431);
  limits.max_fields = 3;
  EXPECT_EQ(OnlyError("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", limits), 431);
}

}  // namespace
}  // namespace driftgate::api

// CurlTransport against a real HTTP server on 127.0.0.1 (tests/support/http_receiver.h). No traffic
// leaves the loopback interface and every wait is bounded.
#include "service/webhooks/transport/http_transport.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "service/webhooks/transport/signature.h"
#include "tests/support/http_receiver.h"

namespace driftgate::webhook {
namespace {

using namespace std::chrono_literals;
using test_support::HttpReceiver;
using test_support::Reply;

const HeaderList kJson = {{"Content-Type", "application/json"}};

// Short timeouts: everything is local, and a hung test should fail fast rather than wait 10 s.
CurlTransport LocalTransport() { return CurlTransport({.connect_timeout = 1s, .total_timeout = 3s}); }

// A TCP port on 127.0.0.1 that refuses connections for as long as the returned socket stays open: it is
// bound (so nobody else gets the port) but not listening, so a SYN is answered with RST.
class RefusingPort {
 public:
  RefusingPort() : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(addr);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), len) != 0 ||
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ADD_FAILURE() << "could not bind a loopback socket";
    }
    port_ = ntohs(addr.sin_port);
  }
  ~RefusingPort() {
    if (fd_ >= 0) ::close(fd_);
  }
  RefusingPort(const RefusingPort&) = delete;
  RefusingPort& operator=(const RefusingPort&) = delete;
  int port() const { return port_; }

 private:
  int fd_;
  int port_ = 0;
};

TEST(CurlTransport, PassesTheReceiversStatusThrough) {
  HttpReceiver receiver;
  CurlTransport transport = LocalTransport();
  for (int status : {200, 410, 503}) {
    receiver.SetStatus(status);
    const PostResult result = transport.Post(receiver.Url("/hook"), kJson, "{}");
    EXPECT_EQ(result.status, status);
    EXPECT_EQ(result.error, "");
    EXPECT_EQ(result.error_kind, TransportError::kNone);
    EXPECT_EQ(result.Succeeded(), status == 200);
    EXPECT_GT(result.seconds, 0.0);
  }
  EXPECT_EQ(receiver.RequestCount(), 3u);
}

TEST(CurlTransport, AnswersQueuedStatusesInOrderOnOneInstance) {
  HttpReceiver receiver;
  receiver.QueueStatuses({503, 500});
  CurlTransport transport = LocalTransport();
  EXPECT_EQ(transport.Post(receiver.Url(), kJson, "{}").status, 503);
  EXPECT_EQ(transport.Post(receiver.Url(), kJson, "{}").status, 500);
  EXPECT_EQ(transport.Post(receiver.Url(), kJson, "{}").status, 200);
}

TEST(CurlTransport, DeliversASignedWebhookIntact) {
  HttpReceiver receiver;
  // Quotes, UTF-8, a newline, and more than one TCP segment.
  std::string body =
      "{\"type\": \"retrain.requested\", \"reason\": \"PSI > 0.2 \xC3\xA9t\xC3\xA9\\n\", \"pad\": \"";
  body.append(64 * 1024, 'x').append("\"}\n");
  const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  const std::string signature = Sign(secret, "msg_42", 1700000000, body);
  const HeaderList headers = {{"Content-Type", "application/json"},
                              {"webhook-id", "msg_42"},
                              {"webhook-timestamp", "1700000000"},
                              {"webhook-signature", signature},
                              {"X-Empty", ""}};

  const PostResult result = LocalTransport().Post(receiver.Url("/hooks/retrain"), headers, body);

  ASSERT_EQ(result.status, 200) << result.error;
  ASSERT_EQ(receiver.RequestCount(), 1u);
  const test_support::RecordedRequest request = receiver.Requests()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.path, "/hooks/retrain");
  EXPECT_EQ(request.body, body);
  EXPECT_EQ(request.Header("content-type"), "application/json");
  EXPECT_EQ(request.Header("webhook-id"), "msg_42");
  EXPECT_EQ(request.Header("webhook-timestamp"), "1700000000");
  EXPECT_EQ(request.Header("webhook-signature"), signature);
  EXPECT_EQ(request.Header("user-agent"), "driftgate-webhook");
  EXPECT_TRUE(request.headers.contains("x-empty"));
  EXPECT_TRUE(Verify(secret, request.Header("webhook-id"), std::stoll(request.Header("webhook-timestamp")),
                     request.body, request.Header("webhook-signature")));
}

TEST(CurlTransport, SendsALargeBodyWithoutWaitingForA100Continue) {
  // Above 1 MiB libcurl 7.88 would send "Expect: 100-continue" and wait a second for an answer Pistache
  // never gives.
  HttpReceiver receiver({.max_request_size = 4 << 20});
  const std::string body(1536 * 1024, 'b');

  const PostResult result = LocalTransport().Post(receiver.Url(), kJson, body);

  ASSERT_EQ(result.status, 200) << result.error;
  EXPECT_LT(result.seconds, 0.9);
  ASSERT_EQ(receiver.RequestCount(), 1u);
  EXPECT_FALSE(receiver.Requests()[0].headers.contains("expect"));
  EXPECT_EQ(receiver.Requests()[0].body.size(), body.size());
}

TEST(CurlTransport, KeepsOnlyABoundedExcerptOfTheAnswer) {
  HttpReceiver receiver;
  receiver.QueueReplies({Reply{.status = 410, .body = "endpoint disabled"},
                         Reply{.status = 500, .body = std::string(10000, 'e')}});
  CurlTransport transport({.total_timeout = 3s, .max_body_excerpt = 4096});

  const PostResult gone = transport.Post(receiver.Url(), kJson, "{}");
  EXPECT_EQ(gone.status, 410);
  EXPECT_EQ(gone.body_excerpt, "endpoint disabled");

  const PostResult large = transport.Post(receiver.Url(), kJson, "{}");
  EXPECT_EQ(large.status, 500);
  EXPECT_EQ(large.body_excerpt, std::string(4096, 'e'));
}

TEST(CurlTransport, DoesNotFollowRedirects) {
  HttpReceiver receiver;
  receiver.QueueReplies({Reply{.status = 307, .headers = {{"Location", receiver.Url("/elsewhere")}}}});

  const PostResult result = LocalTransport().Post(receiver.Url("/hook"), kJson, "{}");

  EXPECT_EQ(result.status, 307);
  EXPECT_FALSE(result.Succeeded());
  EXPECT_EQ(receiver.RequestCount(), 1u);  // Post is synchronous: a followed redirect would be in already
}

TEST(CurlTransport, ReportsARefusedConnectionAsNoStatusWithAnError) {
  const RefusingPort refusing;
  const PostResult result =
      LocalTransport().Post("http://127.0.0.1:" + std::to_string(refusing.port()) + "/hook", kJson, "{}");
  EXPECT_EQ(result.status, 0);
  EXPECT_FALSE(result.Answered());
  EXPECT_EQ(result.error_kind, TransportError::kConnect);
  EXPECT_NE(result.error, "");
  EXPECT_LT(result.seconds, 1.0);
}

TEST(CurlTransport, GivesUpOnASlowReceiverAtTheTotalTimeout) {
  HttpReceiver receiver;
  receiver.SetDelay(30s);  // ended early by the receiver's destructor
  CurlTransport transport({.connect_timeout = 1s, .total_timeout = 300ms});

  const PostResult result = transport.Post(receiver.Url("/slow"), kJson, "{}");

  EXPECT_EQ(result.status, 0);
  EXPECT_EQ(result.error_kind, TransportError::kTimeout);
  EXPECT_NE(result.error.find("imeout"), std::string::npos) << result.error;
  EXPECT_GE(result.seconds, 0.25);
  EXPECT_LT(result.seconds, 2.0);
  EXPECT_EQ(receiver.RequestCount(), 1u);
}

TEST(CurlTransport, RefusesSchemesOtherThanHttpAndHttps) {
  HttpReceiver receiver;
  const std::string local = "127.0.0.1:" + std::to_string(receiver.port()) + "/";
  for (const std::string& url : {std::string("file:///etc/passwd"), "ftp://" + local, "gopher://" + local,
                                 "dict://" + local, "telnet://" + local, "scp://" + local}) {
    const PostResult result = LocalTransport().Post(url, kJson, "{}");
    EXPECT_EQ(result.status, 0) << url;
    EXPECT_EQ(result.error_kind, TransportError::kRejected) << url << ": " << result.error;
    EXPECT_EQ(result.body_excerpt, "") << url;
  }
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

TEST(CurlTransport, RefusesHeadersThatCouldSmuggleLines) {
  HttpReceiver receiver;
  CurlTransport transport = LocalTransport();
  const HeaderList injected_value = {{"webhook-id", "msg_1\r\nX-Evil: 1"}};
  const HeaderList injected_name = {{"X-Evil: 1\r\nwebhook-id", "msg_1"}};
  const HeaderList colon_name = {{"a:b", "c"}};
  for (const HeaderList& headers : {injected_value, injected_name, colon_name}) {
    const PostResult result = transport.Post(receiver.Url(), headers, "{}");
    EXPECT_EQ(result.status, 0);
    EXPECT_EQ(result.error_kind, TransportError::kRejected);
  }
  EXPECT_EQ(receiver.RequestCount(), 0u);
}

TEST(CurlTransport, WorksWithOneInstancePerThread) {
  HttpReceiver receiver;
  constexpr int kThreads = 4;
  constexpr int kPostsEach = 5;
  std::vector<int> successes(kThreads, 0);
  {
    std::vector<std::jthread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        CurlTransport transport = LocalTransport();
        for (int i = 0; i < kPostsEach; ++i) {
          const std::string body = "{\"thread\": " + std::to_string(t) + "}";
          if (transport.Post(receiver.Url(), kJson, body).status == 200) ++successes[t];
        }
      });
    }
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(successes[t], kPostsEach) << "thread " << t;
  EXPECT_TRUE(receiver.WaitForRequests(kThreads * kPostsEach, 5s));
}

TEST(HttpReceiver, WaitForRequestsGivesUpAtItsTimeout) {
  HttpReceiver receiver;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(receiver.WaitForRequests(1, 50ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 50ms);
}

TEST(HttpReceiver, WaitForRequestsWakesWhenARequestArrives) {
  HttpReceiver receiver;
  std::jthread sender([&] { (void)LocalTransport().Post(receiver.Url("/late"), kJson, "{}"); });
  EXPECT_TRUE(receiver.WaitForRequests(1, 5s));
  EXPECT_EQ(receiver.Requests().at(0).path, "/late");
}

}  // namespace
}  // namespace driftgate::webhook

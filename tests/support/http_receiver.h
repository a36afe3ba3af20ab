// A real HTTP server on 127.0.0.1 for tests that need something to send webhooks to: it records every
// request and answers from a script. Built on Pistache the way its own rest_server_test.cc does it:
// bind port 0, serveThreaded(), read getPort(), shutdown().
//
//   test_support::HttpReceiver receiver;
//   receiver.QueueStatuses({503, 503});         // two failures, then the default 200
//   ... POST to receiver.Url("/hook") ...
//   ASSERT_TRUE(receiver.WaitForRequests(3, std::chrono::seconds(5)));
//   EXPECT_EQ(receiver.Requests()[0].Header("webhook-id"), "msg_1");
//
// All methods are thread-safe. Waiting is on a condition variable, so tests never sleep-poll.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace Pistache::Http {
class Endpoint;
}  // namespace Pistache::Http

namespace driftgate::test_support {
namespace detail {
struct ReceiverState;
}  // namespace detail

struct RecordedRequest {
  std::string method;  // "POST"
  std::string path;    // the resource, without the query string
  // Names lower-cased; a repeated header keeps one value. Headers Pistache parses into types are written
  // back by Pistache: Content-Type, Content-Length, Host, User-Agent come out as sent, but Accept and
  // Expect come out empty (only their presence is reliable). Other headers are verbatim.
  std::map<std::string, std::string> headers;
  std::string body;
  std::chrono::steady_clock::time_point arrived_at;

  // The value of header `name` (any case), or "" when absent.
  std::string Header(std::string_view name) const;
};

// What the receiver answers to one request.
struct Reply {
  int status = 200;
  std::string body{};  // `{}`: GCC 12 warns about designated initializers that skip a member without one
  std::vector<std::pair<std::string, std::string>> headers{};
  // Wait this long before answering (the request is recorded at once). The wait is on a condition
  // variable that the destructor signals, so a long delay never holds up the end of a test.
  std::chrono::milliseconds delay{0};
};

struct HttpReceiverOptions {
  // A delayed reply blocks its event-loop thread: connections on the other threads are still answered.
  int threads = 2;
  std::size_t max_request_size = 1 << 20;  // Pistache's default of 4 KiB would refuse larger webhooks
};

class HttpReceiver {
 public:
  // Binds 127.0.0.1 on a free port and starts serving. Throws std::runtime_error when it cannot; in a
  // test that is a failure that names its reason, which is what a test wants.
  explicit HttpReceiver(HttpReceiverOptions options = {});
  // Wakes delayed replies, then shuts the server down and joins its threads.
  ~HttpReceiver();
  HttpReceiver(const HttpReceiver&) = delete;
  HttpReceiver& operator=(const HttpReceiver&) = delete;

  std::uint16_t port() const { return port_; }
  // "http://127.0.0.1:{port}{path}"; `path` should start with '/'.
  std::string Url(std::string_view path = "/") const;

  // The reply used when the queue is empty (initially 200, empty body, no delay).
  void SetDefaultReply(Reply reply);
  void SetStatus(int status);                      // the default reply's status
  void SetDelay(std::chrono::milliseconds delay);  // the default reply's delay
  // Replies to use, in order, for the next requests; then the default again.
  void QueueReplies(std::vector<Reply> replies);
  void QueueStatuses(const std::vector<int>& statuses);

  std::vector<RecordedRequest> Requests() const;
  std::size_t RequestCount() const;
  // True as soon as at least `count` requests have arrived; false when `timeout` passes first.
  bool WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  // Recorded requests and the script, shared with Pistache's handler clones (one per event-loop thread).
  std::shared_ptr<detail::ReceiverState> state_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
  std::uint16_t port_ = 0;
};

}  // namespace driftgate::test_support

#include "tests/support/http_receiver.h"

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/net.h>

#include <algorithm>
#include <cctype>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <sstream>

#include "api/http/text_header.h"

namespace driftgate::test_support {
namespace detail {

struct ReceiverState {
  mutable std::mutex mutex;
  mutable std::condition_variable changed;  // a request arrived, or the receiver is stopping
  std::vector<RecordedRequest> requests;
  std::deque<Reply> queued;
  Reply default_reply;
  bool stopping = false;
};

}  // namespace detail

namespace {

namespace Http = Pistache::Http;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Pistache parses the headers it knows (Content-Type, Host, User-Agent, ...) into typed objects and keeps
// the others raw; a test wants to see both, as text.
std::map<std::string, std::string> AllHeaders(const Http::Header::Collection& collection) {
  std::map<std::string, std::string> headers;
  for (const auto& [name, raw] : collection.rawList()) headers[Lower(name)] = raw.value();
  for (const auto& typed : collection.list()) {
    std::ostringstream value;
    typed->write(value);
    headers[Lower(typed->name())] = value.str();
  }
  return headers;
}

class RecordingHandler : public Http::Handler {
 public:
  HTTP_PROTOTYPE(RecordingHandler)

  explicit RecordingHandler(std::shared_ptr<detail::ReceiverState> state) : state_(std::move(state)) {}

  void onRequest(const Http::Request& request, Http::ResponseWriter response) override {
    RecordedRequest recorded{.method = Http::methodString(request.method()),
                             .path = request.resource(),
                             .headers = AllHeaders(request.headers()),
                             .body = request.body(),
                             .arrived_at = std::chrono::steady_clock::now()};
    Reply reply;
    {
      std::unique_lock lock(state_->mutex);
      state_->requests.push_back(std::move(recorded));
      if (state_->queued.empty()) {
        reply = state_->default_reply;
      } else {
        reply = std::move(state_->queued.front());
        state_->queued.pop_front();
      }
      state_->changed.notify_all();
      if (reply.delay.count() > 0) {
        // Blocks this event-loop thread only; the destructor's notify ends the wait early.
        state_->changed.wait_for(lock, reply.delay, [this] { return state_->stopping; });
      }
    }
    for (const auto& [name, value] : reply.headers) {
      response.headers().add(std::make_shared<api::TextHeader>(name, value));
    }
    // The peer may have given up (a client timeout); Pistache then fails the promise, which is fine here.
    response.send(static_cast<Http::Code>(reply.status), reply.body);
  }

 private:
  std::shared_ptr<detail::ReceiverState> state_;
};

}  // namespace

std::string RecordedRequest::Header(std::string_view name) const {
  const auto it = headers.find(Lower(name));
  return it == headers.end() ? std::string() : it->second;
}

HttpReceiver::HttpReceiver(HttpReceiverOptions options)
    : state_(std::make_shared<detail::ReceiverState>()),
      endpoint_(std::make_unique<Http::Endpoint>(
          Pistache::Address(Pistache::IP(127, 0, 0, 1), Pistache::Port(0)))) {
  endpoint_->init(Http::Endpoint::options()
                      .threads(options.threads)
                      .flags(Pistache::Tcp::Options::ReuseAddr)
                      .maxRequestSize(options.max_request_size));
  endpoint_->setHandler(Http::make_handler<RecordingHandler>(state_));
  endpoint_->serveThreaded();
  port_ = static_cast<std::uint16_t>(endpoint_->getPort());
}

HttpReceiver::~HttpReceiver() {
  {
    std::lock_guard lock(state_->mutex);
    state_->stopping = true;
  }
  state_->changed.notify_all();
  endpoint_->shutdown();
}

std::string HttpReceiver::Url(std::string_view path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + std::string(path);
}

void HttpReceiver::SetDefaultReply(Reply reply) {
  std::lock_guard lock(state_->mutex);
  state_->default_reply = std::move(reply);
}

void HttpReceiver::SetStatus(int status) {
  std::lock_guard lock(state_->mutex);
  state_->default_reply.status = status;
}

void HttpReceiver::SetDelay(std::chrono::milliseconds delay) {
  std::lock_guard lock(state_->mutex);
  state_->default_reply.delay = delay;
}

void HttpReceiver::QueueReplies(std::vector<Reply> replies) {
  std::lock_guard lock(state_->mutex);
  for (auto& reply : replies) state_->queued.push_back(std::move(reply));
}

void HttpReceiver::QueueStatuses(const std::vector<int>& statuses) {
  std::lock_guard lock(state_->mutex);
  for (int status : statuses) state_->queued.push_back(Reply{.status = status});
}

std::vector<RecordedRequest> HttpReceiver::Requests() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests;
}

std::size_t HttpReceiver::RequestCount() const {
  std::lock_guard lock(state_->mutex);
  return state_->requests.size();
}

bool HttpReceiver::WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, timeout, [&] { return state_->requests.size() >= count; });
}

}  // namespace driftgate::test_support

#include "service/webhooks/transport/http_transport.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <utility>

namespace driftgate::webhook {

struct CurlTransport::Handle {
  CURL* easy = nullptr;
};

namespace {

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

// curl_slist_append returns the head of the list, or null (leaving the list intact) when out of memory.
bool Append(Slist& list, const std::string& line) {
  curl_slist* head = curl_slist_append(list.get(), line.c_str());
  if (head == nullptr) return false;
  if (!list) list.reset(head);
  return true;
}

// The handle keeps pointers to this call's header list and error buffer; drop them before those die.
struct ResetOnExit {
  CURL* curl;
  ~ResetOnExit() { curl_easy_reset(curl); }
};

// Keeps the first `limit` bytes of the answer and drops the rest; returning the full size keeps libcurl
// reading, so the connection stays reusable and a long answer ends by the total timeout at the latest.
struct BodySink {
  std::size_t limit = 0;
  std::string* out = nullptr;

  static std::size_t Write(char* data, std::size_t size, std::size_t count, void* user) {
    auto* sink = static_cast<BodySink*>(user);
    const std::size_t bytes = size * count;
    const std::size_t room = sink->limit - std::min(sink->limit, sink->out->size());
    sink->out->append(data, std::min(room, bytes));
    return bytes;
  }
};

void InitCurlOnce() {
  // curl_global_init is not safe to race with other libcurl calls; call_once makes the first
  // CurlTransport do it on behalf of all threads. No matching cleanup: the process owns it until exit.
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

bool HasLineBreak(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

std::string_view RejectHeader(const std::pair<std::string, std::string>& header) {
  // CR/LF would let a value smuggle extra headers or a second request into the stream.
  if (header.first.empty() || header.first.find(':') != std::string::npos || HasLineBreak(header.first)) {
    return "invalid header name";
  }
  if (HasLineBreak(header.second)) return "header value contains CR or LF";
  return {};
}

bool IsHeader(std::string_view name, std::string_view wanted) {
  return std::equal(name.begin(), name.end(), wanted.begin(), wanted.end(), [](char a, char b) {
    return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
  });
}

TransportError Classify(CURLcode code) {
  switch (code) {
    case CURLE_OK:
      return TransportError::kNone;
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return TransportError::kRejected;
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
      return TransportError::kConnect;
    case CURLE_OPERATION_TIMEDOUT:
      return TransportError::kTimeout;
    default:
      return TransportError::kOther;
  }
}

// CURLOPT_OPENSOCKETFUNCTION: asks the policy about each address before a socket is opened for it.
struct ConnectGuard {
  const std::function<bool(const std::string&, const std::string&)>* allow = nullptr;
  const std::string* url = nullptr;
  std::string refused{};  // the last refused address

  static curl_socket_t Open(void* user, curlsocktype /*purpose*/, curl_sockaddr* address) {
    auto* guard = static_cast<ConnectGuard*>(user);
    char text[INET6_ADDRSTRLEN] = {0};
    const void* raw = nullptr;
    if (address->family == AF_INET) raw = &reinterpret_cast<const sockaddr_in*>(&address->addr)->sin_addr;
    if (address->family == AF_INET6) raw = &reinterpret_cast<const sockaddr_in6*>(&address->addr)->sin6_addr;
    if (raw == nullptr || inet_ntop(address->family, raw, text, sizeof text) == nullptr ||
        !(*guard->allow)(*guard->url, text)) {
      guard->refused = raw == nullptr ? "a non-IP address" : text;
      return CURL_SOCKET_BAD;
    }
    return socket(address->family, address->socktype, address->protocol);
  }
};

long Millis(std::chrono::milliseconds d) { return static_cast<long>(std::max<std::int64_t>(1, d.count())); }

// The request headers as libcurl's list; a refused header or a failed allocation is returned.
std::optional<std::pair<TransportError, std::string>> BuildHeaderList(const HeaderList& headers,
                                                                      Slist& list) {
  bool caller_sets_expect = false;
  for (const auto& header : headers) {
    if (std::string_view why = RejectHeader(header); !why.empty()) {
      return std::pair{TransportError::kRejected, std::string(why)};
    }
    caller_sets_expect = caller_sets_expect || IsHeader(header.first, "expect");
    // "Name;" is libcurl's spelling for a header with an empty value ("Name:" would remove it).
    const std::string line = header.second.empty() ? header.first + ";" : header.first + ": " + header.second;
    if (!Append(list, line))
      return std::pair{TransportError::kOther, std::string("out of memory building headers")};
  }
  // libcurl 7.88 sends "Expect: 100-continue" for bodies over 1 MiB and then waits a second for a
  // "100 Continue" that many servers (Pistache among them) never send. Send the body at once instead.
  if (!caller_sets_expect && !Append(list, "Expect:")) {
    return std::pair{TransportError::kOther, std::string("out of memory building headers")};
  }
  return std::nullopt;
}

// What one POST hands to libcurl; every pointer outlives curl_easy_perform.
struct PostParts {
  const std::string& url;
  const std::string& body;
  curl_slist* headers;
  char* error_buffer;
  BodySink* sink;
  ConnectGuard* guard;
};

// Every option of one POST on a reset handle; the first option libcurl refuses is returned.
CURLcode SetPostOptions(CURL* curl, const CurlTransportOptions& options, const PostParts& parts) {
  CURLcode set = CURLE_OK;
  auto opt = [&](CURLoption option, auto value) {
    if (set == CURLE_OK) set = curl_easy_setopt(curl, option, value);
  };
  opt(CURLOPT_ERRORBUFFER, parts.error_buffer);
  opt(CURLOPT_NOSIGNAL, 1L);  // no SIGALRM for timeouts: required when threads use libcurl
#if LIBCURL_VERSION_NUM >= 0x075500
  opt(CURLOPT_PROTOCOLS_STR, "http,https");
#else
  opt(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  opt(CURLOPT_FOLLOWLOCATION, 0L);
  opt(CURLOPT_PROXY, options.proxy.c_str());
  opt(CURLOPT_CONNECTTIMEOUT_MS, Millis(options.connect_timeout));
  opt(CURLOPT_TIMEOUT_MS, Millis(options.total_timeout));
  opt(CURLOPT_USERAGENT, options.user_agent.c_str());
  opt(CURLOPT_URL, parts.url.c_str());
  opt(CURLOPT_POST, 1L);
  opt(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(parts.body.size()));
  opt(CURLOPT_POSTFIELDS, parts.body.data());  // not copied: `body` outlives curl_easy_perform
  opt(CURLOPT_HTTPHEADER, parts.headers);
  opt(CURLOPT_WRITEFUNCTION, &BodySink::Write);
  opt(CURLOPT_WRITEDATA, static_cast<void*>(parts.sink));
  if (options.allow_connect) {
    opt(CURLOPT_OPENSOCKETFUNCTION, &ConnectGuard::Open);
    opt(CURLOPT_OPENSOCKETDATA, static_cast<void*>(parts.guard));
  }
  return set;
}

}  // namespace

CurlTransport::CurlTransport(CurlTransportOptions options)
    : options_(std::move(options)), handle_(std::make_unique<Handle>()) {
  InitCurlOnce();
  handle_->easy = curl_easy_init();  // null only when out of memory; Post() then reports an error
}

CurlTransport::~CurlTransport() {
  if (handle_->easy != nullptr) curl_easy_cleanup(handle_->easy);
}

PostResult CurlTransport::Post(const std::string& url, const HeaderList& headers, const std::string& body) {
  const auto start = std::chrono::steady_clock::now();
  PostResult result;
  auto finish = [&](TransportError kind, std::string error) {
    result.error_kind = kind;
    result.error = std::move(error);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
  };

  CURL* curl = handle_->easy;
  if (curl == nullptr) return finish(TransportError::kOther, "libcurl could not create a handle");

  Slist header_list;
  if (auto refused = BuildHeaderList(headers, header_list)) return finish(refused->first, refused->second);

  std::array<char, CURL_ERROR_SIZE> error_buffer{};
  BodySink sink{options_.max_body_excerpt, &result.body_excerpt};

  curl_easy_reset(curl);  // start from defaults; the connection cache survives a reset
  const ResetOnExit reset_on_exit{curl};
  ConnectGuard guard{.allow = &options_.allow_connect, .url = &url, .refused = {}};
  const CURLcode set = SetPostOptions(curl, options_,
                                      {.url = url,
                                       .body = body,
                                       .headers = header_list.get(),
                                       .error_buffer = error_buffer.data(),
                                       .sink = &sink,
                                       .guard = &guard});
  if (set != CURLE_OK) {
    // Most likely a libcurl without http(s) or protocol restriction: never send unrestricted.
    return finish(TransportError::kOther,
                  std::string("libcurl refused an option: ") + curl_easy_strerror(set));
  }

  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    // A status line followed by a failure (say, the body timed out) is not an answer the receiver
    // finished giving: report no status, and the caller's retry keeps delivery at-least-once.
    result.body_excerpt.clear();
    if (!guard.refused.empty() && (code == CURLE_COULDNT_CONNECT || code == CURLE_OPERATION_TIMEDOUT)) {
      return finish(TransportError::kBlocked,
                    "connection to " + guard.refused + " refused by the address policy");
    }
    std::string error = curl_easy_strerror(code);
    if (error_buffer[0] != '\0') error.append(": ").append(error_buffer.data());
    return finish(Classify(code), std::move(error));
  }
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  result.status = static_cast<int>(status);
  return finish(TransportError::kNone, {});
}

}  // namespace driftgate::webhook

// The one seam between webhook delivery and the network (an interface only where a test needs a seam):
// delivery logic talks to `Transport`, production uses `CurlTransport`, tests use it against a real receiver
// on 127.0.0.1 or substitute a fake.
//
// A transport makes exactly one attempt. Retries, backoff, the 2xx/410 policy and logging belong to the
// caller, which knows the message id and the schedule; this module never logs (headers carry the
// signature and the URL may carry a token).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace driftgate::webhook {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Why an attempt got no HTTP answer. Lets the caller tell a permanent misconfiguration (kRejected) from a
// transient failure worth retrying (kConnect, kTimeout, kOther).
enum class TransportError {
  kNone,      // an HTTP answer arrived; see `status`
  kRejected,  // refused before sending: not an http/https URL, malformed URL, CR/LF in a header
  kConnect,   // DNS failure, connection refused or reset, TLS handshake failure
  kTimeout,   // the connect or the total timeout expired
  kOther,     // anything else libcurl reports
  kBlocked,   // every address the host resolved to was refused by CurlTransportOptions::allow_connect
};

struct PostResult {
  int status = 0;  // HTTP status of the answer; 0 when no HTTP answer arrived
  // Empty when an answer arrived (whatever its status); else libcurl's description, which names at most
  // the host and port (never the path, query, headers or body).
  std::string error{};
  std::string body_excerpt{};  // the first CurlTransportOptions::max_body_excerpt bytes of the answer
  double seconds = 0.0;        // wall time of the attempt, for metrics and logs
  TransportError error_kind = TransportError::kNone;

  bool Answered() const { return status != 0; }
  bool Succeeded() const { return status >= 200 && status < 300; }
};

class Transport {
 public:
  virtual ~Transport() = default;

  // POSTs `body` to `url` with `headers` (name, value) and returns what happened; never throws for
  // network trouble. Any HTTP status, redirects included, is passed through as is: redirects are not
  // followed, because a signed webhook must reach the configured URL or fail visibly.
  virtual PostResult Post(const std::string& url, const HeaderList& headers, const std::string& body) = 0;
};

// Designated-initializer friendly (Abseil TotW #173): `CurlTransport({.total_timeout = 3s})`. Every
// member has an initializer, `{}` included: GCC 12's -Wmissing-field-initializers stays quiet only then.
struct CurlTransportOptions {
  std::chrono::milliseconds connect_timeout{2000};
  std::chrono::milliseconds total_timeout{10000};  // the whole attempt, connect included
  std::size_t max_body_excerpt = 4096;             // the rest of the answer is read and dropped
  std::string user_agent = "driftgate-webhook";
  // Proxy URL; empty means no proxy, and then http_proxy/https_proxy from the environment are ignored
  // too, so where the request goes is decided by configuration alone.
  std::string proxy{};
  // Called with the URL and each numeric address libcurl is about to connect to (after its own DNS
  // lookup, so a name rebound to another address is judged by the address actually used); false refuses
  // that address. Empty: every address is allowed. With a proxy, the address is the proxy's.
  std::function<bool(const std::string& url, const std::string& address)> allow_connect{};
};

// libcurl over one easy handle, reused across calls so that keep-alive connections to the receiver are
// reused. One instance per thread: Post() is not safe to call concurrently on the same instance, while
// separate instances on separate threads are (libcurl's global init runs once, under std::call_once).
// Only http:// and https:// URLs are accepted; TLS peers are verified with the system CA store.
class CurlTransport final : public Transport {
 public:
  explicit CurlTransport(CurlTransportOptions options = {});
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  // Pass a `Content-Type` header: without one libcurl labels the body application/x-www-form-urlencoded.
  // A header name or value with CR/LF is refused (kRejected) rather than sent.
  PostResult Post(const std::string& url, const HeaderList& headers, const std::string& body) override;

 private:
  struct Handle;  // the CURL* lives in the .cpp so that <curl/curl.h> stays out of this header
  CurlTransportOptions options_;
  std::unique_ptr<Handle> handle_;
};

}  // namespace driftgate::webhook

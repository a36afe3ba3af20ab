#include "api/http/http_connection.h"

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <string>
#include <variant>

#include "api/http/text_header.h"
#include "api/problem.h"
#include "api/server.h"

namespace driftgate::api {
namespace {

using namespace Pistache;

constexpr const char* kConnectionKey = "driftgate.connection";

// Per-connection state, kept in the Peer (it dies with the connection).
struct Connection {
  explicit Connection(FramerLimits limits) : framer(limits) {}
  RequestFramer framer;
  bool closing = false;  // an answer that closes the connection was sent: input is dropped unread
  // Bytes dropped since then, and whether that answer is written out. Both are touched by the transport
  // thread that owns the connection (input and write completions), atomics only for clarity.
  std::atomic<std::size_t> lingered{0};
  std::atomic<bool> answered{false};
  std::atomic<int> queued{0};  // answers handed to Pistache and not yet written out
};

// After an answer that ends the connection, the server stops sending (FIN) but keeps reading and dropping
// what the client still sends, so a client that is mid-way through an oversized body reads its 413 instead
// of a reset (RFC 9112 §9.6; nginx's lingering close). How long a client can keep a lingering connection is
// bounded by the header timeout, how much it can send by this cap, past which the connection is reset —
// once the answer is written: a client that floods keeps Pistache reading, and a reset before the write
// would lose the answer.
std::size_t LingerBytes(const FramerLimits& limits) {
  constexpr std::size_t kFloor = std::size_t{16} << 20;
  return std::max(kFloor, limits.max_body);
}

// Query keys and values arrive percent-encoded: decode them, so what clients' encoders (URLSearchParams,
// urlencode) send — `from=2026-11-23T06%3A00%3A00Z`, a URL-encoded cursor — means what it says. `+` stays
// `+` (no parameter takes spaces, and a hand-typed `+01:00` offset should work); a malformed escape is
// kept as written.
std::string QueryDecode(std::string_view in) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && hex(in[i + 1]) >= 0 && hex(in[i + 2]) >= 0) {
      out += static_cast<char>(hex(in[i + 1]) * 16 + hex(in[i + 2]));
      i += 2;
    } else {
      out += in[i];
    }
  }
  return out;
}

// `a=1&b=2`: a key without `=` has the empty value. A key given twice (`limit=1&limit=500`) keeps its
// first value and is reported in `repeated`, so the route refuses the request instead of picking one.
std::map<std::string, std::string> ParseQuery(std::string_view query, std::string& repeated) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto part = query.substr(0, amp);
    if (!part.empty()) {
      const auto eq = part.find('=');
      auto [it, added] =
          out.emplace(QueryDecode(part.substr(0, eq)),
                      eq == std::string_view::npos ? std::string() : QueryDecode(part.substr(eq + 1)));
      if (!added && repeated.empty()) repeated = it->first;
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return out;
}

// The bytes of an answer that closes the connection, as Pistache's ResponseWriter would write them.
std::string ClosingAnswerBytes(const Response& resp) {
  std::string out = "HTTP/1.1 " + std::to_string(resp.status) + " " +
                    Http::codeString(static_cast<Http::Code>(resp.status)) + "\r\nConnection: Close\r\n";
  for (const auto& [name, value] : resp.headers) {
    if (name != "Connection") out += name + ": " + value + "\r\n";
  }
  out += "Content-Type: " + resp.content_type + "\r\nContent-Length: " + std::to_string(resp.body.size()) +
         "\r\n\r\n" + resp.body;
  return out;
}

// Writes as much of `bytes` as the non-blocking socket takes now; the number written.
std::size_t SendNow(int fd, std::string_view bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  return sent;
}

// What the application sees of a framed request from `peer` (the framed request is moved from).
Request ToRequest(FramedRequest& framed, const std::shared_ptr<Tcp::Peer>& peer) {
  Request req;
  req.method = std::move(framed.method);
  req.path = std::move(framed.path);
  req.query = ParseQuery(framed.query, req.repeated_query);
  req.body = std::move(framed.body);
  req.authorization = std::move(framed.authorization);
  req.client = peer->address().host();
  return req;
}

std::shared_ptr<Connection> ConnectionOf(const std::shared_ptr<Tcp::Peer>& peer, const FramerLimits& limits) {
  if (auto data = peer->tryGetData(kConnectionKey)) return std::static_pointer_cast<Connection>(data);
  auto conn = std::make_shared<Connection>(limits);
  peer->putData(kConnectionKey, conn);
  return conn;
}

// Pistache 0.0.5 starves a queued write while its peer keeps sending: its event loop
// (Tcp::Transport::onReady) treats an event that is both readable and writable as readable only, so a
// refusal queued while the client was still sending its oversized head or body went out only if the
// socket happened to be quiet at that moment, and otherwise never (the client waited for its timeout).
// With nothing else queued on the connection, the refusal is written here on the non-blocking socket,
// which takes a few hundred bytes at once; a remainder, if any, goes through Pistache's queue.
void RefuseNow(Tcp::Transport* transport, const std::shared_ptr<Tcp::Peer>& peer,
               const std::shared_ptr<Connection>& conn, const Response& problem, std::size_t cap) {
  const std::string bytes = ClosingAnswerBytes(problem);
  const std::size_t sent = SendNow(peer->fd(), bytes);
  conn->closing = true;
  auto finish = [cap](const std::shared_ptr<Tcp::Peer>& p, Connection& c) {
    c.answered = true;
    ::shutdown(p->fd(), c.lingered > cap ? SHUT_RDWR : SHUT_WR);
  };
  if (sent == bytes.size()) {
    finish(peer, *conn);
    return;
  }
  std::weak_ptr<Tcp::Peer> weak = peer;
  transport->asyncWrite(peer->fd(), RawBuffer(bytes.substr(sent), bytes.size() - sent))
      .then(
          [weak, conn, finish](ssize_t) {
            if (auto p = weak.lock()) finish(p, *conn);
          },
          [](std::exception_ptr) {});
}

}  // namespace

void ConnectionHandler::onInput(const char* buffer, size_t len, const std::shared_ptr<Tcp::Peer>& peer) {
  auto conn = ConnectionOf(peer, limits_);
  if (conn->closing) {  // refused or closing: nothing more from this client is parsed or kept
    conn->lingered += len;
    if (conn->answered && conn->lingered > LingerBytes(limits_)) ::shutdown(peer->fd(), SHUT_RDWR);
    return;
  }
  const bool was_idle = !conn->framer.InProgress();
  conn->framer.Feed(std::string_view(buffer, len));
  if (was_idle && conn->framer.InProgress()) {
    // Pistache's idle check times a peer from its parser's reset: a request in progress (not idle) must
    // complete within the header/body timeouts, an idle keep-alive connection within the keep-alive one.
    getParser(peer)->reset();
    peer->setIdle(false);
  }
  // After a closing answer, what the client still sends is read and dropped (LingerBytes) rather than
  // reset at once.
  auto respond = [&](int minor_version, const Response& resp, bool keep_alive) {
    Http::ResponseWriter writer(minor_version == 0 ? Http::Version::Http10 : Http::Version::Http11,
                                transport(), this, peer);
    // HTTP/1.1 stays open without saying so (RFC 9112 §9.3); HTTP/1.0 only when asked, and says so.
    if (!keep_alive) {
      writer.headers().add<Http::Header::Connection>(Http::ConnectionControl::Close);
    } else if (minor_version == 0) {
      writer.headers().add<Http::Header::Connection>(Http::ConnectionControl::KeepAlive);
    }
    for (const auto& [name, value] : resp.headers) {
      if (name != "Connection") writer.headers().add(std::make_shared<TextHeader>(name, value));
    }
    if (!resp.body.empty() || resp.status != 204) {
      writer.headers().add(std::make_shared<TextHeader>("Content-Type", resp.content_type));
    }
    ++conn->queued;
    auto sent = writer.send(static_cast<Http::Code>(resp.status), resp.body);
    sent.then([conn](ssize_t) { --conn->queued; }, [conn](std::exception_ptr) { --conn->queued; });
    if (!keep_alive) {
      // Once the answer is on the wire, stop sending; the client closes its side when it has read the
      // answer, and Pistache then drops the connection. Input meanwhile lingers (see LingerBytes).
      std::weak_ptr<Tcp::Peer> weak = peer;
      sent.then(
          [weak, conn, cap = LingerBytes(limits_)](ssize_t) {
            conn->answered = true;
            if (auto p = weak.lock()) ::shutdown(p->fd(), conn->lingered > cap ? SHUT_RDWR : SHUT_WR);
          },
          [](std::exception_ptr) {});
      conn->closing = true;
    }
  };
  for (;;) {
    auto next = conn->framer.Next();
    if (std::holds_alternative<NeedMore>(next)) break;
    if (auto* error = std::get_if<FrameError>(&next)) {
      // The client may well still be sending (an oversized body, a huge header): the connection
      // lingers, so that the client reads the answer instead of a reset that discards it.
      const Response problem = Problem(error->status, error->detail, error->field);
      if (conn->queued == 0)
        RefuseNow(transport(), peer, conn, problem, LingerBytes(limits_));
      else
        respond(1, problem, false);
      return;
    }
    auto& framed = std::get<FramedRequest>(next);
    Request req = ToRequest(framed, peer);
    Response resp = server_->Handle(req);
    bool keep_alive = framed.keep_alive;
    for (const auto& [name, value] : resp.headers) {
      if (name == "Connection" && value == "close") keep_alive = false;
    }
    respond(framed.minor_version, resp, keep_alive);
    if (!keep_alive) return;
    getParser(peer)->reset();
    peer->setIdle(!conn->framer.InProgress());
  }
  if (conn->framer.TakeContinue()) {
    // The head is acceptable and the client waits before sending the body (curl does for large ones).
    static constexpr char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
    transport()->asyncWrite(peer->fd(), RawBuffer(kContinue, sizeof kContinue - 1));
  }
}

}  // namespace driftgate::api

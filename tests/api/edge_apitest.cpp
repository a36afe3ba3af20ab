// The edge before authentication, against the real server (in-process, port 0, raw sockets where framing
// matters): connection persistence (RFC 9112 §9.3), refusals of oversized heads and bodies before they
// are read, no desynchronisation, failed-authentication limits, the token caches under a flood, model
// identity of restricted tokens, and short error bodies.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "db/pool.h"
#include "service/access/auth.h"
#include "tests/support/test_db.h"
#include "tests/support/test_server.h"

namespace driftgate {
namespace {

using nlohmann::json;
using test_support::kAdminToken;
using test_support::TestDatabase;
using test_support::TestServer;
using test_support::TestServerOptions;

// A raw client connection to 127.0.0.1:port.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // Sends all of `data`; false when the peer closed or reset.
  bool Send(std::string_view data) {
    while (!data.empty()) {
      const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<std::size_t>(n));
    }
    return true;
  }
  // Reads until `done(received)` holds, the peer closes (`closed` set) or `timeout` passes.
  template <class Done>
  std::string ReadUntil(Done done, std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done(received_) && !closed_) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd p{.fd = fd_, .events = POLLIN, .revents = 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[65536];
      const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        break;
      }
      received_.append(buf, static_cast<std::size_t>(n));
    }
    return received_;
  }
  // Reads until `count` complete responses (heads with Content-Length bodies) arrived.
  std::string ReadResponses(std::size_t count) {
    return ReadUntil([count](const std::string& s) { return CountResponses(s) >= count; });
  }
  bool closed() const { return closed_; }

  static std::size_t CountResponses(const std::string& s) {
    std::size_t n = 0, at = 0;
    for (;;) {
      const auto head_end = s.find("\r\n\r\n", at);
      if (head_end == std::string::npos) return n;
      const auto cl = s.find("Content-Length: ", at);
      const std::size_t length = cl < head_end ? std::stoul(s.substr(cl + 16)) : 0;
      if (head_end + 4 + length > s.size()) return n;
      ++n;
      at = head_end + 4 + length;
    }
  }

 private:
  int fd_;
  bool connected_ = false;
  bool closed_ = false;
  std::string received_{};
};

std::size_t Occurrences(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) ++n;
  return n;
}

const std::string kHealthz = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n";

TEST(Edge, Http11ConnectionsStayOpenWithoutAConnectionHeader) {
  TestDatabase db;
  TestServer server(db.url());
  RawConnection c(server.port());
  ASSERT_TRUE(c.connected());
  ASSERT_TRUE(c.Send(kHealthz));
  const std::string first = c.ReadResponses(1);
  EXPECT_EQ(first.rfind("HTTP/1.1 200", 0), 0u) << first;
  EXPECT_EQ(first.find("Connection"), std::string::npos) << first;
  // Two more on the same connection, pipelined: answered in order, and the connection is still open.
  ASSERT_TRUE(c.Send(kHealthz + "GET /nope HTTP/1.1\r\nHost: t\r\n\r\n"));
  const std::string all = c.ReadResponses(3);
  EXPECT_EQ(RawConnection::CountResponses(all), 3u);
  EXPECT_NE(all.find("HTTP/1.1 404"), std::string::npos);
  EXPECT_FALSE(c.closed());
  // Asked to close: answered with Connection: close, then closed by the server.
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"));
  const std::string last = c.ReadUntil([](const std::string&) { return false; });
  EXPECT_TRUE(c.closed());
  EXPECT_EQ(RawConnection::CountResponses(last), 4u);
  EXPECT_NE(last.rfind("Connection: Close"), std::string::npos);
}

TEST(Edge, Http10ClosesUnlessAskedToKeepAlive) {
  TestDatabase db;
  TestServer server(db.url());
  {
    RawConnection c(server.port());
    ASSERT_TRUE(c.Send("GET /healthz HTTP/1.0\r\n\r\n"));
    const std::string r = c.ReadUntil([](const std::string&) { return false; });
    EXPECT_EQ(r.rfind("HTTP/1.0 200", 0), 0u) << r;
    EXPECT_NE(r.find("Connection: Close"), std::string::npos) << r;
    EXPECT_TRUE(c.closed());
  }
  RawConnection c(server.port());
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  const std::string r = c.ReadResponses(1);
  EXPECT_NE(r.find("Connection: Keep-Alive"), std::string::npos) << r;
  ASSERT_TRUE(c.Send("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  EXPECT_EQ(RawConnection::CountResponses(c.ReadResponses(2)), 2u);
  EXPECT_FALSE(c.closed());
}

void ExpectRefusedAndClosed(const std::string& answer, bool closed, int status, const std::string& detail) {
  EXPECT_EQ(answer.rfind("HTTP/1.1 " + std::to_string(status), 0), 0u) << answer.substr(0, 300);
  EXPECT_NE(answer.find("application/problem+json"), std::string::npos);
  EXPECT_NE(answer.find(detail), std::string::npos) << answer.substr(0, 300);
  EXPECT_EQ(RawConnection::CountResponses(answer), 1u);
  EXPECT_TRUE(closed);
}

TEST(Edge, OversizedHeadsAreRefusedWith414And431AndTheConnectionClosed) {
  TestDatabase db;
  TestServer server(db.url());
  const std::string query = "GET /healthz?q=" + std::string(2u << 20, 'a') + " HTTP/1.1\r\nHost: t\r\n\r\n";
  const std::string header =
      "GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(2u << 20, 'b') + "\r\n\r\n";
  for (const auto& [request, status] : {std::pair{query, 414}, std::pair{header, 431}}) {
    RawConnection c(server.port());
    c.Send(request);  // the server may close before all of it is sent
    const std::string r = c.ReadUntil([](const std::string&) { return false; });
    ExpectRefusedAndClosed(r, c.closed(), status, status == 414 ? "request line" : "request head");
  }
  RawConnection ok(server.port());
  ASSERT_TRUE(ok.Send(kHealthz));
  EXPECT_EQ(ok.ReadResponses(1).rfind("HTTP/1.1 200", 0), 0u);
}

TEST(Edge, AnAnnouncedBodyOverTheLimitIsRefusedBeforeItIsSent) {
  TestDatabase db;
  TestServer server(db.url());
  RawConnection c(server.port());
  ASSERT_TRUE(
      c.Send("POST /v1/models/m/predictions HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer x\r\n"
             "Content-Length: " +
             std::to_string(120u << 20) + "\r\n\r\n"));
  const std::string r = c.ReadUntil([](const std::string&) { return false; });
  ExpectRefusedAndClosed(r, c.closed(), 413, "exceeds the limit");
  EXPECT_NE(r.find("\"field\":\"body\""), std::string::npos);
}

// A client that sends an oversized body whole, without waiting for an answer (Python's http.client,
// most scripts), can send all of it and then reads the 413: the server lingers rather than resetting.
TEST(Edge, AClientSendingAnOversizedBodyWholeStillReadsTheRefusal) {
  TestDatabase db;
  TestServer server(db.url());
  const std::string body(10u << 20, 'x');  // over the 8 MiB limit, and over any socket buffer
  RawConnection c(server.port());
  EXPECT_TRUE(
      c.Send("POST /v1/models/m/predictions HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer x\r\n"
             "Content-Type: application/json\r\nContent-Length: " +
             std::to_string(body.size()) + "\r\n\r\n" + body));
  const std::string r = c.ReadUntil([](const std::string&) { return false; });
  ExpectRefusedAndClosed(r, c.closed(), 413, "exceeds the limit");
}

// 129 MiB of `GET /healthz` request lines as the body of one request: one 413, nothing else, ever.
TEST(Edge, ASmugglingBodyYieldsExactlyOneResponse) {
  TestDatabase db;
  TestServer server(db.url());
  std::string lines;
  while (lines.size() < (1u << 20)) lines += kHealthz;
  const std::size_t chunks = 129;
  RawConnection c(server.port());
  std::thread sender([&] {
    if (!c.Send("GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: " +
                std::to_string(chunks * lines.size()) + "\r\n\r\n")) {
      return;
    }
    for (std::size_t i = 0; i < chunks && c.Send(lines); ++i) {
    }
  });
  const std::string r = c.ReadUntil([](const std::string&) { return false; }, std::chrono::seconds(30));
  sender.join();
  EXPECT_EQ(Occurrences(r, "HTTP/1.1 "), 1u) << r.substr(0, 300);
  EXPECT_EQ(r.rfind("HTTP/1.1 413", 0), 0u);
  EXPECT_TRUE(c.closed());
}

TEST(Edge, ExpectContinueGets100BeforeTheBodyUnlessItIsTooLarge) {
  TestDatabase db;
  TestServer server(db.url());
  RawConnection c(server.port());
  ASSERT_TRUE(
      c.Send("POST /healthz HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n"));
  const std::string interim =
      c.ReadUntil([](const std::string& s) { return s.find("\r\n\r\n") != std::string::npos; });
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_TRUE(c.Send("{}"));
  const std::string final_answer =
      c.ReadUntil([](const std::string& s) { return s.find("HTTP/1.1 405") != std::string::npos; });
  EXPECT_NE(final_answer.find("HTTP/1.1 405"), std::string::npos) << final_answer;
  RawConnection big(server.port());
  ASSERT_TRUE(big.Send("POST /healthz HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: " +
                       std::to_string(64u << 20) + "\r\n\r\n"));
  const std::string refused = big.ReadUntil([](const std::string&) { return false; });
  EXPECT_EQ(refused.rfind("HTTP/1.1 413", 0), 0u) << refused;
  EXPECT_EQ(refused.find("100 Continue"), std::string::npos);
}

TEST(Edge, ChunkedBodiesWorkAndAreCountedAgainstTheLimit) {
  TestDatabase db;
  TestServerOptions options;
  options.max_body_bytes = 1000;
  TestServer server(db.url(), options);
  const std::string auth = std::string("Authorization: Bearer ") + kAdminToken + "\r\n";
  {
    RawConnection c(server.port());
    const std::string body = R"({"name": "x"})";
    char size[16];
    std::snprintf(size, sizeof size, "%zx", body.size());
    ASSERT_TRUE(c.Send("POST /v1/models HTTP/1.1\r\nHost: t\r\n" + auth +
                       "Transfer-Encoding: chunked\r\n\r\n" + size + "\r\n" + body + "\r\n0\r\n\r\n" +
                       kHealthz));
    const std::string r = c.ReadResponses(2);
    EXPECT_EQ(r.rfind("HTTP/1.1 400", 0), 0u) << r;  // the body arrived whole: its content is judged
    EXPECT_NE(r.find("\"field\":\"task\""), std::string::npos) << r;
    EXPECT_NE(r.find("HTTP/1.1 200"), std::string::npos);
  }
  RawConnection c(server.port());
  ASSERT_TRUE(c.Send("POST /v1/models HTTP/1.1\r\nHost: t\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n" +
                     "200\r\n" + std::string(512, 'x') + "\r\n200\r\n"));
  const std::string r = c.ReadUntil([](const std::string&) { return false; });
  ExpectRefusedAndClosed(r, c.closed(), 413, "chunked body exceeds");
}

TEST(Edge, ErrorBodiesEchoOnlyAShortPrefixOfThePath) {
  TestDatabase db;
  TestServer server(db.url());
  const std::string long_path = "/" + std::string(7000, 'p');
  const auto r404 = server.Raw("GET", long_path, "");
  EXPECT_EQ(r404.status, 404);
  EXPECT_LT(r404.body.size(), 400u) << r404.body.size();
  EXPECT_NE(r404.body.find("/ppp"), std::string::npos);
  const auto r405 = server.Raw("PATCH", "/healthz", "");
  EXPECT_EQ(r405.status, 405);
  const auto model = server.Raw("GET", "/v1/models/" + std::string(5000, 'M'), "",
                                {std::string("Authorization: Bearer ") + kAdminToken});
  EXPECT_EQ(model.status, 404);
  EXPECT_LT(model.body.size(), 400u);
}

std::string FakeToken(int i) {
  std::string t = "dg_" + std::to_string(i);
  t.resize(3 + 43, 'A');
  return t;
}

// A flood of well-formed fake tokens larger than every cache: the real token, cached as valid, is neither
// evicted nor cleared (its row is gone, so only the cache can still answer for it).
TEST(Edge, AFakeTokenFloodDoesNotEvictARealToken) {
  TestDatabase db;
  db::Pool pool({.url = db.url(), .size = 2});
  service::AuthenticatorOptions options;
  options.cache_ttl = std::chrono::seconds(120);
  options.cache_capacity = 100;
  options.unknown_capacity = 100;
  options.throttle.failures_per_second = 0;
  service::Authenticator auth(kAdminToken, pool, options);
  const std::string real = service::NewTokenValue();
  db.Scalar("INSERT INTO tokens (name, hash, scopes) VALUES ('real', decode('" +
            service::HexOf(service::HashToken(real)) + "', 'hex'), '{read}') RETURNING 1");
  ASSERT_TRUE(auth.Authenticate("Bearer " + real).ok());
  db.Scalar("DELETE FROM tokens RETURNING 1");
  for (int i = 0; i < 1000; ++i) {
    const auto r = auth.Authenticate("Bearer " + FakeToken(i));
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().code, ErrorCode::kUnauthorized);
  }
  const auto after = auth.Authenticate("Bearer " + real);
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->scopes, std::vector<service::Scope>{service::Scope::kRead});
}

TEST(Edge, FailedAuthenticationsAreLimitedPerAddressWith429AndRetryAfter) {
  TestDatabase db;
  TestServerOptions options;
  options.auth_failures_per_second = 0.5;
  options.auth_failure_burst = 5;
  TestServer server(db.url(), options);
  // A real token used once before the flood is cached as valid and keeps working through it.
  const auto created = server.Call("POST", "/v1/tokens", json{{"name", "r"}, {"scopes", {"read"}}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::vector<std::string> real = {"Authorization: Bearer " +
                                         created.Json()["token"].get<std::string>()};
  ASSERT_EQ(server.Raw("GET", "/v1/models", "", real).status, 200);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(server.Raw("GET", "/v1/models", "", {"Authorization: Bearer " + FakeToken(i)}).status, 401);
  }
  const auto limited = server.Raw("GET", "/v1/models", "", {"Authorization: Bearer " + FakeToken(99)});
  EXPECT_EQ(limited.status, 429) << limited.body;
  EXPECT_EQ(limited.Header("content-type"), "application/problem+json");
  EXPECT_EQ(limited.Header("retry-after"), "2");
  EXPECT_EQ(server.Raw("GET", "/v1/models", "", {}).status, 429);  // no token is a failure too
  EXPECT_EQ(server.Raw("GET", "/v1/models", "", real).status, 200);
  EXPECT_EQ(server.Call("GET", "/v1/models").status, 200);  // the admin token is checked first
  EXPECT_EQ(server.Raw("GET", "/healthz", "", {}).status, 200);
}

// A token restricted to a model follows that model's id: deleted and created again under the same name,
// it is another model, and the token is refused.
TEST(Edge, AModelRestrictedTokenStopsWorkingForARecreatedModelOfTheSameName) {
  TestDatabase db;
  TestServer server(db.url());
  ASSERT_EQ(
      server.Call("POST", "/v1/models", test_support::BinaryModel("fraud", "http://127.0.0.1:9/h")).status,
      201);
  const auto created =
      server.Call("POST", "/v1/tokens", json{{"name", "t"}, {"scopes", {"read"}}, {"model", "fraud"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::vector<std::string> token = {"Authorization: Bearer " +
                                          created.Json()["token"].get<std::string>()};
  EXPECT_EQ(server.Raw("GET", "/v1/models/fraud", "", token).status, 200);
  ASSERT_EQ(server.Call("DELETE", "/v1/models/fraud").status, 204);
  ASSERT_EQ(
      server.Call("POST", "/v1/models", test_support::BinaryModel("fraud", "http://127.0.0.1:9/h")).status,
      201);
  const auto refused = server.Raw("GET", "/v1/models/fraud", "", token);
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_NE(refused.body.find("deleted"), std::string::npos);
  // A token created before its model exists binds to the first model of that name it meets.
  const auto early =
      server.Call("POST", "/v1/tokens", json{{"name", "e"}, {"scopes", {"read"}}, {"model", "later"}});
  ASSERT_EQ(early.status, 201);
  const std::vector<std::string> early_token = {"Authorization: Bearer " +
                                                early.Json()["token"].get<std::string>()};
  EXPECT_EQ(server.Raw("GET", "/v1/models/later", "", early_token).status, 404);
  ASSERT_EQ(
      server.Call("POST", "/v1/models", test_support::BinaryModel("later", "http://127.0.0.1:9/h")).status,
      201);
  EXPECT_EQ(server.Raw("GET", "/v1/models/later", "", early_token).status, 200);
  EXPECT_EQ(db.Scalar("SELECT (model_id = (SELECT id FROM models WHERE name = 'later'))::text FROM tokens "
                      "WHERE name = 'e'"),
            "true");
  ASSERT_EQ(server.Call("DELETE", "/v1/models/later").status, 204);
  ASSERT_EQ(
      server.Call("POST", "/v1/models", test_support::BinaryModel("later", "http://127.0.0.1:9/h")).status,
      201);
  EXPECT_EQ(server.Raw("GET", "/v1/models/later", "", early_token).status, 403);
}

}  // namespace
}  // namespace driftgate

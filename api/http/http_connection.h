// The Pistache side of the server: one handler per event-loop thread that takes over Pistache's input
// path (Http::Handler::onInput) so that every byte a client sends goes through api::RequestFramer first.
//
// Why not Pistache's own parser (0.0.5): it keeps the whole request — line, headers and body — in one
// buffer of `maxRequestSize` bytes, re-parses an unfinished request line or header block from its start on
// every read (quadratic in its length), and after refusing an oversized request it resets and parses the
// rest of that body as new requests (a desynchronised connection). Here the framer bounds and frames the
// request in linear time, refuses oversize before reading it, and the handler then closes the connection
// after the one error answer. Pistache still owns the sockets, the event loops, the response writing and
// the idle/header timeouts (its RequestParser per peer is kept only as the timeout clock).
#pragma once

#include <pistache/http.h>
#include <pistache/peer.h>

#include <memory>

#include "api/http/request_framer.h"

namespace driftgate::api {

class Server;

class ConnectionHandler : public Pistache::Http::Handler {
 public:
  HTTP_PROTOTYPE(ConnectionHandler)
  ConnectionHandler(const Server* server, FramerLimits limits) : server_(server), limits_(limits) {}

  // Never called: onInput below does not hand requests to Pistache's parser.
  void onRequest(const Pistache::Http::Request&, Pistache::Http::ResponseWriter) override {}

 private:
  void onInput(const char* buffer, size_t len, const std::shared_ptr<Pistache::Tcp::Peer>& peer) override;

  const Server* server_;
  FramerLimits limits_;
};

}  // namespace driftgate::api

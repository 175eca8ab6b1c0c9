#pragma once
// An HTTP/1.1 keep-alive connection: reads requests one at a time, answers them through
// http_router, and hands the connection to a WebSocket session on an upgrade to /ws.
#include <string>

#include <boost/asio/ssl/context.hpp>

#include "net/socket_types.hpp"

namespace parley::net {

class ServerState;

void startHttpSession(Socket socket, ServerState& state);
void startHttpsSession(Socket socket, boost::asio::ssl::context& tls, ServerState& state);

// The client's IP address as text ("unknown" when the socket no longer has a peer).
std::string peerAddressOf(const Socket& socket);

// Closes a connection refused as soon as it was accepted, with a reset: no TIME_WAIT is kept
// for a client that is turned away (over its address's share, or the file table full).
void closeAtAccept(Socket socket);

}  // namespace parley::net

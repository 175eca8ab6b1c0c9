#pragma once
// An HTTP/1.1 keep-alive connection: reads requests one at a time, answers them through
// http_router, and hands the connection to a WebSocket session on an upgrade to /ws.
#include <boost/asio/ssl/context.hpp>

#include "net/socket_types.hpp"

namespace parley::net {

class ServerState;

void startHttpSession(Socket socket, ServerState& state);
void startHttpsSession(Socket socket, boost::asio::ssl::context& tls, ServerState& state);

}  // namespace parley::net

#pragma once
// An HTTP/1.1 keep-alive connection: reads requests one at a time, answers them through
// http_router, and hands the connection to a WebSocket session on an upgrade to /ws.
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

namespace parley::net {

class ServerState;

void startHttpSession(boost::asio::ip::tcp::socket socket, ServerState& state);
void startHttpsSession(boost::asio::ip::tcp::socket socket, boost::asio::ssl::context& tls,
                       ServerState& state);

}  // namespace parley::net

#pragma once
// Beast's streams over the accepted socket type (socket_types.hpp): what HTTP connections and
// TLS WebSocket sessions read and write through.
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include "net/socket_types.hpp"

namespace parley::net {

using TcpStream = boost::beast::basic_stream<Socket::protocol_type, Socket::executor_type>;
using TlsStream = boost::beast::ssl_stream<TcpStream>;

}  // namespace parley::net

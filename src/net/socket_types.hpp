#pragma once
// The socket every connection is accepted as and keeps: typed on the io_context's own executor
// rather than any_io_executor, which makes the socket and each of its pending operations
// smaller (a readiness wait: 104 bytes instead of 208 with Boost 1.81). The listener accepts
// into this type, so an upgraded connection keeps its descriptor and epoll registration.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

namespace parley::net {

using Socket = boost::asio::basic_stream_socket<boost::asio::ip::tcp, boost::asio::io_context::executor_type>;

}  // namespace parley::net

#pragma once
// Accepts TCP connections and starts an HTTP (or HTTPS) session for each.
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/socket_types.hpp"

namespace parley::net {

class ServerState;

class Listener final : public std::enable_shared_from_this<Listener> {
public:
    // Binds and listens right away; throws std::runtime_error when that fails.
    // `tls` (may be null: plain HTTP) and `state` must outlive the listener.
    Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint,
             boost::asio::ssl::context* tls, ServerState& state);

    void start();
    void stop();
    boost::asio::ip::tcp::endpoint localEndpoint() const;

private:
    void doAccept();
    void onAccept(boost::system::error_code error, Socket socket);

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer retryTimer_;
    boost::asio::ssl::context* tls_;
    ServerState& state_;
};

}  // namespace parley::net

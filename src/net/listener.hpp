#pragma once
// Accepts TCP connections and starts a session for each: HTTP or HTTPS on the main port, a
// redirect to HTTPS on --redirect-http-port.
#include <chrono>
#include <functional>
#include <memory>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/socket_types.hpp"

namespace parley::net {

class ServerState;

class Listener final : public std::enable_shared_from_this<Listener> {
public:
    using Start = std::function<void(Socket)>;

    // Binds and listens right away; throws std::runtime_error when that fails. `start` takes
    // each accepted connection; `state` (refusals are counted there) must outlive the listener.
    Listener(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, Start start,
             ServerState& state);

    ~Listener();

    // Connections whose descriptor would be numbered within this many of the open-file limit
    // are closed on accept: the kernel hands out the lowest free number, so such a number means
    // the file table is nearly full, and the rest is kept for the server's own files.
    static constexpr int kReservedFiles = 32;

    void start();
    void stop();
    boost::asio::ip::tcp::endpoint localEndpoint() const;

private:
    void doAccept();
    void onAccept(boost::system::error_code error, Socket socket);
    // Out of descriptors: lets go of the spare one to accept the waiting connection and close
    // it at once, then takes the spare back. False if there was nothing to accept.
    bool shedOne();

    boost::asio::io_context& io_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer retryTimer_;
    Start start_;
    ServerState& state_;
    int reserveFrom_;
    int spare_ = -1;  // an open /dev/null, given up to accept-and-close when out of descriptors
    std::chrono::steady_clock::time_point lastAcceptWarning_{};
};

}  // namespace parley::net

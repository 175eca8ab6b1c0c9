#include "net/listener.hpp"

#include <chrono>
#include <stdexcept>

#include <boost/beast/core/bind_handler.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "net/http_session.hpp"

namespace parley::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Listener::Listener(asio::io_context& io, const tcp::endpoint& endpoint, asio::ssl::context* tls,
                   ServerState& state)
    : io_(io), acceptor_(io), retryTimer_(io), tls_(tls), state_(state) {
    boost::system::error_code error;
    const auto fail = [&](const char* step) {
        throw std::runtime_error(fmt::format("cannot listen on {}:{} ({}): {}",
                                             endpoint.address().to_string(), endpoint.port(),
                                             step, error.message()));
    };
    acceptor_.open(endpoint.protocol(), error);
    if (error) fail("open");
    acceptor_.set_option(asio::socket_base::reuse_address(true), error);
    if (error) fail("reuse_address");
    acceptor_.bind(endpoint, error);
    if (error) fail("bind");
    acceptor_.listen(asio::socket_base::max_listen_connections, error);
    if (error) fail("listen");
}

void Listener::start() { doAccept(); }

void Listener::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retryTimer_.cancel();
}

tcp::endpoint Listener::localEndpoint() const {
    boost::system::error_code ignored;
    return acceptor_.local_endpoint(ignored);
}

void Listener::doAccept() {
    acceptor_.async_accept(io_, boost::beast::bind_front_handler(&Listener::onAccept,
                                                                 shared_from_this()));
}

void Listener::onAccept(boost::system::error_code error, Socket socket) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (error) {
        // Typically out of file descriptors: pause briefly instead of spinning on the error.
        spdlog::warn("accept failed: {}", error.message());
        retryTimer_.expires_after(std::chrono::milliseconds(100));
        retryTimer_.async_wait([self = shared_from_this()](boost::system::error_code waitError) {
            if (!waitError) self->doAccept();
        });
        return;
    }
    if (tls_) {
        startHttpsSession(std::move(socket), *tls_, state_);
    } else {
        startHttpSession(std::move(socket), state_);
    }
    doAccept();
}

}  // namespace parley::net

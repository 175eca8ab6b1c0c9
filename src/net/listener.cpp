#include "net/listener.hpp"

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <stdexcept>

#include <boost/beast/core/bind_handler.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "net/http_session.hpp"
#include "net/server_state.hpp"

namespace parley::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {

int reserveStart() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY ||
        limit.rlim_cur > static_cast<rlim_t>(INT_MAX)) {
        return INT_MAX;
    }
    return static_cast<int>(limit.rlim_cur) - Listener::kReservedFiles;
}

int openSpare() { return ::open("/dev/null", O_RDONLY | O_CLOEXEC); }

bool outOfFiles(const boost::system::error_code& error) {
    return error == asio::error::no_descriptors ||
           error == boost::system::error_code(ENFILE, boost::system::system_category());
}

}  // namespace

Listener::Listener(asio::io_context& io, const tcp::endpoint& endpoint, Start start, ServerState& state)
    : io_(io), acceptor_(io), retryTimer_(io), start_(std::move(start)), state_(state),
      reserveFrom_(reserveStart()), spare_(openSpare()) {
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

Listener::~Listener() {
    if (spare_ >= 0) ::close(spare_);
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
    if (error && outOfFiles(error) && shedOne()) {
        // The waiting connection was closed at once instead of waiting in the backlog for a
        // descriptor: its client hears so now, and the next in line is looked at.
        state_.countRefusedConnection(ServerState::Refusal::FileLimit);
        doAccept();
        return;
    }
    if (error) {
        // Nothing could be shed (or another error): pause briefly instead of spinning on it,
        // and say so once a minute at most.
        const auto now = std::chrono::steady_clock::now();
        if (now - lastAcceptWarning_ >= std::chrono::minutes(1)) {
            lastAcceptWarning_ = now;
            spdlog::warn("accept failed: {} (retrying every 100 ms; next report in a minute at most)",
                         error.message());
        }
        retryTimer_.expires_after(std::chrono::milliseconds(100));
        retryTimer_.async_wait([self = shared_from_this()](boost::system::error_code waitError) {
            if (!waitError) self->doAccept();
        });
        return;
    }
    if (socket.native_handle() >= reserveFrom_) {
        state_.countRefusedConnection(ServerState::Refusal::FileLimit);
        closeAtAccept(std::move(socket));
    } else {
        start_(std::move(socket));
    }
    doAccept();
}

bool Listener::shedOne() {
    if (spare_ >= 0) {
        ::close(spare_);
        spare_ = -1;
    }
    const int fd = ::accept4(acceptor_.native_handle(), nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd >= 0) {
        const linger reset{1, 0};
        ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
        ::close(fd);
    }
    spare_ = openSpare();
    return fd >= 0;
}

}  // namespace parley::net

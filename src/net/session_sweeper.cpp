#include "net/session_sweeper.hpp"

namespace parley::net {

SessionSweeper::SessionSweeper(boost::asio::io_context& io, SessionRegistry& registry)
    : registry_(registry), timer_(io) {}

void SessionSweeper::start() {
    running_ = true;
    arm();
}

void SessionSweeper::stop() {
    running_ = false;
    timer_.cancel();
}

void SessionSweeper::arm() {
    timer_.expires_after(kInterval);
    // Owned by the Server, which outlives the io_context's run; stop() cancels.
    timer_.async_wait([this](boost::system::error_code error) {
        if (error || !running_) return;
        registry_.sweep(std::chrono::steady_clock::now());
        arm();
    });
}

}  // namespace parley::net

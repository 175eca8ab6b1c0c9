#pragma once
// Applies the sessions' time rules (idle timeout, close deadline) a few times a second: one
// timer for the server instead of two per connection.
#include <chrono>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "net/session_registry.hpp"

namespace parley::net {

class SessionSweeper {
public:
    static constexpr std::chrono::milliseconds kInterval{250};

    SessionSweeper(boost::asio::io_context& io, SessionRegistry& registry);

    void start();
    void stop();

private:
    void arm();

    SessionRegistry& registry_;
    boost::asio::steady_timer timer_;
    bool running_ = false;
};

}  // namespace parley::net

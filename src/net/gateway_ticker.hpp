#pragma once
// Drives the Gateway's timers (session length, slots, resume grace periods): calls tick()
// when the next one is due, and at least every kMaxTickInterval in case a message handled
// meanwhile scheduled an earlier one.
#include <chrono>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/clock.hpp"
#include "protocol/gateway.hpp"

namespace parley::net {

class GatewayTicker {
public:
    static constexpr std::chrono::milliseconds kMaxTickInterval{250};

    GatewayTicker(boost::asio::io_context& io, protocol::Gateway& gateway, const core::Clock& clock);

    void start();
    void stop();

private:
    void arm();
    void onTimer(boost::system::error_code error);

    protocol::Gateway& gateway_;
    const core::Clock& clock_;
    boost::asio::steady_timer timer_;
    bool running_ = false;
};

}  // namespace parley::net

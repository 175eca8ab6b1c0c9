#include "net/gateway_ticker.hpp"

#include <algorithm>
#include <exception>

#include <spdlog/spdlog.h>

namespace parley::net {

GatewayTicker::GatewayTicker(boost::asio::io_context& io, protocol::Gateway& gateway,
                             const core::Clock& clock)
    : gateway_(gateway), clock_(clock), timer_(io) {}

void GatewayTicker::start() {
    running_ = true;
    arm();
}

void GatewayTicker::stop() {
    running_ = false;
    timer_.cancel();
}

void GatewayTicker::arm() {
    std::chrono::milliseconds wait = kMaxTickInterval;
    if (const auto due = gateway_.nextDueMs()) {
        const auto untilDue = std::chrono::milliseconds(std::max<std::int64_t>(0, *due - clock_.nowMs()));
        wait = std::min(wait, untilDue);
    }
    timer_.expires_after(wait);
    // The ticker is owned by the Server, which outlives the io_context's run; stop() cancels.
    timer_.async_wait([this](boost::system::error_code error) { onTimer(error); });
}

void GatewayTicker::onTimer(boost::system::error_code error) {
    if (error || !running_) return;
    const auto due = gateway_.nextDueMs();
    if (due && *due <= clock_.nowMs()) {
        try {
            gateway_.tick();
        } catch (const std::exception& fault) {
            spdlog::error("gateway fault in tick: {}", fault.what());
        }
    }
    arm();
}

}  // namespace parley::net

#pragma once
// Gives freed heap back to the operating system. glibc keeps what a burst freed (a room's
// replay logs, a slow consumer's queue, thousands of closed connections) for reuse, so the
// resident size stays at its peak; an operator then cannot tell a spike that passed from a
// leak. Every 10 s, when more than 16 MiB of the heap is free, malloc_trim returns it. Cheap
// when there is nothing to return, and never on the path of a message.
#include <chrono>
#include <cstddef>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

namespace parley::net {

class HeapTrimmer {
public:
    static constexpr std::chrono::seconds kInterval{10};
    static constexpr std::size_t kFreeBytesWorthTrimming = 16 * 1024 * 1024;

    explicit HeapTrimmer(boost::asio::io_context& io) : timer_(io) {}

    void start();
    void stop();

private:
    void arm();

    boost::asio::steady_timer timer_;
    bool running_ = false;
};

}  // namespace parley::net

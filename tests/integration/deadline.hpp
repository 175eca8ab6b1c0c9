#pragma once
// Runs one asynchronous Asio/Beast operation to completion or until a deadline, so a reply
// that never comes fails a test instead of hanging it.
#include <boost/asio/error.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>

namespace parley::itest {

// How long a test waits for anything the server should send promptly.
inline constexpr std::chrono::milliseconds kReplyTimeout{3000};

// `start(handler)` begins the operation; `abort()` closes the socket so a late operation
// completes (with an error) before this returns. Returns the operation's error, or
// asio::error::timed_out.
template <class Start, class Abort>
boost::system::error_code runWithDeadline(boost::asio::io_context& io, std::chrono::milliseconds limit,
                                          Start&& start, Abort&& abort) {
    std::optional<boost::system::error_code> result;
    start([&result](boost::system::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run_for(limit);  // returns early once the operation completed and no work is left
    if (result) return *result;
    abort();
    io.restart();
    io.run();
    return boost::asio::error::timed_out;
}

}  // namespace parley::itest

// --handshake-timeout 1: a connection that never completes its first request (silent, or a
// slowly dribbled header) is closed by the server; a prompt one is served.
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <array>
#include <chrono>

#include "deadline.hpp"
#include "http_get.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

namespace asio = boost::asio;

class HandshakeTimeout : public ServerSuite<HandshakeTimeout> {
public:
    static std::vector<std::string> serverFlags() { return {"--handshake-timeout", "1"}; }
};

// Well above the 1 s timeout, well below ctest's limit.
constexpr std::chrono::milliseconds kClosedWithin{6000};

// Connects, writes `prefix` (maybe nothing), then waits for the server to end the connection.
// Returns the read's error: eof when the server closed it, timed_out when it never did.
boost::system::error_code leaveIncomplete(std::uint16_t port, std::string_view prefix) {
    asio::io_context io;
    asio::ip::tcp::socket socket(io);
    auto abort = [&] {
        boost::system::error_code ignored;
        socket.close(ignored);
    };
    const asio::ip::tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    auto ec = runWithDeadline(io, kReplyTimeout,
                              [&](auto handler) { socket.async_connect(endpoint, std::move(handler)); }, abort);
    if (ec) throw std::runtime_error("connect: " + ec.message());
    if (!prefix.empty()) {
        ec = runWithDeadline(io, kReplyTimeout, [&](auto handler) {
            asio::async_write(socket, asio::buffer(prefix.data(), prefix.size()), std::move(handler));
        }, abort);
        if (ec) throw std::runtime_error("write: " + ec.message());
    }
    std::array<char, 256> sink{};
    return runWithDeadline(io, kClosedWithin, [&](auto handler) {
        asio::async_read(socket, asio::buffer(sink), std::move(handler));
    }, abort);
}

bool closedByServer(const boost::system::error_code& ec) {
    return ec == asio::error::eof || ec == asio::error::connection_reset;
}

TEST_F(HandshakeTimeout, ASilentConnectionIsClosed) {
    const auto ec = leaveIncomplete(port(), "");
    EXPECT_TRUE(closedByServer(ec)) << ec.message();
}

TEST_F(HandshakeTimeout, AnUnfinishedUpgradeRequestIsClosed) {
    const auto ec = leaveIncomplete(port(), "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n");
    EXPECT_TRUE(closedByServer(ec)) << ec.message();
}

TEST_F(HandshakeTimeout, APromptRequestIsServed) {
    EXPECT_EQ(httpGet(port(), "/health").status, 200u);
}

}  // namespace
}  // namespace parley::itest

// The TCP side of a media port, on a real loopback socket and an event loop run by the test:
// frames reach the listener whole, replies go back framed, and the limits hold (a cap on
// connections, only STUN and only for a while before a check passes, a cap on bytes queued).
#include "media/tcp_media_listener.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <vector>

#include "media/tcp_framing.hpp"

using namespace parley::media;
namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// A STUN binding request header as classifyPacket() sees it (the listener checks only the kind:
// whether the check is valid is the transport's business).
std::vector<std::uint8_t> stunLike() {
    std::vector<std::uint8_t> p{0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42};
    p.resize(20, 7);
    return p;
}

std::vector<std::uint8_t> framed(const std::vector<std::uint8_t>& packet) {
    std::vector<std::uint8_t> out;
    appendTcpFrame(out, packet);
    return out;
}

struct TcpListenerTest : ::testing::Test, TcpMediaListener::Listener {
    asio::io_context io;
    std::vector<std::vector<std::uint8_t>> frames;
    std::vector<tcp::endpoint> framesFrom, closedPaths;
    std::function<void(const tcp::endpoint&)> onFirstFrame;

    void onFrame(std::span<const std::uint8_t> frame, const tcp::endpoint& from) override {
        frames.emplace_back(frame.begin(), frame.end());
        framesFrom.push_back(from);
        if (onFirstFrame) std::exchange(onFirstFrame, nullptr)(from);
    }
    void onConnectionClosed(const tcp::endpoint& from) override { closedPaths.push_back(from); }

    // Runs the loop until `done` holds (a bound, not a pace). Returns done().
    bool runUntil(const std::function<bool()>& done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            io.run_for(std::chrono::milliseconds(5));
            io.restart();
        }
        return done();
    }

    tcp::socket client(const TcpMediaListener& listener) {
        tcp::socket s(io);
        s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), listener.localEndpoint().port()));
        return s;
    }

    // True once the server has closed `s` (a read sees end of file or a reset).
    static bool closedByServer(tcp::socket& s) {
        s.non_blocking(true);
        std::array<std::uint8_t, 256> buffer{};
        boost::system::error_code ec;
        s.read_some(asio::buffer(buffer), ec);
        return ec && ec != asio::error::would_block;
    }
};

const tcp::endpoint kAnyLoopback(asio::ip::make_address("127.0.0.1"), 0);

}  // namespace

TEST_F(TcpListenerTest, FramesInAnySplitReachTheListenerAndRepliesGoBackFramed) {
    TcpMediaListener listener(io, kAnyLoopback, *this);
    listener.start();
    tcp::socket c = client(listener);
    auto bytes = framed(stunLike());
    const auto second = framed(std::vector<std::uint8_t>{0x16, 0xfe, 0xfd, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10});
    bytes.insert(bytes.end(), second.begin(), second.end());
    const std::size_t cut = 22 + 5;  // the first frame whole, the second cut in two
    asio::write(c, asio::buffer(bytes.data(), cut));
    onFirstFrame = [&](const tcp::endpoint& from) { listener.authenticated(from); };  // as a passing check does
    ASSERT_TRUE(runUntil([&] { return frames.size() == 1; }));
    asio::write(c, asio::buffer(bytes.data() + cut, bytes.size() - cut));
    ASSERT_TRUE(runUntil([&] { return frames.size() == 2; }));
    EXPECT_EQ(frames[0], stunLike());
    EXPECT_EQ(frames[1].size(), 13u);
    EXPECT_EQ(framesFrom[0].port(), c.local_endpoint().port());

    const std::vector<std::uint8_t> reply{0x01, 0x01, 9, 9};
    listener.send(reply, framesFrom[0]);
    std::vector<std::uint8_t> got(6);
    bool read = false;
    asio::async_read(c, asio::buffer(got), [&](boost::system::error_code ec, std::size_t) { read = !ec; });
    ASSERT_TRUE(runUntil([&] { return read; }));
    EXPECT_EQ(got, framed(reply));
    EXPECT_EQ(listener.counters().open, 1u);
}

TEST_F(TcpListenerTest, GarbageBeforeACheckClosesOnlyThatConnection) {
    TcpMediaListener listener(io, kAnyLoopback, *this);
    listener.start();
    tcp::socket good = client(listener), notStun = client(listener), notFramed = client(listener);
    asio::write(good, asio::buffer(framed(stunLike())));
    asio::write(notStun, asio::buffer(framed(std::vector<std::uint8_t>(40, 0x80))));  // RTP-looking
    const std::vector<std::uint8_t> huge{0xff, 0xff, 0, 0, 0};
    asio::write(notFramed, asio::buffer(huge));
    ASSERT_TRUE(runUntil([&] { return listener.counters().closedGarbage == 2 && frames.size() == 1; }));
    EXPECT_EQ(closedPaths.size(), 2u);
    EXPECT_TRUE(closedByServer(notStun));
    EXPECT_TRUE(closedByServer(notFramed));
    EXPECT_FALSE(closedByServer(good));
    EXPECT_EQ(listener.counters().open, 1u);
}

TEST_F(TcpListenerTest, AConnectionWithNoPassingCheckInTimeIsClosed) {
    TcpMediaListener listener(io, kAnyLoopback, *this, {.authenticateWithin = std::chrono::milliseconds(20)});
    listener.start();
    tcp::socket silent = client(listener), checked = client(listener);
    asio::write(checked, asio::buffer(framed(stunLike())));
    onFirstFrame = [&](const tcp::endpoint& from) { listener.authenticated(from); };
    ASSERT_TRUE(runUntil([&] { return listener.counters().closedSilent == 1; }));
    ASSERT_TRUE(runUntil([&] { return closedByServer(silent); }));
    EXPECT_EQ(closedPaths.size(), 1u);
    EXPECT_EQ(closedPaths[0].port(), silent.local_endpoint().port());
    EXPECT_EQ(listener.counters().open, 1u);  // the one whose check passed stays
    EXPECT_FALSE(closedByServer(checked));
}

TEST_F(TcpListenerTest, ConnectionsOverTheCapAreRefused) {
    TcpMediaListener listener(io, kAnyLoopback, *this, {.maxConnections = 1});
    listener.start();
    tcp::socket first = client(listener);
    ASSERT_TRUE(runUntil([&] { return listener.counters().accepted == 1; }));
    tcp::socket second = client(listener);
    ASSERT_TRUE(runUntil([&] { return listener.counters().refused == 1; }));
    EXPECT_TRUE(runUntil([&] { return closedByServer(second); }));
    EXPECT_FALSE(closedByServer(first));
    // When the first goes, there is room again.
    first.close();
    ASSERT_TRUE(runUntil([&] { return listener.counters().open == 0; }));
    tcp::socket third = client(listener);
    EXPECT_TRUE(runUntil([&] { return listener.counters().accepted == 2; }));
}

TEST_F(TcpListenerTest, ASlowReaderLosesPacketsNotMemory) {
    TcpMediaListener listener(io, kAnyLoopback, *this, {.maxQueuedBytes = 4096});
    listener.start();
    tcp::socket c = client(listener);
    asio::write(c, asio::buffer(framed(stunLike())));
    ASSERT_TRUE(runUntil([&] { return frames.size() == 1; }));
    listener.authenticated(framesFrom[0]);
    // Queued in one go, before the loop writes any: beyond 4 KiB they are dropped, not held.
    for (int i = 0; i < 10; ++i) listener.send(std::vector<std::uint8_t>(1000, 0x80), framesFrom[0]);
    EXPECT_EQ(listener.counters().framesDropped, 6u);
    // To a connection that is not there: dropped too.
    listener.send(std::vector<std::uint8_t>(10, 1), tcp::endpoint(asio::ip::make_address("127.0.0.1"), 1));
    EXPECT_EQ(listener.counters().framesDropped, 7u);
    // What was queued arrives, whole.
    std::vector<std::uint8_t> got(4 * 1002);
    bool read = false;
    asio::async_read(c, asio::buffer(got), [&](boost::system::error_code ec, std::size_t) { read = !ec; });
    ASSERT_TRUE(runUntil([&] { return read; }));
    EXPECT_EQ(got[0], 0x03);
    EXPECT_EQ(got[1], 0xe8);
}

TEST_F(TcpListenerTest, ClosingAConnectionForAGoneTransportClosesOnlyIt) {
    TcpMediaListener listener(io, kAnyLoopback, *this);
    listener.start();
    tcp::socket a = client(listener), b = client(listener);
    asio::write(a, asio::buffer(framed(stunLike())));
    asio::write(b, asio::buffer(framed(stunLike())));
    ASSERT_TRUE(runUntil([&] { return frames.size() == 2; }));
    const tcp::endpoint aPath = framesFrom[0].port() == a.local_endpoint().port() ? framesFrom[0] : framesFrom[1];
    listener.closeConnection(aPath);
    EXPECT_TRUE(runUntil([&] { return closedByServer(a); }));
    EXPECT_FALSE(closedByServer(b));
    EXPECT_EQ(listener.counters().open, 1u);
    EXPECT_TRUE(closedPaths.empty());  // the worker asked: it needs no word back
}

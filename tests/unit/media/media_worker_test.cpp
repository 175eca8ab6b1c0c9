// The media threads: work posted to a worker runs on its thread, in order, and a UDP socket on
// a worker receives and sends. Built under ThreadSanitizer too (script/test), since this is where
// the signaling thread and the workers meet.
#include "media/media_worker.hpp"
#include "media/udp_socket.hpp"
#include "media/worker_assignment.hpp"

#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include <future>
#include <string>
#include <vector>

using namespace parley::media;
namespace asio = boost::asio;
using asio::ip::udp;

TEST(MediaWorker, RunsPostedWorkOnItsOwnThreadInOrder) {
    MediaWorker worker("media-test");
    worker.start();
    std::vector<int> order;  // touched only on the worker's thread until the promise is kept
    std::promise<std::vector<int>> done;
    for (int i = 0; i < 100; ++i) {
        worker.post([&, i] {
            EXPECT_TRUE(worker.onWorkerThread());
            order.push_back(i);
            if (i == 99) done.set_value(order);
        });
    }
    const auto seen = done.get_future().get();
    ASSERT_EQ(seen.size(), 100u);
    for (int i = 0; i < 100; ++i) EXPECT_EQ(seen[i], i);
    EXPECT_FALSE(worker.onWorkerThread());
    worker.stop();
    worker.stop();
}

TEST(MediaWorker, StopRunsWhatWasQueuedFirst) {
    MediaWorker worker("media-test");
    worker.start();
    int ran = 0;
    for (int i = 0; i < 10; ++i) worker.post([&] { ++ran; });
    worker.stop();
    EXPECT_EQ(ran, 10);
}

struct Echo : UdpSocket::Listener {
    UdpSocket* socket = nullptr;
    void onDatagram(std::span<const std::uint8_t> d, const udp::endpoint& from) override {
        std::vector<std::uint8_t> reply(d.begin(), d.end());
        reply.push_back(0xee);
        socket->send(reply, from);
    }
};

TEST(MediaWorker, AUdpSocketOnAWorkerAnswersDatagrams) {
    MediaWorker worker("media-test");
    Echo echo;
    UdpSocket socket(worker.context(), udp::endpoint(asio::ip::make_address("127.0.0.1"), 0), echo);
    echo.socket = &socket;
    socket.start();
    worker.start();

    asio::io_context client;
    udp::socket peer(client, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    const udp::endpoint server = socket.localEndpoint();
    for (std::uint8_t i = 0; i < 5; ++i) {
        const std::vector<std::uint8_t> out{0x80, i};
        peer.send_to(asio::buffer(out), server);
        std::array<std::uint8_t, 64> in{};
        udp::endpoint from;
        const std::size_t n = peer.receive_from(asio::buffer(in), from);
        ASSERT_EQ(n, 3u);
        EXPECT_EQ(in[1], i);
        EXPECT_EQ(in[2], 0xee);
        EXPECT_EQ(from, server);
    }
    std::promise<UdpSocket::Counters> counters;
    worker.post([&] {
        counters.set_value(socket.counters());
        socket.close();
    });
    const auto c = counters.get_future().get();
    EXPECT_EQ(c.received, 5u);
    EXPECT_EQ(c.sent, 5u);
    worker.stop();
}

TEST(WorkerAssignment, ANewRoomGoesToTheWorkerWithFewestAndStaysThere) {
    WorkerAssignment workers(3);
    EXPECT_EQ(workers.pin("a"), 0u);
    EXPECT_EQ(workers.pin("b"), 1u);
    EXPECT_EQ(workers.pin("c"), 2u);
    EXPECT_EQ(workers.pin("a"), 0u);  // pinned: asking again changes nothing
    EXPECT_EQ(workers.roomsOn(0), 1u);
    workers.unpin("b");
    EXPECT_EQ(workers.workerOf("b"), std::nullopt);
    EXPECT_EQ(workers.pin("d"), 1u);
    EXPECT_EQ(workers.pin("e"), 0u);
    workers.unpin("nobody");
    EXPECT_EQ(WorkerAssignment(0).workers(), 1u);
}

// Server-wide limits: connections per client address (--max-connections-per-ip 3, beyond: 429
// but for probes, probe_allowance_test.cpp) and rooms per server (--max-rooms 2, beyond: join error server-full).
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

#include "http_get.hpp"
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class ConnectionLimit : public ServerSuite<ConnectionLimit> {
public:
    static std::vector<std::string> serverFlags() { return {"--max-connections-per-ip", "3"}; }
};

HttpResponse upgrade(std::uint16_t port) {
    HttpCall call;
    call.target = "/ws";
    call.headers = upgradeHeaders();
    return httpCall(port, call);
}

// Polls until the server has let go of closed connections, so the next check sees them gone.
bool eventually(const std::function<bool()>& condition) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

TEST_F(ConnectionLimit, OneAddressGetsItsShareAndAClosedConnectionFreesAPlace) {
    // The suite's server is fresh: these three are the only connections from 127.0.0.1.
    std::vector<std::unique_ptr<Peer>> peers;
    for (int i = 0; i < 3; ++i) peers.push_back(std::make_unique<Peer>(port()));
    for (auto& peer : peers) peer->expectNothingPending();  // served as usual

    EXPECT_EQ(upgrade(port()).status, 429u) << "over the limit: only a probe is answered";
    EXPECT_EQ(httpGet(port(), "/").status, 429u) << "plain HTTP counts too";
    EXPECT_EQ(httpGet(port(), "/health").status, 200u) << "probes never count (probe_allowance_test)";
    HttpCall other;
    other.target = "/health";
    other.from = "127.0.0.2";
    EXPECT_EQ(httpCall(port(), other).status, 200u) << "another address is served";

    peers.back()->socket().close();
    peers.pop_back();
    EXPECT_TRUE(eventually([&] {
        try {
            return upgrade(port()).status == 101;
        } catch (const std::exception&) {
            return false;
        }
    })) << "a closed connection gives its place back";
    peers.front()->expectNothingPending();
    const auto metrics = httpCall(port(), [] { HttpCall c; c.target = "/metrics"; c.from = "127.0.0.3"; return c; }()).body;
    EXPECT_NE(metrics.find("parley_connections_refused_total{reason=\"per-address\"} "), std::string::npos) << metrics;
}

class RoomLimit : public ServerSuite<RoomLimit> {
public:
    static std::vector<std::string> serverFlags() { return {"--max-rooms", "2"}; }
};

TEST_F(RoomLimit, AJoinThatWouldOpenOneRoomTooManyGetsServerFull) {
    const auto first = uniqueRoom("one");
    Peer alice(port()), bob(port()), carol(port()), dave(port());
    alice.join(first, "Alice");
    bob.join(uniqueRoom("two"), "Bob");

    const auto refusal = carol.expectRefusal(
        {{"type", "join"}, {"v", 1}, {"room", uniqueRoom("three")}, {"name", "Carol"}}, "server-full");
    EXPECT_FALSE(str(refusal, "message").empty());

    dave.join(first, "Dave");  // an open room takes people as usual
    alice.expect("participant-joined");
    bob.request({{"type", "leave"}});
    carol.join(uniqueRoom("three"), "Carol");  // Bob's room closed: there is a place again
}

}  // namespace
}  // namespace parley::itest

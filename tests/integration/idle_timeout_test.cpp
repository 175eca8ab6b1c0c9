// --idle-timeout 1: a socket that sends nothing for a second is closed with 4000.
// --resume-grace 0 so a timed-out participant leaves at once instead of after 30 s.
#include <chrono>
#include <future>
#include <thread>

#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class IdleTimeout : public ServerSuite<IdleTimeout> {
public:
    static std::vector<std::string> serverFlags() {
        return {"--idle-timeout", "1", "--resume-grace", "0"};
    }
};

// Comfortably above the 1 s timeout plus any sweep interval, still well below ctest's limit.
constexpr std::chrono::milliseconds kCloseWithin{5000};
// Well under the 1 s timeout.
constexpr std::chrono::milliseconds kKeepAliveEvery{200};

TEST_F(IdleTimeout, ASilentSocketIsClosedWith4000) {
    WsClient silent(port());
    const Incoming in = silent.read(kCloseWithin);
    ASSERT_EQ(in.kind, Incoming::Kind::Closed) << in.describe();
    EXPECT_EQ(in.closeCode, 4000);
    EXPECT_EQ(in.closeReason, "idle-timeout");
}

TEST_F(IdleTimeout, ATimedOutParticipantLeavesAsDisconnected) {
    const auto room = uniqueRoom("idle");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    alice.expect("participant-joined");

    // Bob sends nothing but keeps reading (so he answers the server's close handshake), on his
    // own thread while Alice keeps herself alive.
    auto bobsEnd = std::async(std::launch::async, [&bob] { return bob.socket().read(kCloseWithin); });

    const auto deadline = std::chrono::steady_clock::now() + kCloseWithin;
    json::object event;
    while (std::chrono::steady_clock::now() < deadline) {
        alice.send({{"type", "ping"}, {"t", 1}});
        event = alice.next();
        if (str(event, "type") != "pong") break;
        std::this_thread::sleep_for(kKeepAliveEvery);
    }
    ASSERT_EQ(str(event, "type"), "participant-left") << json::serialize(event);
    EXPECT_EQ(str(event, "id"), bob.id());
    EXPECT_EQ(str(event, "reason"), "disconnected");

    const Incoming in = bobsEnd.get();
    ASSERT_EQ(in.kind, Incoming::Kind::Closed) << in.describe();
    EXPECT_EQ(in.closeCode, 4000);
}

TEST_F(IdleTimeout, PingsKeepTheConnectionOpen) {
    Peer peer(port());
    peer.join(uniqueRoom("alive"), "Alice");
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(2500);
    while (std::chrono::steady_clock::now() < until) {
        peer.expectNothingPending();  // throws if the server closed the socket
        std::this_thread::sleep_for(kKeepAliveEvery);
    }
}

}  // namespace
}  // namespace parley::itest

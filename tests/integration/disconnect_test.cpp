// --resume-grace 1: a dropped participant shows as reconnecting, then leaves as disconnected.
#include <chrono>

#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class Disconnect : public ServerSuite<Disconnect> {
public:
    static std::vector<std::string> serverFlags() { return {"--resume-grace", "1"}; }
};

// Comfortably above the 1 s grace period plus any timer granularity.
constexpr std::chrono::milliseconds kGraceEndsWithin{5000};

void expectDropThenDeparture(Peer& observer, const std::string& droppedId) {
    const auto dropped = observer.expect("participant-connection");
    EXPECT_EQ(str(dropped, "id"), droppedId);
    EXPECT_EQ(field(dropped, "connected"), json::value(false));
    const auto left = observer.expect("participant-left", kGraceEndsWithin);
    EXPECT_EQ(str(left, "id"), droppedId);
    EXPECT_EQ(str(left, "reason"), "disconnected");
}

TEST_F(Disconnect, ClosingTheSocketEndsInDisconnected) {
    const auto room = uniqueRoom("close");
    Peer alice(port());
    alice.join(room, "Alice");
    std::string bobId;
    {
        Peer bob(port());
        bob.join(room, "Bob");
        bobId = bob.id();
        alice.expect("participant-joined");
        bob.socket().close();
    }
    expectDropThenDeparture(alice, bobId);
}

TEST_F(Disconnect, DroppingTheConnectionEndsInDisconnected) {
    const auto room = uniqueRoom("drop");
    Peer alice(port()), carol(port());
    alice.join(room, "Alice");
    carol.join(room, "Carol");
    alice.expect("participant-joined");
    std::string bobId;
    {
        Peer bob(port());
        bob.join(room, "Bob");
        bobId = bob.id();
        alice.expect("participant-joined");
        carol.expect("participant-joined");
    }  // the TCP connection goes away without a WebSocket close
    expectDropThenDeparture(alice, bobId);
    expectDropThenDeparture(carol, bobId);
}

TEST_F(Disconnect, AfterTheGracePeriodTheTokenNoLongerResumes) {
    const auto room = uniqueRoom("late");
    Peer alice(port());
    alice.join(room, "Alice");
    std::string token, bobId;
    {
        Peer bob(port());
        bob.join(room, "Bob");
        token = bob.resumeToken();
        bobId = bob.id();
        alice.expect("participant-joined");
    }
    expectDropThenDeparture(alice, bobId);
    Peer late(port());
    late.expectRefusal({{"type", "resume"}, {"token", token}, {"lastSeq", 0}}, "resume-failed");
    late.expectNothingPending();
}

}  // namespace
}  // namespace parley::itest

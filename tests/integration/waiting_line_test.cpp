// A full room (--max-room-size 2, admission `open`) puts newcomers in line instead of refusing
// them; they enter in order as seats free up.
#include "peer.hpp"
#include "server_suite.hpp"

namespace parley::itest {
namespace {

class WaitingLine : public ServerSuite<WaitingLine> {
public:
    // AtMostOneHundredWait holds over 100 sockets, and places in line, from 127.0.0.1.
    static std::vector<std::string> serverFlags() {
        return {"--max-room-size", "2", "--max-connections-per-ip", "1000", "--max-seats-per-ip", "1000"};
    }
};

json::object joinMessage(std::string_view room, std::string_view name) {
    return {{"type", "join"}, {"v", 1}, {"room", room}, {"name", name}};
}

TEST_F(WaitingLine, AFullRoomPutsTheNewcomerInLine) {
    const auto room = uniqueRoom("full");
    Peer alice(port()), bob(port()), carol(port());
    EXPECT_EQ(field(alice.join(room, "Alice"), "maxRoomSize"), json::value(2));
    bob.join(room, "Bob");
    alice.expect("participant-joined");

    const auto waiting = carol.request(joinMessage(room, "Carol"));
    ASSERT_EQ(str(waiting, "type"), "waiting") << json::serialize(waiting);
    EXPECT_EQ(str(waiting, "room"), room);
    EXPECT_FALSE(str(waiting, "resumeToken").empty());
    const std::string carolId = str(waiting, "you");
    EXPECT_EQ(field(waiting, "position"), json::value(1));
    EXPECT_EQ(field(waiting, "of"), json::value(1));
    EXPECT_TRUE(waiting.contains("estimatedWaitMs")) << json::serialize(waiting);
    EXPECT_EQ(str(waiting, "admission"), "open");

    // The host sees the line; the guest does not; nobody sees a participant-joined.
    const auto queue = alice.expect("queue");
    const auto& entries = field(queue, "entries").as_array();
    ASSERT_EQ(entries.size(), 1u) << json::serialize(queue);
    EXPECT_EQ(str(entries[0].as_object(), "id"), carolId);
    EXPECT_EQ(str(entries[0].as_object(), "name"), "Carol");
    alice.expectNothingPending();
    bob.expectNothingPending();

    // Waiting is not being in the room.
    carol.expectRefusal({{"type", "offer"}, {"to", alice.id()}, {"sdp", "v=0\r\n"}}, "not-admitted");
    carol.expectRefusal(joinMessage(room, "Carol"), "already-joined");
    carol.expectNothingPending();
    alice.expectRefusal({{"type", "offer"}, {"to", carolId}, {"sdp", "v=0\r\n"}}, "target-not-found");

    // Another room still has space.
    Peer dave(port());
    dave.join(uniqueRoom("other"), "Dave");

    // A seat frees up: the first in line enters.
    EXPECT_EQ(str(bob.request({{"type", "leave"}}), "type"), "ok");
    const auto entered = carol.expect("joined");
    EXPECT_FALSE(entered.contains("req")) << json::serialize(entered);
    EXPECT_EQ(str(field(entered, "you").as_object(), "id"), carolId);
    const auto& others = field(entered, "participants").as_array();
    ASSERT_EQ(others.size(), 1u) << json::serialize(entered);
    EXPECT_EQ(str(others[0].as_object(), "id"), alice.id());

    EXPECT_EQ(str(alice.expect("participant-left"), "reason"), "left");
    bool sawCarolJoin = false;
    for (int i = 0; i < 3 && !sawCarolJoin; ++i) {  // the host's queue update may come first
        const auto event = alice.next();
        if (str(event, "type") == "participant-joined") {
            EXPECT_EQ(str(field(event, "participant").as_object(), "id"), carolId);
            sawCarolJoin = true;
        } else {
            EXPECT_EQ(str(event, "type"), "queue") << json::serialize(event);
        }
    }
    EXPECT_TRUE(sawCarolJoin);

    alice.send({{"type", "offer"}, {"to", carolId}, {"sdp", "v=0\r\n"}});
    EXPECT_EQ(str(carol.expect("offer"), "from"), alice.id());
}

TEST_F(WaitingLine, LeaveTakesAWaitingPersonOutOfLine) {
    const auto room = uniqueRoom("give-up");
    Peer alice(port()), bob(port()), carol(port()), dave(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    EXPECT_EQ(str(carol.request(joinMessage(room, "Carol")), "type"), "waiting");
    const auto daveWaiting = dave.request(joinMessage(room, "Dave"));
    EXPECT_EQ(field(daveWaiting, "position"), json::value(2));
    EXPECT_EQ(field(daveWaiting, "of"), json::value(2));
    const auto longer = carol.expect("queue-position");  // the line grew behind her
    EXPECT_EQ(field(longer, "position"), json::value(1));
    EXPECT_EQ(field(longer, "of"), json::value(2));

    EXPECT_EQ(str(carol.request({{"type", "leave"}}), "type"), "ok");
    const auto update = dave.expect("queue-position");
    EXPECT_EQ(field(update, "position"), json::value(1));
    EXPECT_EQ(field(update, "of"), json::value(1));
}

TEST_F(WaitingLine, AtMostOneHundredWait) {
    const auto room = uniqueRoom("crowd");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    std::vector<std::unique_ptr<Peer>> line;
    for (int i = 0; i < 100; ++i) {
        line.push_back(std::make_unique<Peer>(port()));
        const auto reply = line.back()->request(joinMessage(room, "Guest " + std::to_string(i)));
        ASSERT_EQ(str(reply, "type"), "waiting") << json::serialize(reply);
    }
    Peer latecomer(port());
    latecomer.expectRefusal(joinMessage(room, "Late"), "queue-full");
    latecomer.expectNothingPending();
}

}  // namespace
}  // namespace parley::itest

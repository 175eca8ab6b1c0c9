// join → joined, participant-joined / participant-left to the others, leave and rejoin.
#include "peer.hpp"
#include "server_suite.hpp"
#include "wall_clock.hpp"

namespace parley::itest {
namespace {

class JoinLeave : public ServerSuite<JoinLeave> {};

TEST_F(JoinLeave, JoinedCarriesEverythingTheContractPromises) {
    const auto room = uniqueRoom("joined");
    Peer alice(port());
    const auto joined = alice.join(room, "Alice", {.mic = true, .cam = true});

    EXPECT_EQ(field(joined, "v"), json::value(1));
    EXPECT_TRUE(str(joined, "server").starts_with("parley/")) << json::serialize(joined);
    EXPECT_EQ(str(joined, "room"), room);
    EXPECT_FALSE(str(joined, "resumeToken").empty());
    const auto& you = field(joined, "you").as_object();
    EXPECT_FALSE(str(you, "id").empty());
    EXPECT_EQ(str(you, "name"), "Alice");
    EXPECT_EQ(str(you, "role"), "host") << "the first person in a room hosts it";
    EXPECT_EQ(field(you, "connected"), json::value(true));
    EXPECT_EQ(field(you, "media"), json::value(mediaJson({.mic = true, .cam = true})));
    EXPECT_TRUE(field(joined, "participants").as_array().empty());
    EXPECT_EQ(str(joined, "host"), str(you, "id"));
    const auto& state = field(joined, "state").as_object();
    EXPECT_EQ(str(state, "admission"), "open");
    EXPECT_EQ(field(state, "seats"), json::value(6));
    EXPECT_EQ(field(state, "locked"), json::value(false));
    EXPECT_TRUE(field(state, "sessionEndsAt").is_null()) << json::serialize(state);
    EXPECT_TRUE(field(joined, "chat").as_array().empty());
    EXPECT_TRUE(field(joined, "hands").as_array().empty());
    EXPECT_TRUE(field(joined, "iceServers").is_array());
    EXPECT_EQ(field(joined, "maxRoomSize"), json::value(6)) << "the default room size";
    const auto& serverTime = field(joined, "serverTime");
    ASSERT_TRUE(serverTime.is_int64()) << json::serialize(joined);
    EXPECT_NEAR(static_cast<double>(serverTime.as_int64()), static_cast<double>(wallClockMs()), 60'000.0);
}

TEST_F(JoinLeave, LaterJoinersAreGuestsAndSeeTheHost) {
    const auto room = uniqueRoom("guest");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    const auto joined = bob.join(room, "Bob");
    EXPECT_EQ(str(field(joined, "you").as_object(), "role"), "guest");
    EXPECT_EQ(str(joined, "host"), alice.id());
    const auto& others = field(joined, "participants").as_array();
    ASSERT_EQ(others.size(), 1u) << json::serialize(joined);
    EXPECT_EQ(str(others[0].as_object(), "role"), "host");
    EXPECT_EQ(field(others[0].as_object(), "connected"), json::value(true));
    const auto event = alice.expect("participant-joined");
    EXPECT_EQ(str(field(event, "participant").as_object(), "role"), "guest");
}

TEST_F(JoinLeave, OthersAreListedInJoinOrderWithTheirMedia) {
    const auto room = uniqueRoom("order");
    Peer alice(port()), bob(port()), carol(port());
    alice.join(room, "Alice", {.mic = true});
    bob.join(room, "Bob", {.cam = true});
    const auto joined = carol.join(room, "Carol");

    const auto& others = field(joined, "participants").as_array();
    ASSERT_EQ(others.size(), 2u) << json::serialize(joined);
    EXPECT_EQ(str(others[0].as_object(), "id"), alice.id());
    EXPECT_EQ(str(others[0].as_object(), "name"), "Alice");
    EXPECT_EQ(field(others[0].as_object(), "media"), json::value(mediaJson({.mic = true})));
    EXPECT_EQ(str(others[1].as_object(), "id"), bob.id());
    EXPECT_EQ(str(others[1].as_object(), "name"), "Bob");
    EXPECT_EQ(field(others[1].as_object(), "media"), json::value(mediaJson({.cam = true})));
    EXPECT_NE(alice.id(), bob.id());
    EXPECT_NE(bob.id(), carol.id());
}

TEST_F(JoinLeave, MediaDefaultsToAllOffWhenMissing) {
    Peer alice(port());
    const auto joined = alice.request(
        {{"type", "join"}, {"v", 1}, {"room", uniqueRoom("nomedia")}, {"name", "Alice"}});
    ASSERT_EQ(str(joined, "type"), "joined") << json::serialize(joined);
    EXPECT_EQ(field(field(joined, "you").as_object(), "media"), json::value(mediaJson({})));
}

TEST_F(JoinLeave, UnknownExtraFieldsAreIgnored) {
    Peer alice(port());
    const auto joined = alice.request({{"type", "join"},
                                       {"v", 1},
                                       {"room", uniqueRoom("extra")},
                                       {"name", "Alice"},
                                       {"colour", "teal"},
                                       {"futureFeature", {{"x", 1}}}});
    EXPECT_EQ(str(joined, "type"), "joined") << json::serialize(joined);
}

TEST_F(JoinLeave, NameIsTrimmedAndCountedInCodePoints) {
    Peer alice(port()), bob(port());
    const auto room = uniqueRoom("names");
    const auto joined = alice.join(room, "  Alice  ");
    EXPECT_EQ(str(field(joined, "you").as_object(), "name"), "Alice");

    std::string sixtyFourAccents;
    for (int i = 0; i < 64; ++i) sixtyFourAccents += "\xC3\xA9";  // é: 2 bytes, 1 code point
    const auto bobJoined = bob.join(room, sixtyFourAccents);
    EXPECT_EQ(str(field(bobJoined, "you").as_object(), "name"), sixtyFourAccents);
    EXPECT_EQ(str(field(alice.expect("participant-joined"), "participant").as_object(), "name"),
              sixtyFourAccents);
}

TEST_F(JoinLeave, JoinsAndLeavesReachTheOthersWithConsecutiveSeq) {
    const auto room = uniqueRoom("seq");
    Peer alice(port()), bob(port()), carol(port());
    alice.join(room, "Alice");

    bob.join(room, "Bob", {.mic = true});
    auto event = alice.expect("participant-joined");
    EXPECT_EQ(field(event, "seq"), json::value(1));
    const auto& bobInfo = field(event, "participant").as_object();
    EXPECT_EQ(str(bobInfo, "id"), bob.id());
    EXPECT_EQ(str(bobInfo, "name"), "Bob");
    EXPECT_EQ(field(bobInfo, "media"), json::value(mediaJson({.mic = true})));

    carol.join(room, "Carol");
    event = alice.expect("participant-joined");
    EXPECT_EQ(field(event, "seq"), json::value(2));
    EXPECT_EQ(str(field(event, "participant").as_object(), "id"), carol.id());
    event = bob.expect("participant-joined");
    EXPECT_EQ(field(event, "seq"), json::value(1));
    EXPECT_EQ(str(field(event, "participant").as_object(), "id"), carol.id());

    const auto ok = bob.request({{"type", "leave"}});
    EXPECT_EQ(str(ok, "type"), "ok") << json::serialize(ok);
    for (Peer* other : {&alice, &carol}) {
        event = other->expect("participant-left");
        EXPECT_EQ(str(event, "id"), bob.id());
        EXPECT_EQ(str(event, "reason"), "left");
    }
    EXPECT_EQ(alice.lastSeq(), 3u);
    EXPECT_EQ(carol.lastSeq(), 1u);
    bob.expectNothingPending();  // the leaver gets its ok, not its own participant-left
    alice.expectNothingPending();
    carol.expectNothingPending();
}

TEST_F(JoinLeave, ADroppedConnectionIsNotADeparture) {
    const auto room = uniqueRoom("drop");
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
    const auto event = alice.expect("participant-connection");
    EXPECT_EQ(str(event, "id"), bobId);
    EXPECT_EQ(field(event, "connected"), json::value(false));
    alice.expectNothingPending();  // the seat is kept for the (30 s) grace period
}

TEST_F(JoinLeave, ResumeTakesThePlaceBackAndReplaysMissedEvents) {
    const auto room = uniqueRoom("resume");
    Peer alice(port());
    alice.join(room, "Alice");
    std::string bobId, token;
    std::uint64_t bobSeq = 0;
    {
        Peer bob(port());
        bob.join(room, "Bob");
        bobId = bob.id();
        token = bob.resumeToken();
        alice.expect("participant-joined");
        alice.send({{"type", "offer"}, {"to", bobId}, {"sdp", "v=0\r\nfirst\r\n"}});
        bob.expect("offer");
        bobSeq = bob.lastSeq();
    }  // dropped without a close frame
    EXPECT_EQ(field(alice.expect("participant-connection"), "connected"), json::value(false));
    alice.send({{"type", "offer"}, {"to", bobId}, {"sdp", "v=0\r\nmissed\r\n"}});
    alice.expectNothingPending();  // relaying to a reconnecting participant is not refused

    Peer bobAgain(port());
    const auto resumed = bobAgain.resume(token, bobSeq);
    EXPECT_EQ(str(resumed, "you"), bobId);
    EXPECT_EQ(str(resumed, "room"), room);
    EXPECT_EQ(field(resumed, "replayed"), json::value(1));
    const auto missed = bobAgain.expect("offer");
    EXPECT_EQ(str(missed, "sdp"), "v=0\r\nmissed\r\n");
    EXPECT_EQ(str(missed, "from"), alice.id());

    const auto back = alice.expect("participant-connection");
    EXPECT_EQ(str(back, "id"), bobId);
    EXPECT_EQ(field(back, "connected"), json::value(true));
    bobAgain.expectNothingPending();
}

TEST_F(JoinLeave, ResumeWithAnUnknownTokenFails) {
    Peer peer(port());
    peer.expectRefusal(
        {{"type", "resume"}, {"token", "00000000000000000000000000000000"}, {"lastSeq", 0}}, "resume-failed");
    peer.expectNothingPending();
}

TEST_F(JoinLeave, RejoiningAfterLeaveGivesANewId) {
    const auto room = uniqueRoom("rejoin");
    Peer alice(port()), bob(port());
    alice.join(room, "Alice");
    bob.join(room, "Bob");
    const std::string firstId = bob.id();
    alice.expect("participant-joined");

    EXPECT_EQ(str(bob.request({{"type", "leave"}}), "type"), "ok");
    alice.expect("participant-left");

    const auto joined = bob.join(room, "Bob again");
    EXPECT_NE(bob.id(), firstId);
    const auto& others = field(joined, "participants").as_array();
    ASSERT_EQ(others.size(), 1u) << json::serialize(joined);
    EXPECT_EQ(str(others[0].as_object(), "id"), alice.id());
    const auto event = alice.expect("participant-joined");
    EXPECT_EQ(str(field(event, "participant").as_object(), "id"), bob.id());
    EXPECT_EQ(str(field(event, "participant").as_object(), "name"), "Bob again");

    // The new participant counts its own events from 1 again.
    alice.send({{"type", "offer"}, {"to", bob.id()}, {"sdp", "v=0\r\n"}});
    EXPECT_EQ(field(bob.expect("offer"), "seq"), json::value(1));
}

TEST_F(JoinLeave, LeaveWithoutReqIsSilentAndAnEmptyRoomCanBeReused) {
    const auto room = uniqueRoom("reuse");
    Peer alice(port());
    alice.join(room, "Alice");
    alice.send({{"type", "leave"}});
    alice.expectNothingPending();
    const auto joined = alice.join(room, "Alice");
    EXPECT_TRUE(field(joined, "participants").as_array().empty()) << json::serialize(joined);
}

TEST_F(JoinLeave, LeavingOneRoomAndJoiningAnother) {
    Peer alice(port()), bob(port());
    const auto first = uniqueRoom("first");
    const auto second = uniqueRoom("second");
    alice.join(first, "Alice");
    bob.join(second, "Bob");
    EXPECT_EQ(str(alice.request({{"type", "leave"}}), "type"), "ok");
    const auto joined = alice.join(second, "Alice");
    ASSERT_EQ(field(joined, "participants").as_array().size(), 1u) << json::serialize(joined);
    EXPECT_EQ(str(field(bob.expect("participant-joined"), "participant").as_object(), "id"), alice.id());
}

}  // namespace
}  // namespace parley::itest

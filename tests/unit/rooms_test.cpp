#include "core/rooms.hpp"

#include <gtest/gtest.h>

using namespace parley::core;

namespace {

struct Delivered {
    SessionId to;
    std::uint64_t seq;
    Event event;
};

struct Recorder : Rooms::Listener {
    std::vector<Delivered> events;
    std::vector<RelayTrace> traces;
    std::vector<ParticipantId> gone;
    void onEvent(std::optional<SessionId> to, const ParticipantId&, std::uint64_t seq, const Event& e) override {
        events.push_back({to.value_or(0), seq, e});
    }
    void onRelay(const RelayTrace& t) override { traces.push_back(t); }
    void onGone(const ParticipantId& id) override { gone.push_back(id); }
    std::vector<Delivered> to(SessionId s) const {
        std::vector<Delivered> out;
        for (auto& d : events) if (d.to == s) out.push_back(d);
        return out;
    }
};

struct RoomsTest : ::testing::Test {
    ManualClock clock;
    SequentialIdSource ids;
    Recorder rec;
    Rooms rooms{RoomsConfig{3}, clock, ids, rec};

    JoinAccepted join(SessionId s, const std::string& room, const std::string& name) {
        auto r = rooms.join(s, room, name, MediaState{true, true, false, {}});
        EXPECT_TRUE(std::holds_alternative<JoinAccepted>(r));
        return std::get<JoinAccepted>(r);
    }
};

TEST_F(RoomsTest, FirstJoinerSeesEmptyRoomAndLaterJoinersSeeOthersInOrder) {
    auto a = join(1, "room-a", "Alice");
    EXPECT_EQ(a.you.id, "p1");
    EXPECT_TRUE(a.others.empty());
    auto b = join(2, "room-a", "Bob");
    auto c = join(3, "room-a", "Carol");
    ASSERT_EQ(c.others.size(), 2u);
    EXPECT_EQ(c.others[0].name, "Alice");
    EXPECT_EQ(c.others[1].name, "Bob");
    EXPECT_EQ(rooms.roomCount(), 1u);
    EXPECT_EQ(rooms.participantCount(), 3u);

    auto toAlice = rec.to(1);
    ASSERT_EQ(toAlice.size(), 2u);
    EXPECT_EQ(toAlice[0].seq, 1u);
    EXPECT_EQ(toAlice[1].seq, 2u);
    EXPECT_EQ(std::get<ParticipantJoined>(toAlice[1].event).participant.name, "Carol");
    EXPECT_TRUE(rec.to(3).empty()) << "the newcomer gets no event about itself";
}

TEST_F(RoomsTest, FullOpenRoomPutsNewcomersInLine) {
    join(1, "r1x", "A");
    join(2, "r1x", "B");
    join(3, "r1x", "C");
    auto r = rooms.join(4, "r1x", "D", {});
    ASSERT_TRUE(std::holds_alternative<Waiting>(r));
    EXPECT_EQ(std::get<Waiting>(r).position, 1u);
    EXPECT_EQ(rooms.participantCount(), 3u);
    EXPECT_EQ(rooms.waitingCount(), 1u);
    // Another room is unaffected.
    EXPECT_TRUE(std::holds_alternative<JoinAccepted>(rooms.join(5, "r2x", "E", {})));
}

TEST_F(RoomsTest, JoiningTwiceIsRefused) {
    join(1, "r1x", "A");
    auto r = rooms.join(1, "r2x", "A", {});
    ASSERT_TRUE(std::holds_alternative<Refusal>(r));
    EXPECT_EQ(std::get<Refusal>(r).code, ErrorCode::AlreadyJoined);
}

TEST_F(RoomsTest, RelayReachesOnlyTheTargetWithStampedSender) {
    auto a = join(1, "r1x", "A");
    auto b = join(2, "r1x", "B");
    join(3, "r1x", "C");
    rec.events.clear();
    EXPECT_FALSE(rooms.relay(1, b.you.id, RelayKind::Offer, "\"v=0\""));
    ASSERT_EQ(rec.events.size(), 1u);
    EXPECT_EQ(rec.events[0].to, 2u);
    auto& relayed = std::get<Relayed>(rec.events[0].event);
    EXPECT_EQ(relayed.from, a.you.id);
    EXPECT_EQ(relayed.payload, "\"v=0\"");
    ASSERT_EQ(rec.traces.size(), 1u);
    EXPECT_EQ(rec.traces[0].outcome, RelayOutcome::Delivered);
    EXPECT_EQ(rec.traces[0].bytes, 5u);
}

TEST_F(RoomsTest, RelayAcrossRoomsIsRefusedAndTraced) {
    join(1, "r1x", "A");
    auto other = join(2, "r2x", "B");
    rec.events.clear();
    auto refusal = rooms.relay(1, other.you.id, RelayKind::Candidate, "null");
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->code, ErrorCode::TargetNotFound);
    EXPECT_TRUE(rec.events.empty());
    ASSERT_EQ(rec.traces.size(), 1u);
    EXPECT_EQ(rec.traces[0].outcome, RelayOutcome::TargetMissing);
}

TEST_F(RoomsTest, RelayToSelfAndBeforeJoinAreRefused) {
    auto a = join(1, "r1x", "A");
    EXPECT_EQ(rooms.relay(1, a.you.id, RelayKind::Offer, "\"x\"")->code, ErrorCode::SelfTarget);
    EXPECT_EQ(rooms.relay(9, a.you.id, RelayKind::Offer, "\"x\"")->code, ErrorCode::NotJoined);
    join(2, "r1x", "B");
    join(3, "r1x", "C");
    ASSERT_TRUE(std::holds_alternative<Waiting>(rooms.join(4, "r1x", "D", {})));
    EXPECT_EQ(rooms.relay(4, a.you.id, RelayKind::Offer, "\"x\"")->code, ErrorCode::NotAdmitted)
        << "nobody signals the room before admission";
    EXPECT_EQ(rooms.setMedia(9, {})->code, ErrorCode::NotJoined);
    EXPECT_EQ(rooms.leave(9, LeaveReason::Left)->code, ErrorCode::NotJoined);
}

TEST_F(RoomsTest, MediaChangeGoesToEveryoneElseAndIsSeenByLateJoiners) {
    join(1, "r1x", "A");
    join(2, "r1x", "B");
    rec.events.clear();
    MediaState muted{false, true, false, {}};
    EXPECT_FALSE(rooms.setMedia(1, muted));
    ASSERT_EQ(rec.events.size(), 1u);
    EXPECT_EQ(rec.events[0].to, 2u);
    EXPECT_EQ(std::get<MediaChanged>(rec.events[0].event).media, muted);
    auto c = join(3, "r1x", "C");
    EXPECT_EQ(c.others[0].media, muted);
}

TEST_F(RoomsTest, LeavingTellsOthersAndEmptyRoomsDisappear) {
    auto a = join(1, "r1x", "A");
    join(2, "r1x", "B");
    rec.events.clear();
    EXPECT_FALSE(rooms.leave(1, LeaveReason::Disconnected));
    ASSERT_EQ(rec.events.size(), 3u) << "left, then the host role passes on, with the queue";
    EXPECT_EQ(std::get<HostChanged>(rec.events[1].event).host, "p2");
    EXPECT_TRUE(std::get<QueueChanged>(rec.events[2].event).entries.empty());
    auto& left = std::get<ParticipantLeft>(rec.events[0].event);
    EXPECT_EQ(left.id, a.you.id);
    EXPECT_EQ(left.reason, LeaveReason::Disconnected);
    EXPECT_EQ(rec.events[0].seq, 1u) << "B joined last, so this is its first event";
    EXPECT_FALSE(rooms.leave(2, LeaveReason::Left));
    EXPECT_EQ(rooms.roomCount(), 0u);
    EXPECT_EQ(rooms.participantCount(), 0u);
}

TEST_F(RoomsTest, LeaveThenJoinAgainGivesNewIdAndFreesTheSeat) {
    join(1, "r1x", "A");
    join(2, "r1x", "B");
    join(3, "r1x", "C");
    EXPECT_FALSE(rooms.leave(3, LeaveReason::Left));
    auto again = join(3, "r1x", "C");
    EXPECT_EQ(again.you.id, "p4");
    EXPECT_EQ(again.others.size(), 2u);
}

TEST_F(RoomsTest, SequenceNumbersArePerParticipantWithoutGaps) {
    auto a = join(1, "r1x", "A");
    auto b = join(2, "r1x", "B");
    for (int i = 0; i < 5; ++i) rooms.relay(2, a.you.id, RelayKind::Candidate, "null");
    rooms.relay(1, b.you.id, RelayKind::Candidate, "null");
    auto toA = rec.to(1);
    ASSERT_EQ(toA.size(), 6u);  // joined(B) + 5 candidates
    for (std::size_t i = 0; i < toA.size(); ++i) EXPECT_EQ(toA[i].seq, i + 1);
    auto toB = rec.to(2);
    ASSERT_EQ(toB.size(), 1u);
    EXPECT_EQ(toB[0].seq, 1u);
}

TEST_F(RoomsTest, TraceCarriesTheInjectedTime) {
    join(1, "r1x", "A");
    auto b = join(2, "r1x", "B");
    clock.advance(1234);
    rooms.relay(1, b.you.id, RelayKind::Answer, "\"sdp\"");
    ASSERT_EQ(rec.traces.size(), 1u);
    EXPECT_EQ(rec.traces[0].atMs, 1'700'000'001'234);
    EXPECT_EQ(rec.traces[0].room, "r1x");
}

// A reloaded page keeps nothing: a snapshot resume gives it the whole picture back under the
// same id and role, and tells the others to rebuild their peer connection to it.
TEST_F(RoomsTest, SnapshotResumeKeepsIdRoleAndChatAndAsksOthersToRebuild) {
    auto a = join(1, "r1x", "Alice");
    auto b = join(2, "r1x", "Bob");
    EXPECT_FALSE(rooms.act(1, [](Room& r, const ParticipantId& me) { return r.chat(me, "before reload"); }));
    rooms.detach(1);
    rec.events.clear();

    auto result = rooms.resume(7, a.resumeToken, /*snapshot=*/true);
    ASSERT_TRUE(std::holds_alternative<Resumed>(result));
    const auto& resumed = std::get<Resumed>(result);
    EXPECT_EQ(resumed.id, a.you.id);
    ASSERT_TRUE(resumed.snapshot);
    const auto& joined = std::get<JoinAccepted>(*resumed.snapshot);
    EXPECT_EQ(joined.you.id, a.you.id);
    EXPECT_EQ(joined.you.role, Role::Host) << "the host stays host";
    EXPECT_EQ(joined.host, a.you.id);
    EXPECT_EQ(joined.resumeToken, a.resumeToken);
    ASSERT_EQ(joined.others.size(), 1u);
    EXPECT_EQ(joined.others[0].id, b.you.id);
    ASSERT_EQ(joined.chat.size(), 1u);
    EXPECT_EQ(joined.chat[0].from, a.you.id) << "chat authorship survives the reload";
    EXPECT_EQ(joined.chat[0].text, "before reload");

    auto toBob = rec.to(2);
    ASSERT_EQ(toBob.size(), 1u);
    const auto& change = std::get<ConnectionChanged>(toBob[0].event);
    EXPECT_EQ(change.id, a.you.id);
    EXPECT_TRUE(change.connected);
    EXPECT_TRUE(change.rebuild);

    // The new socket speaks for Alice; Bob reaches her there.
    EXPECT_EQ(rooms.participantOf(7), a.you.id);
    EXPECT_FALSE(rooms.relay(2, a.you.id, RelayKind::Offer, "\"sdp\""));
    EXPECT_EQ(rec.to(7).size(), 1u);
}

TEST_F(RoomsTest, SnapshotResumeWhileTheOldSocketIsStillOpenStillAsksForARebuild) {
    auto a = join(1, "r1x", "Alice");
    join(2, "r1x", "Bob");
    rec.events.clear();
    auto result = rooms.resume(7, a.resumeToken, true);
    ASSERT_TRUE(std::holds_alternative<Resumed>(result));
    EXPECT_EQ(std::get<Resumed>(result).replaced, SessionId{1});
    auto toBob = rec.to(2);
    ASSERT_EQ(toBob.size(), 1u) << "the reload may beat the old socket's close";
    EXPECT_TRUE(std::get<ConnectionChanged>(toBob[0].event).rebuild);
}

TEST_F(RoomsTest, SnapshotResumeOfAWaitingPersonKeepsTheirPlace) {
    join(1, "r1x", "A");
    join(2, "r1x", "B");
    join(3, "r1x", "C");
    auto d = rooms.join(4, "r1x", "D", MediaState{});
    auto e = rooms.join(5, "r1x", "E", MediaState{});
    ASSERT_TRUE(std::holds_alternative<Waiting>(d));
    ASSERT_TRUE(std::holds_alternative<Waiting>(e));
    const auto& first = std::get<Waiting>(d);
    rooms.detach(4);
    rec.events.clear();
    auto result = rooms.resume(9, first.resumeToken, true);
    ASSERT_TRUE(std::holds_alternative<Resumed>(result));
    const auto& snapshot = std::get<Resumed>(result).snapshot;
    ASSERT_TRUE(snapshot);
    const auto& waiting = std::get<Waiting>(*snapshot);
    EXPECT_EQ(waiting.you, first.you);
    EXPECT_EQ(waiting.position, 1u);
    EXPECT_EQ(waiting.of, 2u);
    EXPECT_EQ(waiting.resumeToken, first.resumeToken);
    EXPECT_TRUE(rec.events.empty()) << "nobody has a peer connection to someone in line";
    // And they enter first when a seat frees up.
    EXPECT_FALSE(rooms.leave(2, LeaveReason::Left));
    bool admitted = false;
    for (const auto& d9 : rec.to(9)) admitted = admitted || std::holds_alternative<Admitted>(d9.event);
    EXPECT_TRUE(admitted);
}

TEST_F(RoomsTest, ReplayResumeDoesNotAskForARebuild) {
    auto a = join(1, "r1x", "Alice");
    join(2, "r1x", "Bob");
    rooms.detach(1);
    rec.events.clear();
    auto result = rooms.resume(7, a.resumeToken);
    ASSERT_TRUE(std::holds_alternative<Resumed>(result));
    EXPECT_FALSE(std::get<Resumed>(result).snapshot);
    auto toBob = rec.to(2);
    ASSERT_EQ(toBob.size(), 1u);
    EXPECT_TRUE(std::get<ConnectionChanged>(toBob[0].event).connected);
    EXPECT_FALSE(std::get<ConnectionChanged>(toBob[0].event).rebuild);
}

TEST_F(RoomsTest, AResumeTokenWorksOnlyWithItsOwnSecretAndOnlyWhileTheSeatIsKept) {
    auto a = join(1, "r1x", "Alice");
    auto b = join(2, "r1x", "Bob");
    rooms.detach(1);
    // Bob's id with Alice's secret, and Alice's id with one digit of her secret changed.
    const std::string secretA = a.resumeToken.substr(a.resumeToken.rfind('.'));
    std::string tampered = a.resumeToken;
    tampered.back() = tampered.back() == '0' ? '1' : '0';
    for (const std::string& forged : {b.you.id + secretA, tampered}) {
        EXPECT_FALSE(rooms.holderOf(forged)) << forged;
        auto refused = rooms.resume(7, forged);
        ASSERT_TRUE(std::holds_alternative<Refusal>(refused)) << forged;
        EXPECT_EQ(std::get<Refusal>(refused).code, ErrorCode::ResumeFailed);
    }
    EXPECT_EQ(rooms.holderOf(a.resumeToken), a.you.id);
    rooms.leaveParticipant(a.you.id, LeaveReason::Left);
    EXPECT_FALSE(rooms.holderOf(a.resumeToken));
    EXPECT_TRUE(std::holds_alternative<Refusal>(rooms.resume(7, a.resumeToken)));
}

}  // namespace

namespace {

TEST(RoomsLimit, AJoinThatWouldOpenOneRoomTooManyIsRefused) {
    ManualClock clock;
    SequentialIdSource ids;
    Recorder rec;
    RoomsConfig config{3};
    config.maxRooms = 2;
    config.resumeGraceMs = 0;
    Rooms rooms{config, clock, ids, rec};
    const MediaState media{};
    ASSERT_TRUE(std::holds_alternative<JoinAccepted>(rooms.join(1, "room-a", "A", media)));
    ASSERT_TRUE(std::holds_alternative<JoinAccepted>(rooms.join(2, "room-b", "B", media)));
    auto refused = rooms.join(3, "room-c", "C", media);
    ASSERT_TRUE(std::holds_alternative<Refusal>(refused));
    EXPECT_EQ(std::get<Refusal>(refused).code, ErrorCode::ServerFull);
    EXPECT_EQ(rooms.roomCount(), 2u);
    EXPECT_FALSE(rooms.isJoined(3));
    EXPECT_TRUE(std::holds_alternative<JoinAccepted>(rooms.join(3, "room-a", "C", media)))
        << "joining a room that exists opens nothing";
    rooms.leave(2, LeaveReason::Left);
    EXPECT_TRUE(std::holds_alternative<JoinAccepted>(rooms.join(4, "room-c", "D", media)))
        << "an emptied room frees its place";
}

}  // namespace

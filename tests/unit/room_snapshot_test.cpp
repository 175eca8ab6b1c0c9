// A room's durable state, captured on one node and carried on by another (issue 19): built
// through the public API, snapshot → JSON → snapshot → restore into a fresh Rooms on a clock
// that has moved on, and everything a returning person needs is as it was.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/room_snapshot_json.hpp"
#include "core/rooms.hpp"

using namespace parley::core;

namespace {

struct Numbered {
    std::optional<SessionId> session;
    ParticipantId to;
    std::uint64_t seq;
    Event event;
};

struct NodeRecorder : Rooms::Listener {
    std::vector<Numbered> events;
    std::vector<ParticipantId> gone;
    void onEvent(std::optional<SessionId> s, const ParticipantId& to, std::uint64_t seq, const Event& e) override {
        events.push_back({s, to, seq, e});
    }
    void onRelay(const RelayTrace&) override {}
    void onGone(const ParticipantId& id) override { gone.push_back(id); }
    std::uint64_t lastSeqOf(const ParticipantId& id) const {
        std::uint64_t last = 0;
        for (const auto& e : events) {
            if (e.to == id) last = e.seq;
        }
        return last;
    }
};

struct FactLog : RoomObserver {
    std::vector<std::string> facts;
    void roomOpened(const RoomId& room) override { facts.push_back("opened " + room); }
    void admitted(const RoomId&, const ParticipantInfo& who) override {
        facts.push_back("admitted " + who.id + (who.connected ? " connected" : " away"));
    }
    void topologyChanged(const RoomId&, Topology t) override { facts.push_back("topology " + std::string(toString(t))); }
    void roomChanged(const RoomId& room) override { facts.push_back("changed " + room); }
};

// One node: its own clock, ids and rooms.
struct Node {
    explicit Node(std::int64_t startMs, RoomsConfig config = RoomsConfig{6}) : clock(startMs), rooms(config, clock, ids, rec) {}
    ManualClock clock;
    SequentialIdSource ids;
    NodeRecorder rec;
    Rooms rooms;
};

constexpr std::int64_t kStart = 1'700'000'000'000;
const RoomId kRoom = "brave-otter-417";

struct Joined {
    ParticipantId id;
    std::string token;
};

Joined tokenOf(const std::variant<JoinAccepted, Waiting, Refusal>& r) {
    if (auto* j = std::get_if<JoinAccepted>(&r)) return {j->you.id, j->resumeToken};
    if (auto* w = std::get_if<Waiting>(&r)) return {w->you, w->resumeToken};
    ADD_FAILURE() << "refused: " << std::get<Refusal>(r).message;
    return {};
}

// The realistic room: Ann hosts with a password, a session timer and three seats; Ben and Cat
// are inside, Dan and Eve wait (Eve moved to the front), there is chat, two raised hands, a
// muted guest and a timer that was extended.
struct RealisticRoom : ::testing::Test {
    Node a{kStart};
    Joined ann, ben, cat, dan, eve;

    void SetUp() override {
        RoomSettings settings;
        settings.seats = 3;
        settings.sessionLengthMs = 30 * 60'000;
        settings.password = "hunter2";
        Credentials pw{"hunter2"};
        ann = tokenOf(a.rooms.join(1, kRoom, "Ann", {true, true, false, {}}, settings));
        a.clock.advance(1'000);
        ben = tokenOf(a.rooms.join(2, kRoom, "Ben", {true, false, false, {}}, {}, pw));
        cat = tokenOf(a.rooms.join(3, kRoom, "Cat", {true, true, true, "screen-1"}, {}, pw));
        a.clock.advance(1'000);
        dan = tokenOf(a.rooms.join(4, kRoom, "Dan", {}, {}, pw));
        eve = tokenOf(a.rooms.join(5, kRoom, "Eve", {false, true, false, {}}, {}, pw));
        ASSERT_EQ(a.rooms.find(kRoom)->waitingCount(), 2u);
        as(1, [&](Room& r, const ParticipantId& me) { return r.chat(me, "Welcome, everyone"); });
        as(2, [&](Room& r, const ParticipantId& me) { return r.chat(me, "Hi Ann"); });
        as(3, [&](Room& r, const ParticipantId& me) { return r.hand(me, true); });
        as(2, [&](Room& r, const ParticipantId& me) { return r.hand(me, true); });
        as(1, [&](Room& r, const ParticipantId& me) { return r.moveToFront(me, eve.id); });
        as(1, [&](Room& r, const ParticipantId& me) { return r.mute(me, ben.id); });
        as(1, [&](Room& r, const ParticipantId& me) { return r.extendTimer(me, 5 * 60'000); });
        a.clock.advance(10'000);
    }
    void as(SessionId s, auto action) {
        EXPECT_EQ(a.rooms.act(s, [&](Room& r, const ParticipantId& me) { return action(r, me); }), std::nullopt);
    }
    RoomSnapshot throughJson(const RoomSnapshot& s) {
        auto decoded = decodeRoomSnapshot(encodeRoomSnapshot(s));
        if (auto* e = std::get_if<SnapshotError>(&decoded)) {
            ADD_FAILURE() << toString(e->code) << " " << e->field << ": " << e->message;
            return {};
        }
        return std::get<RoomSnapshot>(decoded);
    }
};

TEST_F(RealisticRoom, SnapshotHoldsEverythingDurable) {
    const auto s = a.rooms.snapshot(kRoom);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->id, kRoom);
    EXPECT_EQ(s->capturedAtMs, a.clock.nowMs());
    EXPECT_EQ(s->seats, 3u);
    EXPECT_EQ(s->host, ann.id);
    ASSERT_EQ(s->members.size(), 3u);
    EXPECT_EQ(s->members[0].id, ann.id);
    EXPECT_EQ(s->members[0].role, Role::Host);
    EXPECT_EQ(s->members[1].name, "Ben");
    EXPECT_FALSE(s->members[1].media.mic) << "muted by the host";
    EXPECT_EQ(s->members[2].media, (MediaState{true, true, true, "screen-1"}));
    EXPECT_EQ(s->members[1].sinceMs, kStart + 1'000);
    ASSERT_EQ(s->waiting.size(), 2u);
    EXPECT_EQ(s->waiting[0].id, eve.id) << "moved to the front";
    EXPECT_EQ(s->waiting[1].id, dan.id);
    EXPECT_EQ(s->sessionEndsAtMs, kStart + 35 * 60'000);
    ASSERT_EQ(s->chat.size(), 2u);
    EXPECT_EQ(s->chat[1].text, "Hi Ann");
    EXPECT_EQ(s->lastChatId, 2u);
    EXPECT_EQ(s->hands, (std::vector<ParticipantId>{cat.id, ben.id}));
    ASSERT_TRUE(s->password);
    EXPECT_TRUE(s->password->matches("hunter2"));
    EXPECT_FALSE(s->password->matches("hunter3"));
    EXPECT_EQ(s->members[1].lastSeq, a.rec.lastSeqOf(ben.id));
    EXPECT_GT(s->members[1].lastSeq, 0u);
    EXPECT_EQ(validate(*s), std::nullopt);
}

TEST_F(RealisticRoom, NeitherTheJsonNorTheSnapshotCarriesASecret) {
    const std::string text = encodeRoomSnapshot(*a.rooms.snapshot(kRoom));
    EXPECT_EQ(text.find("hunter2"), std::string::npos);
    for (const Joined* j : {&ann, &ben, &cat, &dan, &eve}) {
        const std::string secret = j->token.substr(j->token.rfind('.') + 1);
        EXPECT_EQ(text.find(secret), std::string::npos) << j->id;
    }
}

TEST_F(RealisticRoom, SnapshotReadingChangesNothingAndReportsNothing) {
    FactLog log;
    a.rooms.addObserver(log);
    const std::size_t events = a.rec.events.size();
    const auto first = a.rooms.snapshot(kRoom);
    const auto second = a.rooms.snapshot(kRoom);
    EXPECT_EQ(first, second);
    EXPECT_EQ(a.rec.events.size(), events);
    EXPECT_TRUE(log.facts.empty());
    EXPECT_EQ(a.rooms.snapshot("no-such-room"), std::nullopt);
    a.rooms.removeObserver(log);
}

TEST_F(RealisticRoom, RoundTripThroughJsonIsExact) {
    const auto s = *a.rooms.snapshot(kRoom);
    EXPECT_EQ(throughJson(s), s);
}

TEST_F(RealisticRoom, AnotherNodeCarriesTheRoomOnAsItWas) {
    const RoomSnapshot before = throughJson(*a.rooms.snapshot(kRoom));
    // The old node is gone; the new one took the lease four seconds later, on its own clock.
    Node b{a.clock.nowMs() + 4'000};
    FactLog log;
    b.rooms.addObserver(log);
    ASSERT_EQ(b.rooms.restore(before), std::nullopt);
    EXPECT_EQ(log.facts, (std::vector<std::string>{"opened " + kRoom, "admitted " + ann.id + " away",
                                                   "admitted " + ben.id + " away", "admitted " + cat.id + " away"}))
        << "no roomChanged: what was read is what is stored";
    EXPECT_TRUE(b.rec.events.empty()) << "nobody is told anything until they resume";

    RoomSnapshot after = *b.rooms.snapshot(kRoom);
    EXPECT_EQ(after.capturedAtMs, b.clock.nowMs());
    after.capturedAtMs = before.capturedAtMs;
    EXPECT_EQ(after, before);

    const Room& room = *b.rooms.find(kRoom);
    EXPECT_EQ(room.host(), ann.id);
    EXPECT_EQ(room.state().sessionEndsAtMs, kStart + 35 * 60'000) << "the same deadline, in wall time";
    EXPECT_EQ(b.rooms.participantCount(), 3u);
    EXPECT_EQ(b.rooms.waitingCount(), 2u);
    EXPECT_EQ(b.rooms.awayCount(), 5u);
}

TEST_F(RealisticRoom, ResumingOnTheNewNodeGivesBackSeatRoleChatAndPlace) {
    const std::uint64_t benSeq = a.rec.lastSeqOf(ben.id);
    Node b{a.clock.nowMs() + 4'000};
    ASSERT_EQ(b.rooms.restore(throughJson(*a.rooms.snapshot(kRoom))), std::nullopt);

    // Ben's page reconnects to the new node and resumes with its old token and what it saw.
    auto r = b.rooms.resume(71, ben.token, false, "10.0.0.2", benSeq + 3);
    ASSERT_TRUE(std::holds_alternative<Resumed>(r));
    const auto& resumed = std::get<Resumed>(r);
    EXPECT_EQ(resumed.id, ben.id);
    EXPECT_EQ(resumed.room, kRoom);
    EXPECT_EQ(resumed.lastSeq, benSeq + 3) << "numbering goes on after what the client saw, never back";
    ASSERT_TRUE(resumed.snapshot) << "nothing here to replay: the whole picture instead";
    const auto& joined = std::get<JoinAccepted>(*resumed.snapshot);
    EXPECT_EQ(joined.resumeToken, ben.token);
    EXPECT_EQ(joined.you.role, Role::Guest);
    EXPECT_FALSE(joined.you.media.mic);
    EXPECT_EQ(joined.host, ann.id);
    ASSERT_EQ(joined.others.size(), 2u);
    EXPECT_EQ(joined.others[0].id, ann.id);
    EXPECT_FALSE(joined.others[0].connected) << "Ann has not come back yet";
    ASSERT_EQ(joined.chat.size(), 2u);
    EXPECT_EQ(joined.chat[0].text, "Welcome, everyone");
    EXPECT_EQ(joined.hands, (std::vector<ParticipantId>{cat.id, ben.id}));
    EXPECT_EQ(joined.state.sessionEndsAtMs, kStart + 35 * 60'000);
    EXPECT_TRUE(joined.queue.empty()) << "a guest does not see the line";
    EXPECT_EQ(b.rooms.sessionOf(ben.id), SessionId{71});

    // The next event to Ben is numbered after what he has.
    b.rooms.resume(72, ann.token);
    ASSERT_FALSE(b.rec.events.empty());
    const auto& toBen = *std::find_if(b.rec.events.rbegin(), b.rec.events.rend(),
                                      [&](const Numbered& e) { return e.to == ben.id; });
    EXPECT_EQ(toBen.seq, benSeq + 4);
    const auto* back = std::get_if<ConnectionChanged>(&toBen.event);
    ASSERT_NE(back, nullptr);
    EXPECT_TRUE(back->connected);
    EXPECT_TRUE(back->rebuild) << "her peer connections went with the old node";

    // The host gets the line in its order; Eve and Dan their places in it.
    auto annBack = std::get<Resumed>(b.rooms.resume(73, ann.token, true));
    const auto& annJoined = std::get<JoinAccepted>(*annBack.snapshot);
    EXPECT_EQ(annJoined.you.role, Role::Host);
    ASSERT_EQ(annJoined.queue.size(), 2u);
    EXPECT_EQ(annJoined.queue[0].id, eve.id);
    EXPECT_EQ(annJoined.queue[1].id, dan.id);
    auto eveBack = std::get<Resumed>(b.rooms.resume(74, eve.token));
    ASSERT_TRUE(eveBack.snapshot);
    EXPECT_EQ(std::get<Waiting>(*eveBack.snapshot).position, 1u);
    auto danBack = std::get<Resumed>(b.rooms.resume(75, dan.token));
    EXPECT_EQ(std::get<Waiting>(*danBack.snapshot).position, 2u);
    EXPECT_EQ(std::get<Waiting>(*danBack.snapshot).of, 2u);
}

TEST_F(RealisticRoom, ASecondResumeOnTheNewNodeIsAnOrdinaryOne) {
    Node b{a.clock.nowMs()};
    ASSERT_EQ(b.rooms.restore(*a.rooms.snapshot(kRoom)), std::nullopt);
    ASSERT_TRUE(std::holds_alternative<Resumed>(b.rooms.resume(1, cat.token)));
    b.rooms.detach(1);
    auto again = b.rooms.resume(2, cat.token);
    ASSERT_TRUE(std::holds_alternative<Resumed>(again));
    EXPECT_FALSE(std::get<Resumed>(again).snapshot) << "events from now on are kept here for a replay";
}

TEST_F(RealisticRoom, WithoutWhatTheClientSawNumberingGoesOnFromTheSnapshot) {
    const std::uint64_t catSeq = a.rec.lastSeqOf(cat.id);
    Node b{a.clock.nowMs()};
    ASSERT_EQ(b.rooms.restore(*a.rooms.snapshot(kRoom)), std::nullopt);
    auto r = std::get<Resumed>(b.rooms.resume(1, cat.token, true));
    EXPECT_EQ(r.lastSeq, catSeq);
}

TEST_F(RealisticRoom, AWrongOrForeignTokenTakesNoSeat) {
    Node b{a.clock.nowMs()};
    ASSERT_EQ(b.rooms.restore(*a.rooms.snapshot(kRoom)), std::nullopt);
    // Ben's id with another secret; Ben's secret under Cat's id; a token for nobody.
    std::string wrong = ben.token;
    wrong.back() = wrong.back() == '0' ? '1' : '0';
    const std::string swapped = cat.id + ben.token.substr(ben.token.rfind('.'));
    for (const std::string& token : {wrong, swapped, std::string("p99.00000000000000000000000000000000")}) {
        auto r = b.rooms.resume(9, token);
        ASSERT_TRUE(std::holds_alternative<Refusal>(r)) << token;
        EXPECT_EQ(std::get<Refusal>(r).code, ErrorCode::ResumeFailed);
        EXPECT_EQ(b.rooms.holderOf(token), std::nullopt);
    }
    EXPECT_EQ(b.rooms.awayCount(), 5u);
}

TEST_F(RealisticRoom, ThePasswordStillGuardsTheRestoredRoom) {
    Node b{a.clock.nowMs()};
    ASSERT_EQ(b.rooms.restore(throughJson(*a.rooms.snapshot(kRoom))), std::nullopt);
    auto none = b.rooms.join(20, kRoom, "Fay", {});
    ASSERT_TRUE(std::holds_alternative<Refusal>(none));
    EXPECT_EQ(std::get<Refusal>(none).code, ErrorCode::PasswordRequired);
    auto wrong = b.rooms.join(21, kRoom, "Fay", {}, {}, Credentials{"hunter3"});
    ASSERT_TRUE(std::holds_alternative<Refusal>(wrong));
    EXPECT_EQ(std::get<Refusal>(wrong).code, ErrorCode::WrongPassword);
    auto right = b.rooms.join(22, kRoom, "Fay", {}, {}, Credentials{"hunter2"});
    ASSERT_TRUE(std::holds_alternative<Waiting>(right)) << "the room is full: Fay waits, third in line";
    EXPECT_EQ(std::get<Waiting>(right).position, 3u);
}

TEST_F(RealisticRoom, TheTimerEndsAtTheSameWallClockDeadline) {
    Node b{a.clock.nowMs() + 4'000};
    ASSERT_EQ(b.rooms.restore(*a.rooms.snapshot(kRoom)), std::nullopt);
    b.rooms.resume(1, ann.token);
    b.rooms.resume(2, ben.token);
    b.rooms.resume(3, cat.token);
    b.rooms.resume(4, dan.token);
    b.rooms.resume(5, eve.token);
    const std::int64_t deadline = kStart + 35 * 60'000;
    EXPECT_EQ(b.rooms.nextDueMs(), deadline - 300'000) << "the five-minute warning is still ahead";
    b.clock.advance(deadline - 1 - b.clock.nowMs());
    b.rooms.tick();
    ASSERT_NE(b.rooms.find(kRoom), nullptr);
    b.clock.advance(1);
    b.rooms.tick();
    EXPECT_EQ(b.rooms.find(kRoom), nullptr) << "time is up, as it would have been on the old node";
}

TEST_F(RealisticRoom, SeatsNobodyResumesGoWhenTheGraceRunsOut) {
    Node b{a.clock.nowMs(), RoomsConfig{6, 30'000}};
    ASSERT_EQ(b.rooms.restore(*a.rooms.snapshot(kRoom)), std::nullopt);
    b.rooms.resume(2, ben.token);
    b.clock.advance(29'999);
    b.rooms.tick();
    EXPECT_EQ(b.rooms.awayCount(), 4u);
    b.clock.advance(1);
    b.rooms.tick();
    EXPECT_EQ(b.rooms.awayCount(), 0u);
    const Room* room = b.rooms.find(kRoom);
    ASSERT_NE(room, nullptr);
    EXPECT_EQ(room->host(), ben.id) << "the longest present of those back hosts";
    EXPECT_EQ(room->memberCount(), 1u);
}

TEST_F(RealisticRoom, RestoreRefusesWithoutChangingAnything) {
    const RoomSnapshot s = *a.rooms.snapshot(kRoom);
    Node b{a.clock.nowMs()};
    ASSERT_EQ(b.rooms.restore(s), std::nullopt);
    auto twice = b.rooms.restore(s);
    ASSERT_TRUE(twice);
    EXPECT_EQ(twice->code, SnapshotErrorCode::RoomExists);

    RoomSnapshot other = s;
    other.id = "other-room";
    auto taken = b.rooms.restore(other);
    ASSERT_TRUE(taken);
    EXPECT_EQ(taken->code, SnapshotErrorCode::SeatTaken);
    EXPECT_EQ(b.rooms.find("other-room"), nullptr);

    Node c{a.clock.nowMs()};
    RoomSnapshot broken = s;
    broken.host = dan.id;  // someone in line cannot host
    auto invalid = c.rooms.restore(broken);
    ASSERT_TRUE(invalid);
    EXPECT_EQ(invalid->code, SnapshotErrorCode::Inconsistent);
    EXPECT_EQ(c.rooms.roomCount(), 0u);
    EXPECT_EQ(c.rooms.awayCount(), 0u);
}

TEST(RoomSnapshotRestore, AOneAtATimeRoomKeepsItsLockSlotAndStays) {
    Node a{kStart, RoomsConfig{6}};
    RoomSettings settings;
    settings.admission = Admission::OneAtATime;
    settings.slotLengthMs = 10 * 60'000;
    auto host = tokenOf(a.rooms.join(1, kRoom, "Host", {}, settings));
    auto first = tokenOf(a.rooms.join(2, kRoom, "First", {}));
    a.clock.advance(4 * 60'000);
    a.rooms.leave(2, LeaveReason::Left);  // a stay of four minutes
    auto guest = tokenOf(a.rooms.join(3, kRoom, "Guest", {}));
    a.clock.advance(60'000);
    EXPECT_EQ(a.rooms.act(1, [](Room& r, const ParticipantId& me) { return r.lock(me, true); }), std::nullopt);
    const RoomSnapshot s = *a.rooms.snapshot(kRoom);
    EXPECT_TRUE(s.locked);
    EXPECT_EQ(s.slotEndsAtMs, kStart + 4 * 60'000 + 10 * 60'000);
    EXPECT_EQ(s.recentStaysMs, (std::vector<std::int64_t>{4 * 60'000}));
    (void)first;

    const auto decoded = decodeRoomSnapshot(encodeRoomSnapshot(s));
    ASSERT_TRUE(std::holds_alternative<RoomSnapshot>(decoded));
    Node b{a.clock.nowMs() + 3'000};
    ASSERT_EQ(b.rooms.restore(std::get<RoomSnapshot>(decoded)), std::nullopt);
    EXPECT_TRUE(b.rooms.find(kRoom)->state().locked);
    auto refused = b.rooms.join(9, kRoom, "Late", {});
    ASSERT_TRUE(std::holds_alternative<Refusal>(refused));
    EXPECT_EQ(std::get<Refusal>(refused).code, ErrorCode::RoomLocked);

    b.rooms.resume(1, host.token);
    b.rooms.resume(3, guest.token);
    b.clock.advance(*s.slotEndsAtMs - b.clock.nowMs());
    b.rooms.tick();
    EXPECT_FALSE(b.rooms.find(kRoom)->isAdmitted(guest.id)) << "the slot ended when it was due to";
    EXPECT_TRUE(b.rooms.find(kRoom)->isAdmitted(host.id));
}

TEST(RoomSnapshotRestore, AForwardedRoomTellsObserversItsTopology) {
    RoomsConfig config{6};
    config.topology.mode = TopologyMode::Auto;
    Node a{kStart, config};
    for (SessionId s = 1; s <= 3; ++s) tokenOf(a.rooms.join(s, kRoom, "P" + std::to_string(s), {}));
    const RoomSnapshot s = *a.rooms.snapshot(kRoom);
    EXPECT_EQ(s.topology, Topology::Forwarded);
    Node b{kStart, config};
    FactLog log;
    b.rooms.addObserver(log);
    ASSERT_EQ(b.rooms.restore(s), std::nullopt);
    EXPECT_EQ(log.facts.back(), "topology forwarded");
    EXPECT_EQ(b.rooms.find(kRoom)->topology(), Topology::Forwarded);
}

TEST(SecretDigest, PasswordHashesAreSaltedAndCompareByValue) {
    const auto one = PasswordHash::of("secret");
    const auto two = PasswordHash::of("secret");
    EXPECT_NE(one.salt, two.salt);
    EXPECT_NE(one.digest, two.digest) << "one table of digests does not serve two rooms";
    EXPECT_TRUE(one.matches("secret"));
    EXPECT_TRUE(two.matches("secret"));
    EXPECT_FALSE(one.matches("Secret"));
    EXPECT_FALSE(one.matches(""));
    // SHA-256 of "abc" (FIPS 180-2): the digest is the standard one.
    const SecretDigest abc = sha256("abc");
    EXPECT_EQ(abc.bytes[0], 0xba);
    EXPECT_EQ(abc.bytes[31], 0xad);
    EXPECT_TRUE(sameDigest(abc, sha256("abc")));
    EXPECT_FALSE(sameDigest(abc, sha256("abd")));
}

}  // namespace

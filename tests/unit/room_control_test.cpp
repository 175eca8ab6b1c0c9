// Issue "Room control": queue policies, host controls, timers, chat and hands, driven by a
// manual clock.
#include <gtest/gtest.h>

#include "core/rooms.hpp"

using namespace parley::core;

namespace {

struct TypedEventRecorder : Rooms::Listener {
    std::vector<std::pair<SessionId, Event>> events;
    void onEvent(std::optional<SessionId> to, const ParticipantId&, std::uint64_t, const Event& e) override {
        events.emplace_back(to.value_or(0), e);
    }
    void onRelay(const RelayTrace&) override {}
    void onGone(const ParticipantId&) override {}

    template <class T>
    std::vector<T> of(SessionId s) const {
        std::vector<T> out;
        for (auto& [to, e] : events) {
            if (to == s) {
                if (auto* t = std::get_if<T>(&e)) out.push_back(*t);
            }
        }
        return out;
    }
    template <class T>
    std::optional<T> last(SessionId s) const {
        auto all = of<T>(s);
        if (all.empty()) return std::nullopt;
        return all.back();
    }
};

struct RoomControl : ::testing::Test {
    ManualClock clock;
    SequentialIdSource ids;
    TypedEventRecorder rec;
    Rooms rooms{RoomsConfig{6}, clock, ids, rec};

    std::variant<JoinAccepted, Waiting, Refusal> join(SessionId s, const RoomSettings& settings = {}) {
        return rooms.join(s, "room", "P" + std::to_string(s), {}, settings);
    }
    ParticipantId admittedId(SessionId s, const RoomSettings& settings = {}) {
        auto r = join(s, settings);
        EXPECT_TRUE(std::holds_alternative<JoinAccepted>(r)) << "session " << s;
        return std::holds_alternative<JoinAccepted>(r) ? std::get<JoinAccepted>(r).you.id : "";
    }
    Waiting waits(SessionId s) {
        auto r = join(s);
        EXPECT_TRUE(std::holds_alternative<Waiting>(r)) << "session " << s;
        return std::holds_alternative<Waiting>(r) ? std::get<Waiting>(r) : Waiting{};
    }
    Outcome as(SessionId s, auto action) {
        return rooms.act(s, [&](Room& r, const ParticipantId& me) { return action(r, me); });
    }
    bool admittedNow(SessionId s) { return rec.last<Admitted>(s).has_value(); }
};

RoomSettings open(std::size_t seats) { return RoomSettings{Admission::Open, seats, 0, 0}; }
RoomSettings knock() { return RoomSettings{Admission::Knock, 6, 0, 0}; }
RoomSettings officeHours(std::int64_t slotMs) { return RoomSettings{Admission::OneAtATime, 0, 0, slotMs}; }

TEST_F(RoomControl, FirstInIsHostAndSettingsComeFromTheOpener) {
    auto r = join(1, open(3));
    auto& j = std::get<JoinAccepted>(r);
    EXPECT_EQ(j.you.role, Role::Host);
    EXPECT_EQ(j.host, j.you.id);
    EXPECT_EQ(j.state.seats, 3u);
    auto second = join(2, knock());  // a later joiner cannot change the policy
    auto& g = std::get<JoinAccepted>(second);
    EXPECT_EQ(g.you.role, Role::Guest);
    EXPECT_EQ(g.state.admission, Admission::Open);
}

TEST_F(RoomControl, OpenRoomQueueKeepsOrderAndTwoFreedSeatsLetTwoIn) {
    admittedId(1, open(3));
    auto b = admittedId(2);
    auto c = admittedId(3);
    auto w4 = waits(4);
    auto w5 = waits(5);
    auto w6 = waits(6);
    EXPECT_EQ(w4.position, 1u);
    EXPECT_EQ(w5.position, 2u);
    EXPECT_EQ(w6.position, 3u);
    EXPECT_EQ(rec.last<Waiting>(4)->of, 3u) << "earlier people hear the line grew";

    clock.advance(60'000);
    rooms.leave(2, LeaveReason::Left);
    rooms.leave(3, LeaveReason::Left);
    EXPECT_TRUE(admittedNow(4));
    EXPECT_TRUE(admittedNow(5));
    EXPECT_FALSE(admittedNow(6));
    auto six = rec.last<Waiting>(6);
    ASSERT_TRUE(six);
    EXPECT_EQ(six->position, 1u);
    EXPECT_EQ(six->of, 1u);
    ASSERT_TRUE(six->estimatedWaitMs) << "two stays of 60 s are history now";
    EXPECT_EQ(*six->estimatedWaitMs, 60'000);
    EXPECT_EQ(rooms.participantCount(), 3u);
}

TEST_F(RoomControl, NoOneSkipsAheadOfTheLine) {
    admittedId(1, open(2));
    admittedId(2);
    waits(3);
    rooms.leave(2, LeaveReason::Left);  // seat frees, 3 comes in
    EXPECT_TRUE(admittedNow(3));
    waits(4);
    // A newcomer while someone waits goes behind them even if a seat is free at that instant.
    auto w = waits(5);
    EXPECT_EQ(w.position, 2u);
}

TEST_F(RoomControl, KnockRoomWaitsForTheHost) {
    auto host = admittedId(1, knock());
    auto w = waits(2);
    waits(3);
    EXPECT_EQ(w.position, 1u);
    EXPECT_EQ(w.of, 1u);
    EXPECT_FALSE(w.estimatedWaitMs) << "the host decides, so there is no estimate";
    auto q = rec.last<QueueChanged>(1);
    ASSERT_TRUE(q);
    ASSERT_EQ(q->entries.size(), 2u);
    EXPECT_EQ(q->entries[0].name, "P2");

    EXPECT_EQ(as(2, [&](Room& r, auto& me) { return r.admit(me, q->entries[1].id); })->code, ErrorCode::NotAdmitted);
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.moveToFront(me, q->entries[1].id); }));
    EXPECT_EQ(rec.last<Waiting>(3)->position, 1u);
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.admit(me, q->entries[1].id); }));
    ASSERT_TRUE(admittedNow(3));
    EXPECT_EQ(rec.last<Admitted>(3)->joined.others.size(), 1u);
    EXPECT_EQ(rec.last<ParticipantJoined>(1)->participant.name, "P3");
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.decline(me, q->entries[0].id); }));
    EXPECT_EQ(rec.last<Declined>(2)->reason, "declined");
    EXPECT_FALSE(rooms.isJoined(2));
    EXPECT_EQ(host, "p1");
}

TEST_F(RoomControl, EveryHostActionIsRefusedForGuests) {
    auto host = admittedId(1, open(6));
    auto guest = admittedId(2);
    auto other = admittedId(3);
    auto code = [&](auto action) { auto r = as(2, action); return r ? r->code : ErrorCode::Internal; };
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.admit(me, other); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.decline(me, other); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.moveToFront(me, other); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.kick(me, other, ""); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.mute(me, other); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.requestUnmute(me, other); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.lock(me, true); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.endSession(me); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.transferHost(me, me); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.setTimer(me, 1000); }), ErrorCode::NotHost);
    EXPECT_EQ(code([&](Room& r, auto& me) { return r.extendTimer(me, 1000); }), ErrorCode::NotHost);
    EXPECT_EQ(rooms.participantCount(), 3u);
    EXPECT_NE(host, guest);
}

TEST_F(RoomControl, OneAtATimeHandsOverWhenTheSlotEnds) {
    admittedId(1, officeHours(10'000));
    auto guest = admittedId(2);
    auto w3 = waits(3);
    auto w4 = waits(4);
    EXPECT_EQ(w3.position, 1u);
    ASSERT_TRUE(w3.estimatedWaitMs);
    EXPECT_EQ(*w3.estimatedWaitMs, 10'000) << "the current guest's slot ends in 10 s";
    EXPECT_EQ(*w4.estimatedWaitMs, 20'000);

    clock.advance(9'999);
    rooms.tick();
    EXPECT_FALSE(admittedNow(3));
    clock.advance(1);
    rooms.tick();
    EXPECT_EQ(rec.last<SessionEnded>(2)->reason, EndReason::SlotEnded);
    EXPECT_FALSE(rooms.isJoined(2));
    EXPECT_EQ(rec.last<ParticipantLeft>(1)->reason, LeaveReason::SlotEnded);
    ASSERT_TRUE(admittedNow(3));
    auto state = rec.last<Admitted>(3)->joined.state;
    ASSERT_TRUE(state.slotEndsAtMs);
    EXPECT_EQ(*state.slotEndsAtMs, clock.nowMs() + 10'000) << "a fresh slot for the next guest";
    EXPECT_EQ(rec.last<Waiting>(4)->position, 1u);
    EXPECT_FALSE(guest.empty());
}

TEST_F(RoomControl, OneAtATimeNextComesInWhenTheGuestLeaves) {
    admittedId(1, officeHours(0));
    admittedId(2);
    waits(3);
    rooms.leave(2, LeaveReason::Disconnected);
    EXPECT_TRUE(admittedNow(3));
}

TEST_F(RoomControl, SessionTimerWarnsThenEndsForEveryone) {
    RoomSettings s = open(6);
    s.sessionLengthMs = 10 * 60'000;
    admittedId(1, s);
    admittedId(2);
    clock.advance(5 * 60'000 - 1);
    rooms.tick();
    EXPECT_TRUE(rec.of<TimerWarning>(2).empty());
    clock.advance(1);
    rooms.tick();
    ASSERT_EQ(rec.of<TimerWarning>(2).size(), 1u);
    EXPECT_EQ(rec.of<TimerWarning>(2)[0].remainingMs, 300'000);
    clock.advance(4 * 60'000);
    rooms.tick();
    ASSERT_EQ(rec.of<TimerWarning>(2).size(), 2u);
    EXPECT_EQ(rec.of<TimerWarning>(2)[1].remainingMs, 60'000);
    clock.advance(60'000);
    rooms.tick();
    EXPECT_EQ(rec.last<SessionEnded>(1)->reason, EndReason::TimeUp);
    EXPECT_EQ(rec.last<SessionEnded>(2)->reason, EndReason::TimeUp);
    EXPECT_EQ(rooms.roomCount(), 0u);
    EXPECT_FALSE(rooms.isJoined(1));
}

TEST_F(RoomControl, HostExtendsTheTimerAndLateJoinersSeeTheSameEnd) {
    admittedId(1, open(6));
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.setTimer(me, 120'000); }));
    clock.advance(90'000);
    rooms.tick();
    EXPECT_EQ(rec.of<TimerWarning>(1).size(), 1u);  // 1-minute mark (5-minute one was behind)
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.extendTimer(me, 600'000); }));
    auto late = std::get<JoinAccepted>(join(2));
    ASSERT_TRUE(late.state.sessionEndsAtMs);
    EXPECT_EQ(*late.state.sessionEndsAtMs, clock.nowMs() + 30'000 + 600'000);
    clock.advance(30'000 + 600'000 - 300'000);
    rooms.tick();
    EXPECT_EQ(rec.of<TimerWarning>(2).size(), 1u) << "the 5-minute warning comes again";
}

TEST_F(RoomControl, HostLeavingPassesTheRoleToTheLongestPresent) {
    admittedId(1, open(6));
    auto b = admittedId(2);
    admittedId(3);
    rooms.leave(1, LeaveReason::Left);
    EXPECT_EQ(rec.last<HostChanged>(3)->host, b);
    EXPECT_EQ(rec.last<HostChanged>(2)->host, b);
    // The new host can act.
    EXPECT_FALSE(as(2, [&](Room& r, auto& me) { return r.lock(me, true); }));
}

TEST_F(RoomControl, KnockRoomWithoutHostLetsTheFirstWaitingPersonIn) {
    admittedId(1, knock());
    waits(2);
    waits(3);
    rooms.leave(1, LeaveReason::Disconnected);
    ASSERT_TRUE(admittedNow(2));
    EXPECT_EQ(rec.last<Admitted>(2)->joined.you.role, Role::Host);
    EXPECT_EQ(rec.last<Admitted>(2)->joined.queue.size(), 1u) << "the new host sees who waits";
    EXPECT_FALSE(admittedNow(3));
}

TEST_F(RoomControl, LockRefusesNewcomersAndClosesTheLine) {
    admittedId(1, open(2));
    admittedId(2);
    waits(3);
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.lock(me, true); }));
    EXPECT_EQ(rec.last<Declined>(3)->reason, "locked");
    EXPECT_FALSE(rooms.isJoined(3));
    EXPECT_TRUE(rec.last<RoomStateChanged>(2)->state.locked);
    auto r = join(4);
    ASSERT_TRUE(std::holds_alternative<Refusal>(r));
    EXPECT_EQ(std::get<Refusal>(r).code, ErrorCode::RoomLocked);
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.lock(me, false); }));
    EXPECT_TRUE(std::holds_alternative<Waiting>(join(4)));
}

TEST_F(RoomControl, AdmitRacingALeaveIsRefusedCleanly) {
    admittedId(1, knock());
    auto w = waits(2);
    rooms.leave(2, LeaveReason::Left);  // gave up just before the host clicked
    auto r = as(1, [&](Room& room, auto& me) { return room.admit(me, w.you); });
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, ErrorCode::TargetNotFound);
    EXPECT_EQ(rooms.participantCount(), 1u);
    EXPECT_TRUE(rec.last<QueueChanged>(1)->entries.empty());
}

TEST_F(RoomControl, AdmitNeedsAFreeSeat) {
    RoomSettings s = knock();
    s.seats = 2;
    admittedId(1, s);
    waits(2);
    auto w3 = waits(3);
    auto q = rec.last<QueueChanged>(1)->entries;
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.admit(me, q[0].id); }));
    EXPECT_EQ(as(1, [&](Room& r, auto& me) { return r.admit(me, w3.you); })->code, ErrorCode::NoFreeSeat);
}

TEST_F(RoomControl, KickMuteAndUnmuteRequest) {
    auto host = admittedId(1, open(6));
    auto b = admittedId(2);
    auto c = admittedId(3);
    rooms.setMedia(2, MediaState{true, true, false, {}});
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.mute(me, b); }));
    EXPECT_EQ(rec.last<MuteRequest>(2)->by, host);
    EXPECT_FALSE(rec.last<MuteRequest>(2)->unmute);
    EXPECT_FALSE(rec.last<MediaChanged>(3)->media.mic) << "everyone sees the host muted B";
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.requestUnmute(me, b); }));
    EXPECT_TRUE(rec.last<MuteRequest>(2)->unmute);
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.kick(me, c, "spam"); }));
    EXPECT_EQ(rec.last<Kicked>(3)->reason, "spam");
    EXPECT_FALSE(rooms.isJoined(3));
    EXPECT_EQ(rec.last<ParticipantLeft>(2)->reason, LeaveReason::Kicked);
}

TEST_F(RoomControl, EndSessionAndTransferHost) {
    admittedId(1, open(6));
    auto b = admittedId(2);
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.transferHost(me, b); }));
    EXPECT_EQ(rec.last<HostChanged>(1)->host, b);
    EXPECT_EQ(as(1, [&](Room& r, auto& me) { return r.endSession(me); })->code, ErrorCode::NotHost);
    EXPECT_FALSE(as(2, [&](Room& r, auto& me) { return r.endSession(me); }));
    EXPECT_EQ(rec.last<SessionEnded>(1)->reason, EndReason::HostEnded);
    EXPECT_EQ(rooms.roomCount(), 0u);
}

TEST_F(RoomControl, ChatHistoryIsDeliveredOnJoinAndHandsKeepTheirOrder) {
    auto a = admittedId(1, open(6));
    auto b = admittedId(2);
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.chat(me, "hello"); }));
    EXPECT_EQ(rec.last<ChatPosted>(2)->message.text, "hello");
    EXPECT_EQ(rec.last<ChatPosted>(1)->message.name, "P1") << "the sender sees its own message";
    EXPECT_FALSE(as(2, [&](Room& r, auto& me) { return r.hand(me, true); }));
    EXPECT_FALSE(as(1, [&](Room& r, auto& me) { return r.hand(me, true); }));
    EXPECT_EQ(rec.last<HandsChanged>(2)->order, (std::vector<ParticipantId>{b, a}));
    auto late = std::get<JoinAccepted>(join(3));
    ASSERT_EQ(late.chat.size(), 1u);
    EXPECT_EQ(late.chat[0].text, "hello");
    EXPECT_EQ(late.hands, (std::vector<ParticipantId>{b, a}));
    rooms.leave(2, LeaveReason::Left);
    EXPECT_EQ(rec.last<HandsChanged>(3)->order, (std::vector<ParticipantId>{a}));
}

TEST_F(RoomControl, ChatHistoryIsBounded) {
    admittedId(1, open(6));
    for (int i = 0; i < 150; ++i) as(1, [&](Room& r, auto& me) { return r.chat(me, std::to_string(i)); });
    auto late = std::get<JoinAccepted>(join(2));
    ASSERT_EQ(late.chat.size(), 100u);
    EXPECT_EQ(late.chat.front().text, "50");
    EXPECT_EQ(late.chat.back().id, 150u);
}

TEST_F(RoomControl, WaitingPeopleCannotChatOrSignal) {
    auto host = admittedId(1, knock());
    waits(2);
    EXPECT_EQ(as(2, [&](Room& r, auto& me) { return r.chat(me, "let me in"); })->code, ErrorCode::NotAdmitted);
    EXPECT_EQ(rooms.relay(2, host, RelayKind::Offer, "\"x\"")->code, ErrorCode::NotAdmitted);
    EXPECT_TRUE(rec.of<ChatPosted>(1).empty());
}

}  // namespace

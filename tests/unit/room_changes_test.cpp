// "The owner writes the room's durable state as it changes" (issue 19): every command that
// changes what a snapshot holds reports roomChanged exactly once, after the command; commands
// that change nothing durable, and pure reads, report nothing.
#include <gtest/gtest.h>

#include <functional>

#include "core/rooms.hpp"

using namespace parley::core;

namespace {

struct Quiet : Rooms::Listener {
    void onEvent(std::optional<SessionId>, const ParticipantId&, std::uint64_t, const Event&) override {}
    void onRelay(const RelayTrace&) override {}
    void onGone(const ParticipantId&) override {}
};

struct ChangeLog : RoomObserver {
    std::vector<std::string> facts;
    void roomChanged(const RoomId& room) override { facts.push_back("changed " + room); }
    void roomClosed(const RoomId& room) override { facts.push_back("closed " + room); }
    void admitted(const RoomId&, const ParticipantInfo& who) override { facts.push_back("admitted " + who.id); }
};

struct RoomChanges : ::testing::Test {
    ManualClock clock;
    SequentialIdSource ids;
    Quiet quiet;
    Rooms rooms{RoomsConfig{3, 30'000}, clock, ids, quiet};
    ChangeLog log;

    void SetUp() override { rooms.addObserver(log); }

    ParticipantId join(SessionId s, const RoomSettings& settings = {}, const std::string& room = "r") {
        auto r = rooms.join(s, room, "P" + std::to_string(s), MediaState{true, true, false, {}}, settings);
        if (auto* j = std::get_if<JoinAccepted>(&r)) return j->you.id;
        if (auto* w = std::get_if<Waiting>(&r)) return w->you;
        ADD_FAILURE() << "refused";
        return {};
    }
    Outcome as(SessionId s, const std::function<Outcome(Room&, const ParticipantId&)>& action) {
        return rooms.act(s, action);
    }
    // How many roomChanged `step` reported.
    std::size_t changes(const std::function<void()>& step) {
        log.facts.clear();
        step();
        return static_cast<std::size_t>(std::count_if(log.facts.begin(), log.facts.end(),
                                                       [](const std::string& f) { return f.starts_with("changed"); }));
    }
};

TEST_F(RoomChanges, JoiningReportsOnceAfterTheOtherFacts) {
    EXPECT_EQ(changes([&] { join(1); }), 1u);
    EXPECT_EQ(log.facts, (std::vector<std::string>{"admitted p1", "changed r"}));
    EXPECT_EQ(changes([&] { join(2); }), 1u);
}

TEST_F(RoomChanges, EveryDurableChangeReportsOnce) {
    RoomSettings settings;
    settings.admission = Admission::Knock;
    const ParticipantId host = join(1, settings);
    const ParticipantId guest = [&] {
        join(2);  // waits: a knock room
        ParticipantId id = "p2";
        EXPECT_EQ(as(1, [&](Room& r, const ParticipantId& me) { return r.admit(me, id); }), std::nullopt);
        return id;
    }();
    auto host_ = [&](auto action) {
        return changes([&] { EXPECT_EQ(as(1, action), std::nullopt); });
    };

    EXPECT_EQ(changes([&] { join(3); }), 1u) << "joining the line";
    EXPECT_EQ(changes([&] { join(4); }), 1u);
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.moveToFront(me, "p4"); }), 1u) << "line order";
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.decline(me, "p4"); }), 1u) << "declined";
    EXPECT_EQ(changes([&] { rooms.leave(3, LeaveReason::Left); }), 1u) << "leaving the line";
    EXPECT_EQ(changes([&] { join(5); }), 1u);
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.admit(me, "p5"); }), 1u) << "admitted";
    EXPECT_EQ(changes([&] { rooms.setMedia(2, MediaState{false, true, false, {}}); }), 1u) << "own media";
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.mute(me, "p5"); }), 1u) << "muted";
    EXPECT_EQ(changes([&] { as(2, [](Room& r, const ParticipantId& me) { return r.chat(me, "hello"); }); }), 1u)
        << "chat";
    EXPECT_EQ(changes([&] { as(2, [](Room& r, const ParticipantId& me) { return r.hand(me, true); }); }), 1u)
        << "hand up";
    EXPECT_EQ(changes([&] { as(2, [](Room& r, const ParticipantId& me) { return r.hand(me, false); }); }), 1u)
        << "hand down";
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.lock(me, true); }), 1u) << "locked";
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.lock(me, false); }), 1u) << "unlocked";
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.setTimer(me, 600'000); }), 1u) << "timer set";
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.extendTimer(me, 60'000); }), 1u) << "extended";
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.setTimer(me, 0); }), 1u) << "timer stopped";
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.kick(me, "p5", "spam"); }), 1u) << "kicked";
    EXPECT_EQ(host_([&](Room& r, const ParticipantId& me) { return r.transferHost(me, guest); }), 1u) << "new host";
    EXPECT_EQ(changes([&] { rooms.leave(2, LeaveReason::Left); }), 1u) << "the host leaves";
    EXPECT_EQ(rooms.find("r")->host(), host);
}

TEST_F(RoomChanges, WhatChangesNothingDurableReportsNothing) {
    const ParticipantId a = join(1);
    const ParticipantId b = join(2);
    auto none = [&](const char* what, const std::function<void()>& step) { EXPECT_EQ(changes(step), 0u) << what; };
    none("relay", [&] { rooms.relay(1, b, RelayKind::Candidate, R"({"candidate":""})"); });
    none("same media again", [&] { rooms.setMedia(1, MediaState{true, true, false, {}}); });
    none("hand lowered that was not up", [&] { as(2, [](Room& r, const ParticipantId& me) { return r.hand(me, false); }); });
    as(2, [](Room& r, const ParticipantId& me) { return r.hand(me, true); });
    none("hand raised twice", [&] { as(2, [](Room& r, const ParticipantId& me) { return r.hand(me, true); }); });
    none("refused: a guest locks", [&] { as(2, [](Room& r, const ParticipantId& me) { return r.lock(me, true); }); });
    none("unlock an unlocked room", [&] { as(1, [](Room& r, const ParticipantId& me) { return r.lock(me, false); }); });
    none("stop a timer that does not run", [&] { as(1, [](Room& r, const ParticipantId& me) { return r.setTimer(me, 0); }); });
    none("ask to unmute", [&] { as(1, [&](Room& r, const ParticipantId& me) { return r.requestUnmute(me, b); }); });
    none("transfer to oneself", [&] { as(1, [](Room& r, const ParticipantId& me) { return r.transferHost(me, me); }); });
    rooms.setMedia(2, MediaState{false, false, false, {}});
    none("mute someone already muted", [&] { as(1, [&](Room& r, const ParticipantId& me) { return r.mute(me, b); }); });
    none("a socket drops", [&] { rooms.detach(2); });
    none("and resumes", [&] { ASSERT_TRUE(std::holds_alternative<Resumed>(rooms.resume(3, "p2." + std::string(31, '0') + "2"))); });
    none("a service event", [&] { rooms.send(a, ServiceEvent{"x", ""}); });
    none("reads", [&] {
        rooms.snapshot("r");
        rooms.find("r")->state();
        rooms.find("r")->snapshotOf(a);
        rooms.holderOf("p1." + std::string(32, '0'));
        rooms.nextDueMs();
    });
    none("a tick with nothing due", [&] { rooms.tick(); });
    none("a refused join", [&] { rooms.join(1, "r", "again", {}); });
}

TEST_F(RoomChanges, TimeMakesChangesToo) {
    RoomSettings settings;
    settings.admission = Admission::OneAtATime;
    settings.slotLengthMs = 600'000;
    settings.sessionLengthMs = 3'600'000;
    join(1, settings);
    join(2);
    join(3);  // waits for the slot
    EXPECT_EQ(changes([&] {
                  clock.advance(600'000 - 300'000);
                  rooms.tick();
              }),
              0u)
        << "a warning is not durable";
    EXPECT_EQ(changes([&] {
                  clock.advance(300'000);
                  rooms.tick();
              }),
              1u)
        << "the slot ended and the next guest came in";
    EXPECT_EQ(rooms.find("r")->isAdmitted("p3"), true);

    rooms.detach(3);
    EXPECT_EQ(changes([&] {
                  clock.advance(30'000);
                  rooms.tick();
              }),
              1u)
        << "the grace ran out";

    EXPECT_EQ(changes([&] {
                  clock.advance(3'600'000);
                  rooms.tick();
              }),
              0u)
        << "the session ended: the room closed";
    EXPECT_EQ(log.facts.back(), "closed r");
}

TEST_F(RoomChanges, EndingOrEmptyingARoomClosesItInstead) {
    join(1);
    join(2);
    EXPECT_EQ(changes([&] { as(1, [](Room& r, const ParticipantId& me) { return r.endSession(me); }); }), 0u);
    EXPECT_EQ(log.facts, (std::vector<std::string>{"closed r"}));
    join(3, {}, "s");
    EXPECT_EQ(changes([&] { rooms.leave(3, LeaveReason::Left); }), 0u);
    EXPECT_EQ(log.facts, (std::vector<std::string>{"closed s"}));
}

// How the cluster uses it: on each report, capture the room and store it.
TEST_F(RoomChanges, AnObserverCapturesTheWholeCommandWhenTold) {
    struct Writer : RoomObserver {
        const Rooms* rooms = nullptr;
        std::vector<RoomSnapshot> written;
        void roomChanged(const RoomId& room) override { written.push_back(*rooms->snapshot(room)); }
    } writer;
    writer.rooms = &rooms;
    rooms.addObserver(writer);
    join(1);
    join(2);
    as(1, [](Room& r, const ParticipantId& me) { return r.transferHost(me, "p2"); });
    ASSERT_EQ(writer.written.size(), 3u);
    EXPECT_EQ(writer.written.back().host, "p2");
    EXPECT_EQ(writer.written.back().members[0].role, Role::Guest) << "both roles changed before the report";
    EXPECT_EQ(writer.written.back().members[1].role, Role::Host);
    rooms.removeObserver(writer);
}

TEST_F(RoomChanges, EachRoomReportsItsOwn) {
    join(1, {}, "r");
    join(2, {}, "s");
    changes([&] { as(2, [](Room& r, const ParticipantId& me) { return r.chat(me, "x"); }); });
    EXPECT_EQ(log.facts, (std::vector<std::string>{"changed s"}));
}

}  // namespace

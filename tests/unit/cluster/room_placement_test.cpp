// Where rooms live in a cluster: a new room goes to the least-loaded node under a lease taken
// for that node, a join for a held room is sent to its node, one whose node is gone is told to
// come back, and the rooms a node holds keep their leases until they close. On the in-memory
// directory and a manual clock.
#include "cluster/room_placement.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "switchable_directory.hpp"

using namespace parley;
using namespace parley::cluster;
using Kind = core::RoomLocation::Kind;

namespace {

NodeRecord node(std::string id, std::uint64_t participants, std::uint64_t rooms, std::string url = "") {
    NodeRecord record;
    record.id = std::move(id);
    record.publicUrl = url.empty() ? "https://" + record.id + ".example" : url;
    record.load.participants = participants;
    record.load.rooms = rooms;
    return record;
}

}  // namespace

class RoomPlacementTest : public ::testing::Test {
protected:
    boost::asio::io_context io;
    core::ManualClock clock;
    SwitchableDirectory directory{clock};
    std::vector<NodeRecord> live{node("a", 10, 2), node("b", 3, 1), node("c", 3, 4)};
    RoomPlacement a{io, directory, "a", [this] { return live; }};
    RoomPlacement b{io, directory, "b", [this] { return live; }};

    core::RoomLocation locate(RoomPlacement& on, const std::string& room) {
        std::optional<core::RoomLocation> answer;
        on.locate(room, [&](core::RoomLocation where) { answer = where; });
        EXPECT_TRUE(answer) << "the in-memory directory answers at once";
        return answer.value_or(core::RoomLocation{});
    }
    // Who holds the lease, read even while the nodes see the directory as away.
    std::optional<std::string> owner(const std::string& room) {
        const bool was = directory.up;
        directory.up = true;
        std::optional<std::string> found;
        directory.leaseOwner(room, [&](DirectoryResult<std::optional<std::string>> r) { found = r.value(); });
        directory.up = was;
        return found;
    }
};

TEST(LeastLoadedNode, FewestParticipantsThenRoomsThenIdAndOnlyNodesABrowserCanReach) {
    EXPECT_EQ(leastLoadedNode({node("a", 10, 2), node("b", 3, 1), node("c", 3, 4)}, "a"), "b");
    EXPECT_EQ(leastLoadedNode({node("x", 3, 1), node("b", 3, 1)}, "x"), "b");
    NodeRecord unreachable = node("d", 0, 0);
    unreachable.publicUrl.clear();
    EXPECT_EQ(leastLoadedNode({node("a", 10, 2), unreachable}, "a"), "a") << "no URL to send a browser to";
    unreachable.id = "self";
    EXPECT_EQ(leastLoadedNode({node("a", 10, 2), unreachable}, "self"), "self") << "this node needs none";
    EXPECT_EQ(leastLoadedNode({}, "a"), std::nullopt);
}

TEST_F(RoomPlacementTest, ANewRoomGoesToTheLeastLoadedNodeWhichFindsItHeldForIt) {
    const auto first = locate(a, "maths");
    EXPECT_EQ(first.kind, Kind::Elsewhere);
    EXPECT_EQ(first.url, "https://b.example");
    EXPECT_EQ(owner("maths"), "b") << "taken for b before the browser is sent there";
    EXPECT_EQ(a.counters().placedElsewhere, 1u);
    EXPECT_EQ(locate(b, "maths").kind, Kind::Here);
    // Everyone else asking a is sent to b as well, whatever the loads are now.
    live[0].load.participants = 0;
    EXPECT_EQ(locate(a, "maths").url, "https://b.example");
    EXPECT_EQ(a.counters().redirected, 2u);
}

TEST_F(RoomPlacementTest, ARoomPlacedHereIsHeldAndRenewedWhileOpenAndGivenBackWhenItCloses) {
    live[1].load.participants = 50;
    live[2].load.participants = 50;
    EXPECT_EQ(locate(a, "art").kind, Kind::Here);
    EXPECT_EQ(a.counters().placedHere, 1u);
    a.roomOpened("art");
    EXPECT_EQ(a.held(), 1u);
    EXPECT_EQ(locate(a, "art").kind, Kind::Here) << "open here: the directory is not asked";

    // Renewed: long past one lease's time to live it is still a's.
    RoomPlacement renewing{io, directory, "a", [this] { return live; }, std::chrono::milliseconds(6000),
                           std::chrono::milliseconds(1)};
    renewing.roomOpened("art");
    renewing.start();
    for (int i = 0; i < 5; ++i) {
        clock.advance(4000);
        io.restart();
        io.run_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(owner("art"), "a");
    EXPECT_EQ(locate(b, "art").url, "https://a.example");
    EXPECT_GT(directory.batchedAcquires, 0) << "renewed together, not one request per room";
    renewing.roomClosed("art");
    EXPECT_EQ(owner("art"), std::nullopt);
    renewing.stop();
}

TEST_F(RoomPlacementTest, ARoomWhoseNodeIsGoneIsToldToComeBackUntilItsLeaseRunsOut) {
    EXPECT_EQ(locate(a, "history").url, "https://b.example");
    live.erase(live.begin() + 1);  // b is dead: no longer listed
    const auto gone = locate(a, "history");
    EXPECT_EQ(gone.kind, Kind::Unsettled);
    EXPECT_GT(gone.retryAfterMs, 0);
    clock.advance(6001);  // b's lease has run out: the room is placed afresh
    const auto again = locate(a, "history");
    EXPECT_EQ(again.kind, Kind::Elsewhere);
    EXPECT_EQ(again.url, "https://c.example");
}

TEST_F(RoomPlacementTest, WithTheDirectoryAwayNewRoomsAreHereAndTheirLeasesAreTakenWhenItReturns) {
    a.start();
    directory.setUp(false);
    EXPECT_EQ(locate(a, "music").kind, Kind::Here);
    a.roomOpened("music");
    EXPECT_EQ(owner("music"), std::nullopt);  // nothing could be written
    directory.setUp(true);
    EXPECT_EQ(owner("music"), "a");
    a.stop();
    EXPECT_EQ(owner("music"), std::nullopt) << "a node that stops gives its leases back";
}

TEST_F(RoomPlacementTest, ARenewalThatFindsTheRoomTakenIsCounted) {
    a.start();
    a.roomOpened("chess");
    clock.advance(7000);    // a could not renew (cut off) past its lease...
    b.roomOpened("chess");  // ...and b opened the room meanwhile
    directory.setUp(true);  // a is back: its renewal finds b holding the room
    EXPECT_EQ(a.counters().leasesLost, 1u);
    EXPECT_EQ(owner("chess"), "b");
    a.stop();
}

TEST_F(RoomPlacementTest, ARoomTakenOverIsRestoredFromItsStoredStateBeforeTheJoinGoesAhead) {
    std::vector<std::pair<std::string, std::string>> restored;
    a.setRestore([&](const core::RoomId& room, const std::string& state) {
        restored.emplace_back(room, state);
        a.roomOpened(room);  // as Rooms::restore reports it
    });
    // b held "maths" and kept its state; then b died (unlisted) and its lease ran out.
    directory.acquireLease("maths", "b", std::chrono::milliseconds(6000), [](auto) {});
    directory.saveRoomState("maths", "b", "{state of maths}", std::chrono::hours(1), [](auto) {});
    live.erase(live.begin() + 1);
    EXPECT_EQ(locate(a, "maths").kind, Kind::Unsettled) << "b's lease still runs";
    EXPECT_TRUE(restored.empty());
    clock.advance(6001);
    live[1].load.participants = 50;  // c is busier than a: a takes it
    EXPECT_EQ(locate(a, "maths").kind, Kind::Here);
    ASSERT_EQ(restored.size(), 1u);
    EXPECT_EQ(restored[0].second, "{state of maths}");
    EXPECT_EQ(a.counters().restored, 1u);
    EXPECT_EQ(owner("maths"), "a");
    EXPECT_EQ(locate(a, "maths").kind, Kind::Here);
    EXPECT_EQ(restored.size(), 1u) << "open here now: not restored twice";
}

TEST_F(RoomPlacementTest, ARoomPlacedOnAnotherNodeIsRestoredByThatNodeWhenTheBrowserArrives) {
    std::vector<std::string> restoredOnB;
    b.setRestore([&](const core::RoomId& room, const std::string&) { restoredOnB.push_back(room); });
    directory.acquireLease("poetry", "c", std::chrono::milliseconds(6000), [](auto) {});
    directory.saveRoomState("poetry", "c", "{poetry}", std::chrono::hours(1), [](auto) {});
    live.erase(live.begin() + 2);  // c died
    clock.advance(6001);
    // a places it on b (least loaded) and sends the browser there; b restores it on arrival.
    EXPECT_EQ(locate(a, "poetry").url, "https://b.example");
    EXPECT_TRUE(restoredOnB.empty());
    EXPECT_EQ(locate(b, "poetry").kind, Kind::Here);
    EXPECT_EQ(restoredOnB, std::vector<std::string>{"poetry"});
}

TEST_F(RoomPlacementTest, ANewRoomWithNoStoredStateOpensEmpty) {
    int restores = 0;
    a.setRestore([&](const core::RoomId&, const std::string&) { ++restores; });
    live[1].load.participants = 50;
    live[2].load.participants = 50;
    EXPECT_EQ(locate(a, "fresh").kind, Kind::Here);
    EXPECT_EQ(restores, 0);
}

TEST_F(RoomPlacementTest, AClosedRoomTakesItsStateWithItAndAStoppedNodeLeavesItsStatesForTheNext) {
    a.roomOpened("gone");
    directory.saveRoomState("gone", "a", "{gone}", std::chrono::hours(1), [](auto) {});
    a.roomOpened("kept");
    directory.saveRoomState("kept", "a", "{kept}", std::chrono::hours(1), [](auto) {});
    a.roomClosed("gone");
    bool stopped = false;
    a.start();
    a.stop([&] { stopped = true; });
    EXPECT_TRUE(stopped);
    std::optional<std::string> gone = "?", kept;
    directory.loadRoomState("gone", [&](auto r) { gone = r.value(); });
    directory.loadRoomState("kept", [&](auto r) { kept = r.value(); });
    EXPECT_EQ(gone, std::nullopt);
    EXPECT_EQ(kept, "{kept}");
    EXPECT_EQ(owner("kept"), std::nullopt) << "its lease given back: the next node takes it at once";
}

TEST_F(RoomPlacementTest, MaxRoomsHoldsAcrossTheClusterForNewRoomsOnly) {
    // a holds 2 rooms, b 1 and c 4 as last announced; a's own count is what it has open now.
    a.setMaxRooms(6);
    a.roomOpened("one");
    a.roomOpened("two");
    EXPECT_EQ(locate(a, "new-1").kind, Kind::Full) << "2 + 1 + 4 = 7 ≥ 6";
    EXPECT_EQ(a.counters().refusedFull, 1u);
    EXPECT_EQ(locate(a, "one").kind, Kind::Here) << "a room open here is not new";
    directory.acquireLease("held-by-b", "b", std::chrono::milliseconds(6000), [](auto) {});
    EXPECT_EQ(locate(a, "held-by-b").kind, Kind::Elsewhere) << "nor is one another node holds";
    live[2].load.rooms = 2;  // c closed two: 2 + 1 + 2 = 5
    EXPECT_NE(locate(a, "new-1").kind, Kind::Full);
    a.setMaxRooms(0);
    live[2].load.rooms = 400;
    EXPECT_NE(locate(a, "new-2").kind, Kind::Full) << "0: no cluster-wide limit";
}

TEST_F(RoomPlacementTest, ARoomWithAStoredStateIsTakenByTheNodeAskedNotByADeadNodeStillListed) {
    int restores = 0;
    a.setRestore([&](const core::RoomId& room, const std::string&) {
        ++restores;
        a.roomOpened(room);
    });
    // b held "drama" and died a moment ago: its lease ran out, but its last record (announced
    // before anyone joined, so the lightest) is still listed.
    directory.acquireLease("drama", "b", std::chrono::milliseconds(6000), [](auto) {});
    directory.saveRoomState("drama", "b", "{drama}", std::chrono::hours(1), [](auto) {});
    clock.advance(6001);
    live[1].load.participants = 0;
    live[1].load.rooms = 0;
    EXPECT_EQ(locate(a, "drama").kind, Kind::Here);
    EXPECT_EQ(restores, 1);
    EXPECT_EQ(owner("drama"), "a");
    // A new room (no state) still goes to the least loaded as listed.
    EXPECT_EQ(locate(a, "brand-new").url, "https://b.example");
}

// Where rooms live in a cluster: a new room goes to the least-loaded node under a lease taken
// for that node, a join for a held room is sent to its node, one whose node is gone is told to
// come back, and the rooms a node holds keep their leases until they close. On the in-memory
// directory and a manual clock.
#include "cluster/room_placement.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "cluster/in_memory_directory.hpp"

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

// The in-memory directory, which can be made unreachable as Redis can be.
class SwitchableDirectory final : public ClusterDirectory {
public:
    explicit SwitchableDirectory(const core::Clock& clock) : inner_(clock) {}
    bool up = true;
    void announce(const NodeRecord& n, std::chrono::milliseconds ttl, DirectoryCallback<AnnounceOutcome> done) override {
        inner_.announce(n, ttl, std::move(done));
    }
    void withdraw(const std::string& id, const std::string& instance, DirectoryCallback<bool> done) override {
        inner_.withdraw(id, instance, std::move(done));
    }
    void liveNodes(DirectoryCallback<std::vector<NodeRecord>> done) override { inner_.liveNodes(std::move(done)); }
    void acquireLease(const std::string& room, const std::string& owner, std::chrono::milliseconds ttl,
                      DirectoryCallback<LeaseOutcome> done) override {
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        inner_.acquireLease(room, owner, ttl, std::move(done));
    }
    void renewLease(const std::string& room, const std::string& owner, std::chrono::milliseconds ttl,
                    DirectoryCallback<bool> done) override {
        inner_.renewLease(room, owner, ttl, std::move(done));
    }
    void releaseLease(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) override {
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        inner_.releaseLease(room, owner, std::move(done));
    }
    void leaseOwner(const std::string& room, DirectoryCallback<std::optional<std::string>> done) override {
        if (!up) return done(DirectoryError{DirectoryError::Code::Unavailable, "down"});
        inner_.leaseOwner(room, std::move(done));
    }
    bool reachable() const override { return up; }
    ListenerId addReachabilityListener(std::function<void(bool)> listener) override {
        listener_ = std::move(listener);
        return 1;
    }
    void removeReachabilityListener(ListenerId) override { listener_ = nullptr; }
    void setUp(bool value) {
        up = value;
        if (listener_) listener_(value);
    }

private:
    InMemoryDirectory inner_;
    std::function<void(bool)> listener_;
};

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

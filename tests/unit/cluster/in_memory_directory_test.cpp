#include "cluster/in_memory_directory.hpp"

#include <gtest/gtest.h>

using namespace parley::cluster;
using std::chrono::milliseconds;

namespace {

// The in-memory directory completes at once: the result is there when the call returns.
template <class T, class Call>
T now(Call&& call) {
    std::optional<DirectoryResult<T>> result;
    call([&result](DirectoryResult<T> r) { result.emplace(std::move(r)); });
    if (!result) throw std::logic_error("the in-memory directory did not complete at once");
    if (!result->ok()) throw std::logic_error(result->error().message);
    return result->value();
}

NodeRecord node(std::string id, std::string instance, std::uint64_t participants = 0) {
    return NodeRecord{std::move(id), std::move(instance), "https://" + id + ".example", {participants, 1, 0, 0}, 0};
}

}  // namespace

class InMemoryDirectoryTest : public ::testing::Test {
protected:
    parley::core::ManualClock clock;
    InMemoryDirectory directory{clock};

    std::vector<std::string> liveIds() {
        std::vector<std::string> ids;
        for (const auto& record : now<std::vector<NodeRecord>>([&](auto done) { directory.liveNodes(done); })) {
            ids.push_back(record.id);
        }
        return ids;
    }
    AnnounceOutcome announce(const NodeRecord& record) {
        return now<AnnounceOutcome>([&](auto done) { directory.announce(record, kNodeTimeToLive, done); });
    }
    LeaseOutcome acquire(const std::string& room, const std::string& owner, milliseconds ttl = milliseconds(10'000)) {
        return now<LeaseOutcome>([&](auto done) { directory.acquireLease(room, owner, ttl, done); });
    }
    bool renew(const std::string& room, const std::string& owner, milliseconds ttl = milliseconds(10'000)) {
        return now<bool>([&](auto done) { directory.renewLease(room, owner, ttl, done); });
    }
    bool release(const std::string& room, const std::string& owner) {
        return now<bool>([&](auto done) { directory.releaseLease(room, owner, done); });
    }
    std::optional<std::string> owner(const std::string& room) {
        return now<std::optional<std::string>>([&](auto done) { directory.leaseOwner(room, done); });
    }
};


TEST_F(InMemoryDirectoryTest, AnnouncedNodesAreListedUntilSilentForTheirTimeToLive) {
    EXPECT_EQ(announce(node("b", "ib")), AnnounceOutcome::Announced);
    EXPECT_EQ(announce(node("a", "ia", 5)), AnnounceOutcome::Announced);
    EXPECT_EQ(liveIds(), (std::vector<std::string>{"a", "b"}));

    clock.advance(kAnnounceInterval.count());
    announce(node("a", "ia", 6));  // a beats, b stays silent
    clock.advance(kNodeTimeToLive.count() - kAnnounceInterval.count() - 1);
    EXPECT_EQ(liveIds(), (std::vector<std::string>{"a", "b"}));  // b: 1 ms left
    clock.advance(1);
    EXPECT_EQ(liveIds(), std::vector<std::string>{"a"});  // b silent for 6 s: dead

    // The latest announcement is what is listed.
    const auto nodes = now<std::vector<NodeRecord>>([&](auto done) { directory.liveNodes(done); });
    EXPECT_EQ(nodes.at(0).load.participants, 6u);
}

TEST_F(InMemoryDirectoryTest, AnotherLiveInstanceCannotTakeANodeId) {
    EXPECT_EQ(announce(node("a", "first")), AnnounceOutcome::Announced);
    EXPECT_EQ(announce(node("a", "second")), AnnounceOutcome::IdTaken);
    EXPECT_EQ(now<std::vector<NodeRecord>>([&](auto done) { directory.liveNodes(done); }).at(0).instance, "first");
    // Once the first is dead (or withdrawn), a restarted node takes its id back.
    clock.advance(kNodeTimeToLive.count());
    EXPECT_EQ(announce(node("a", "second")), AnnounceOutcome::Announced);
}

TEST_F(InMemoryDirectoryTest, WithdrawRemovesOnlyItsOwnRecord) {
    announce(node("a", "ia"));
    EXPECT_FALSE(now<bool>([&](auto done) { directory.withdraw("a", "someone-else", done); }));
    EXPECT_EQ(liveIds(), std::vector<std::string>{"a"});
    EXPECT_TRUE(now<bool>([&](auto done) { directory.withdraw("a", "ia", done); }));
    EXPECT_TRUE(liveIds().empty());
}

TEST_F(InMemoryDirectoryTest, ALeaseGoesToTheFirstAndTellsOthersWhoHoldsIt) {
    EXPECT_EQ(owner("math"), std::nullopt);
    const auto first = acquire("math", "a");
    EXPECT_TRUE(first.acquired);
    EXPECT_EQ(first.owner, "a");
    const auto second = acquire("math", "b");
    EXPECT_FALSE(second.acquired);
    EXPECT_EQ(second.owner, "a");
    EXPECT_EQ(owner("math"), "a");
    EXPECT_TRUE(acquire("math", "a").acquired);  // the holder may ask again
    EXPECT_TRUE(acquire("art", "b").acquired);   // leases are per room
}

TEST_F(InMemoryDirectoryTest, ALeaseExpiresUnlessRenewedByItsHolder) {
    acquire("math", "a", milliseconds(3'000));
    clock.advance(2'000);
    EXPECT_FALSE(renew("math", "b"));  // compare and set: not b's to renew
    EXPECT_TRUE(renew("math", "a", milliseconds(3'000)));
    clock.advance(2'999);
    EXPECT_EQ(owner("math"), "a");  // renewed at 2 s: alive until 5 s
    clock.advance(1);
    EXPECT_EQ(owner("math"), std::nullopt);
    EXPECT_FALSE(renew("math", "a"));  // expired: renewing cannot bring it back
    EXPECT_TRUE(acquire("math", "b").acquired);
    EXPECT_FALSE(renew("math", "a"));
}

TEST_F(InMemoryDirectoryTest, OnlyTheHolderReleases) {
    acquire("math", "a");
    EXPECT_FALSE(release("math", "b"));
    EXPECT_EQ(owner("math"), "a");
    EXPECT_TRUE(release("math", "a"));
    EXPECT_EQ(owner("math"), std::nullopt);
    EXPECT_FALSE(release("math", "a"));
    EXPECT_TRUE(acquire("math", "b").acquired);
}

TEST_F(InMemoryDirectoryTest, IsAlwaysReachable) {
    EXPECT_TRUE(directory.reachable());
}

TEST_F(InMemoryDirectoryTest, OnlyTheLeaseHolderWritesARoomsStateAndClosingRemovesItWithTheLease) {
    const auto save = [&](const std::string& owner, const std::string& state) {
        return now<bool>([&](auto done) { directory.saveRoomState("math", owner, state, milliseconds(60'000), done); });
    };
    const auto load = [&] {
        return now<std::optional<std::string>>([&](auto done) { directory.loadRoomState("math", done); });
    };
    const auto close = [&](const std::string& owner) {
        return now<bool>([&](auto done) { directory.closeRoom("math", owner, done); });
    };
    EXPECT_FALSE(save("a", "{1}")) << "no lease: nothing written";
    EXPECT_EQ(load(), std::nullopt);
    acquire("math", "a", milliseconds(6'000));
    EXPECT_TRUE(save("a", "{1}"));
    EXPECT_FALSE(save("b", "{b}"));
    EXPECT_EQ(load(), "{1}");
    clock.advance(6'001);  // a's lease ran out; b takes the room, a (cut off) tries to write
    acquire("math", "b");
    EXPECT_FALSE(save("a", "{stale}")) << "fenced";
    EXPECT_EQ(load(), "{1}") << "the state outlives the lease: b restores from it";
    EXPECT_TRUE(save("b", "{2}"));
    EXPECT_FALSE(close("a"));
    EXPECT_EQ(load(), "{2}");
    EXPECT_TRUE(close("b"));
    EXPECT_EQ(load(), std::nullopt);
    EXPECT_EQ(owner("math"), std::nullopt);
}

TEST_F(InMemoryDirectoryTest, AStateNobodyWritesAgainExpires) {
    acquire("math", "a");
    now<bool>([&](auto done) { directory.saveRoomState("math", "a", "{1}", milliseconds(60'000), done); });
    clock.advance(60'001);
    EXPECT_EQ(now<std::optional<std::string>>([&](auto done) { directory.loadRoomState("math", done); }),
              std::nullopt);
}

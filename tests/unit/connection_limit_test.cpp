// Open connections per client address, counted by slots that release themselves.
#include "core/connection_limit.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

using namespace parley::core;

namespace {

TEST(ConnectionLimit, EachAddressGetsItsOwnShare) {
    auto limit = std::make_shared<ConnectionLimit>(2);
    ConnectionSlot a1(limit, "10.0.0.1"), a2(limit, "10.0.0.1"), a3(limit, "10.0.0.1");
    ConnectionSlot b1(limit, "10.0.0.2");
    EXPECT_TRUE(a1.held());
    EXPECT_TRUE(a2.held());
    EXPECT_FALSE(a3.held());
    EXPECT_TRUE(b1.held());
    EXPECT_EQ(limit->openFrom("10.0.0.1"), 2u);
    EXPECT_EQ(limit->openFrom("10.0.0.2"), 1u);
}

TEST(ConnectionLimit, AClosedConnectionFreesItsPlace) {
    auto limit = std::make_shared<ConnectionLimit>(1);
    {
        ConnectionSlot first(limit, "::1");
        ASSERT_TRUE(first.held());
        EXPECT_FALSE(ConnectionSlot(limit, "::1").held());
    }
    EXPECT_EQ(limit->openFrom("::1"), 0u);
    EXPECT_EQ(limit->addresses(), 0u);  // nothing kept for addresses that left
    EXPECT_TRUE(ConnectionSlot(limit, "::1").held());
}

TEST(ConnectionLimit, ATotalCapsEveryAddressTogether) {
    // The probation allowance: 2 per address, 3 in all, whatever the number of addresses.
    auto limit = std::make_shared<ConnectionLimit>(2, 3);
    std::vector<ConnectionSlot> slots;
    for (const char* address : {"10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"}) {
        slots.emplace_back(limit, address);
    }
    EXPECT_TRUE(slots[0].held());
    EXPECT_TRUE(slots[1].held());
    EXPECT_TRUE(slots[2].held());
    EXPECT_FALSE(slots[3].held()) << "the total is reached";
    EXPECT_FALSE(slots[4].held());
    EXPECT_EQ(limit->held(), 3u);
    EXPECT_EQ(limit->addresses(), 2u) << "a refused address leaves nothing behind";
    slots[2] = {};
    EXPECT_EQ(limit->held(), 2u);
    EXPECT_TRUE(ConnectionSlot(limit, "10.0.0.4").held()) << "a released place is free again";
}

TEST(ConnectionLimit, AMovedSlotCountsOnce) {
    auto limit = std::make_shared<ConnectionLimit>(2);
    std::vector<ConnectionSlot> slots;
    slots.emplace_back(limit, "10.0.0.1");
    ConnectionSlot moved = std::move(slots.back());
    slots.clear();
    EXPECT_TRUE(moved.held());
    EXPECT_EQ(limit->openFrom("10.0.0.1"), 1u);
    ConnectionSlot refused(limit, "10.0.0.1");
    ConnectionSlot extra(limit, "10.0.0.1");
    EXPECT_TRUE(refused.held());
    EXPECT_FALSE(extra.held());
    extra = std::move(moved);  // an empty slot taking a held one: still counts one
    EXPECT_EQ(limit->openFrom("10.0.0.1"), 2u);
}


// At exit the io_context destroys a connection's last handler after the server (and its
// limit) are gone; the slot must still release safely (ASan caught the old reference).
TEST(ConnectionLimit, ASlotMayOutliveTheServersHoldOnTheLimit) {
    auto limit = std::make_shared<ConnectionLimit>(1);
    std::weak_ptr<ConnectionLimit> watch = limit;
    auto slot = std::make_unique<ConnectionSlot>(limit, "10.0.0.1");
    limit.reset();
    EXPECT_FALSE(watch.expired());
    slot.reset();
    EXPECT_TRUE(watch.expired());
}

TEST(ConnectionLimit, ConnectionsOnOtherNodesCountTowardsTheShare) {
    ConnectionLimit limit(3);
    std::size_t elsewhere = 2;
    limit.setElsewhere([&](const std::string& address) { return address == "b" ? 0 : elsewhere; });
    EXPECT_NE(limit.tryAcquire("a"), nullptr);
    EXPECT_EQ(limit.tryAcquire("a"), nullptr) << "1 here and 2 elsewhere: the share of 3 is used";
    EXPECT_NE(limit.tryAcquire("b"), nullptr);
    elsewhere = 3;
    EXPECT_EQ(limit.tryAcquire("c"), nullptr);
    EXPECT_EQ(limit.addresses(), 2u) << "a refused address is not kept";
    elsewhere = 0;
    EXPECT_NE(limit.tryAcquire("a"), nullptr);
    EXPECT_EQ(limit.openFrom("a"), 2u);
}

}  // namespace

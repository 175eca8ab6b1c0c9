// What one client address may hold: seats, open rooms, and how fast it opens new ones.
#include "core/address_quota.hpp"

#include <gtest/gtest.h>

using namespace parley::core;
using Verdict = AddressQuota::Verdict;

TEST(AddressQuota, SeatsCountUntilGivenBack) {
    AddressQuota q({2, 0, 0, 0});
    EXPECT_EQ(q.canSeat("a"), Verdict::Ok);
    q.seated("a");
    q.seated("a");
    EXPECT_EQ(q.canSeat("a"), Verdict::TooManySeats);
    EXPECT_EQ(q.canSeat("b"), Verdict::Ok);
    q.unseated("a", 0);
    EXPECT_EQ(q.canSeat("a"), Verdict::Ok);
    q.unseated("a", 0);
    EXPECT_EQ(q.addresses(), 0u) << "an address holding nothing is forgotten";
}

TEST(AddressQuota, OpenRoomsAndTheRateOfOpeningThem) {
    AddressQuota q({0, 3, 60, 2});  // one a second, two back to back, three open at most
    std::int64_t retry = 0;
    const std::int64_t t0 = 1'000'000;
    EXPECT_EQ(q.canOpen("a", t0, retry), Verdict::Ok);
    q.opened("a", t0);
    EXPECT_EQ(q.canOpen("a", t0, retry), Verdict::Ok);
    q.opened("a", t0);
    EXPECT_EQ(q.canOpen("a", t0, retry), Verdict::TooFast);
    EXPECT_GT(retry, 0);
    EXPECT_LE(retry, 1'001);
    EXPECT_EQ(q.canOpen("b", t0, retry), Verdict::Ok) << "another address is not held back";
    EXPECT_EQ(q.canOpen("a", t0 + 1'000, retry), Verdict::Ok);
    q.opened("a", t0 + 1'000);
    EXPECT_EQ(q.canOpen("a", t0 + 60'000, retry), Verdict::TooManyRooms);
    q.closed("a", t0 + 60'000);
    EXPECT_EQ(q.canOpen("a", t0 + 60'000, retry), Verdict::Ok);
    q.closed("a", t0 + 60'000);
    q.closed("a", t0 + 60'000);
    q.forgetIdle(t0 + 60'000);
    EXPECT_EQ(q.addresses(), 0u);
}

TEST(AddressQuota, ZeroMeansNoLimit) {
    AddressQuota q({});
    std::int64_t retry = 0;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_EQ(q.canSeat("a"), Verdict::Ok);
        EXPECT_EQ(q.canOpen("a", 0, retry), Verdict::Ok);
        q.seated("a");
        q.opened("a", 0);
    }
}

TEST(AddressQuota, WhatTheAddressHoldsOnOtherNodesCountsAgainstTheSameLimits) {
    AddressQuota q({3, 2, 0, 0});
    AddressUsage elsewhere{2, 1, 0};
    q.setElsewhere([&](const std::string& address) { return address == "a" ? elsewhere : AddressUsage{}; });
    std::int64_t retry = 0;
    EXPECT_EQ(q.canSeat("a"), Verdict::Ok) << "2 elsewhere, 0 here, of 3";
    EXPECT_EQ(q.canOpen("a", 0, retry), Verdict::Ok) << "1 elsewhere, of 2";
    q.seated("a");
    q.opened("a", 0);
    EXPECT_EQ(q.canSeat("a"), Verdict::TooManySeats);
    EXPECT_EQ(q.canOpen("a", 0, retry), Verdict::TooManyRooms);
    EXPECT_EQ(q.canSeat("b"), Verdict::Ok) << "another address is not charged";
    elsewhere = {};  // it left the other node
    EXPECT_EQ(q.canSeat("a"), Verdict::Ok);
    EXPECT_EQ(q.canOpen("a", 0, retry), Verdict::Ok);
    elsewhere = {5, 5, 0};  // an address with nothing here at all is refused too
    EXPECT_EQ(q.canSeat("c"), Verdict::Ok);
    q.setElsewhere([&](const std::string&) { return elsewhere; });
    EXPECT_EQ(q.canSeat("c"), Verdict::TooManySeats);
    EXPECT_EQ(q.canOpen("c", 0, retry), Verdict::TooManyRooms);
}

// Per-address limits across a cluster: which addresses a node announces, and how what the others
// announce is added up.
#include "cluster/address_loads.hpp"

#include <gtest/gtest.h>

using namespace parley::cluster;

TEST(AddressLoads, AnAddressIsAnnouncedOnceItHoldsAQuarterOfALimitHeaviestFirst) {
    const PerAddressLimits limits{64, 16, 64};
    const auto announced = addressesToAnnounce(
        {{"small", 15, 3, 15}, {"seats", 16, 0, 0}, {"rooms", 0, 8, 0}, {"conns", 0, 0, 60}, {"none", 0, 0, 0}},
        limits);
    ASSERT_EQ(announced.size(), 3u);
    EXPECT_EQ(announced[0].address, "conns");  // 60 of 64
    EXPECT_EQ(announced[1].address, "rooms");  // 8 of 16
    EXPECT_EQ(announced[2].address, "seats");  // 16 of 64
    EXPECT_TRUE(addressesToAnnounce({{"a", 100, 100, 100}}, PerAddressLimits{}).empty()) << "no limits, nothing";
    std::vector<AddressLoad> many;
    for (int i = 0; i < 300; ++i) many.push_back({"a" + std::to_string(i), 64, 0, 0});
    EXPECT_EQ(addressesToAnnounce(many, limits).size(), kMaxListedAddresses);
}

TEST(AddressLoads, WhatOtherNodesAnnounceIsAddedUpAndThisNodesOwnIsLeftOut) {
    NodeRecord a, b, c;
    a.id = "a";
    b.id = "b";
    c.id = "c";
    a.addresses = {{"203.0.113.7", 10, 1, 4}};
    b.addresses = {{"203.0.113.7", 5, 2, 1}, {"198.51.100.1", 1, 1, 1}};
    c.addresses = {{"203.0.113.7", 1, 0, 20}};
    const auto usage = usageOnOtherNodes({a, b, c}, "a", "203.0.113.7");
    EXPECT_EQ(usage.seats, 6u);
    EXPECT_EQ(usage.rooms, 2u);
    EXPECT_EQ(usage.connections, 21u);
    EXPECT_EQ(usageOnOtherNodes({a, b, c}, "a", "192.0.2.1").seats, 0u);
}

TEST(AddressLoads, RecordsCarryThemAndRefuseMalformedOnes) {
    NodeRecord record{"node-a", "i", "https://a.example.org", {1, 1, 0, 0}, 5};
    record.addresses = {{"203.0.113.7", 12, 4, 20}};
    const auto decoded = decodeNodeRecord(encodeNodeRecord(record));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->addresses, record.addresses);
    const std::string head = R"({"id":"a","instance":"i","publicUrl":"","announcedAtMs":1,)"
                             R"("load":{"participants":1,"rooms":0,"mediaPacketsPerSecond":0,"cpuPercent":0})";
    EXPECT_FALSE(decodeNodeRecord(head + R"(,"addresses":{}})"));
    EXPECT_FALSE(decodeNodeRecord(head + R"(,"addresses":[{"address":"","seats":1,"rooms":0,"connections":0}]})"));
    EXPECT_FALSE(decodeNodeRecord(head + R"(,"addresses":[{"address":"x","seats":-1,"rooms":0,"connections":0}]})"));
    EXPECT_FALSE(decodeNodeRecord(head + R"(,"addresses":[{"address":"x","seats":1,"rooms":0}]})"));
    EXPECT_TRUE(decodeNodeRecord(head + R"(,"addresses":[]})"));
}

#include "app/media_addresses.hpp"

#include <gtest/gtest.h>

namespace parley::app {
namespace {

using Addresses = std::vector<std::string>;

TEST(DefaultMediaAddresses, SocketsBoundToOneAddressAreReachedThere) {
    EXPECT_EQ(defaultMediaAddresses("192.0.2.10", {"10.0.0.5", "127.0.0.1"}), Addresses{"192.0.2.10"});
    EXPECT_EQ(defaultMediaAddresses("127.0.0.1", {"10.0.0.5"}), Addresses{"127.0.0.1"});
}

TEST(DefaultMediaAddresses, SocketsBoundEverywhereAnnounceTheInterfacesThenLoopback) {
    EXPECT_EQ(defaultMediaAddresses("0.0.0.0", {"127.0.0.1", "10.0.0.5", "192.168.1.7"}),
              (Addresses{"10.0.0.5", "192.168.1.7", "127.0.0.1"}));
}

TEST(DefaultMediaAddresses, AnythingButAnIpv4LiteralIsTreatedAsEveryAddress) {
    EXPECT_EQ(defaultMediaAddresses("::", {"10.0.0.5"}), (Addresses{"10.0.0.5", "127.0.0.1"}));
    EXPECT_EQ(defaultMediaAddresses("", {"10.0.0.5"}), (Addresses{"10.0.0.5", "127.0.0.1"}));
}

TEST(DefaultMediaAddresses, SkipsWhatNoBrowserCanReachAndDuplicates) {
    EXPECT_EQ(defaultMediaAddresses("0.0.0.0", {"169.254.3.4", "127.0.0.53", "0.0.0.0", "224.0.0.1", "10.0.0.5",
                                                "10.0.0.5", "not an address"}),
              (Addresses{"10.0.0.5", "127.0.0.1"}));
}

TEST(DefaultMediaAddresses, OnlyLoopbackLeavesLoopback) {
    EXPECT_EQ(defaultMediaAddresses("0.0.0.0", {"127.0.0.1"}), Addresses{"127.0.0.1"});
    EXPECT_EQ(defaultMediaAddresses("0.0.0.0", {}), Addresses{"127.0.0.1"});
}

}  // namespace
}  // namespace parley::app

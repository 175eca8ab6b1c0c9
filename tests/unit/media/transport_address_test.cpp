#include "media/transport_address.hpp"

#include <gtest/gtest.h>

#include <unordered_set>

using parley::media::TransportAddress;

namespace transport_address_test {

TransportAddress v6(std::initializer_list<std::uint16_t> groups, std::uint16_t port) {
    std::array<std::uint8_t, 16> bytes{};
    std::size_t i = 0;
    for (std::uint16_t g : groups) {
        bytes[i++] = static_cast<std::uint8_t>(g >> 8);
        bytes[i++] = static_cast<std::uint8_t>(g);
    }
    return TransportAddress::ipv6(bytes, port);
}

}  // namespace transport_address_test

using transport_address_test::v6;

TEST(TransportAddress, Ipv4TextAndFields) {
    const auto a = TransportAddress::ipv4({192, 0, 2, 1}, 3478);
    EXPECT_TRUE(a.isIpv4());
    EXPECT_EQ(a.port(), 3478);
    EXPECT_EQ(a.ipv4Bytes(), (std::array<std::uint8_t, 4>{192, 0, 2, 1}));
    EXPECT_EQ(a.toString(), "192.0.2.1:3478");
    EXPECT_EQ(TransportAddress().toString(), "0.0.0.0:0");
}

TEST(TransportAddress, Ipv6TextFollowsRfc5952) {
    EXPECT_EQ(v6({0x2001, 0xdb8, 0, 0, 0, 0, 0, 1}, 443).toString(), "[2001:db8::1]:443");
    EXPECT_EQ(v6({0, 0, 0, 0, 0, 0, 0, 1}, 1).addressString(), "::1");
    EXPECT_EQ(v6({0, 0, 0, 0, 0, 0, 0, 0}, 1).addressString(), "::");
    EXPECT_EQ(v6({0xfe80, 0, 0, 0, 0, 0, 0, 0}, 1).addressString(), "fe80::");
    // A single zero group is not shortened; of two equal runs the first is.
    EXPECT_EQ(v6({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1}, 1).addressString(), "2001:db8:0:1:1:1:1:1");
    EXPECT_EQ(v6({0x2001, 0, 0, 1, 0, 0, 1, 1}, 1).addressString(), "2001::1:0:0:1:1");
    EXPECT_EQ(v6({0x2001, 0, 0, 1, 0, 0, 0, 1}, 1).addressString(), "2001:0:0:1::1");
    EXPECT_EQ(v6({0, 0, 0, 0, 0, 0xffff, 0xc000, 0x0201}, 9).toString(), "[::ffff:192.0.2.1]:9");
}

TEST(TransportAddress, EqualityAndHashSeeEveryField) {
    const auto a = TransportAddress::ipv4({10, 0, 0, 1}, 5000);
    std::unordered_set<TransportAddress> set{a};
    EXPECT_TRUE(set.contains(TransportAddress::ipv4({10, 0, 0, 1}, 5000)));
    EXPECT_FALSE(set.contains(TransportAddress::ipv4({10, 0, 0, 1}, 5001)));
    EXPECT_FALSE(set.contains(TransportAddress::ipv4({10, 0, 0, 2}, 5000)));
    // The same 16 bytes under the other family are another address.
    std::array<std::uint8_t, 16> bytes{10, 0, 0, 1};
    EXPECT_NE(TransportAddress::ipv6(bytes, 5000), a);
    EXPECT_FALSE(set.contains(TransportAddress::ipv6(bytes, 5000)));
}

TEST(TransportAddress, TcpPathIsNeverTheUdpOne) {
    const auto udp = TransportAddress::ipv4({10, 0, 0, 1}, 5000);
    const auto tcp = udp.withProtocol(TransportAddress::Protocol::Tcp);
    EXPECT_FALSE(udp.isTcp());
    EXPECT_TRUE(tcp.isTcp());
    EXPECT_NE(udp, tcp);
    EXPECT_EQ(tcp.withProtocol(TransportAddress::Protocol::Udp), udp);
    std::unordered_set<TransportAddress> set{udp};
    EXPECT_FALSE(set.contains(tcp));
    EXPECT_EQ(tcp.toString(), "10.0.0.1:5000 tcp");
    EXPECT_EQ(udp.toString(), "10.0.0.1:5000");
}

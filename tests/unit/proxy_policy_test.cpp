// Client addresses behind trusted reverse proxies (--trusted-proxy).
#include "auth/proxy_policy.hpp"

#include <gtest/gtest.h>

using namespace parley::auth;

namespace {

ProxyPolicy trusting(std::initializer_list<const char*> ranges,
                     ForwardedHeader header = ForwardedHeader::XForwardedFor) {
    ProxyPolicy policy;
    policy.header = header;
    for (const char* range : ranges) policy.trusted.push_back(*parseAddressRange(range));
    return policy;
}

std::string clientOf(std::string_view peer, std::vector<std::string_view> values, const ProxyPolicy& policy) {
    return clientAddress(peer, values, policy);
}

}  // namespace

TEST(ProxyPolicy, RangesParseAndMatch) {
    const auto policy = trusting({"127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1", "192.168.1.128/25"});
    EXPECT_TRUE(policy.trusts("127.0.0.1"));
    EXPECT_FALSE(policy.trusts("127.0.0.2"));
    EXPECT_TRUE(policy.trusts("10.200.3.4"));
    EXPECT_FALSE(policy.trusts("11.0.0.1"));
    EXPECT_TRUE(policy.trusts("fd12:3456::1"));
    EXPECT_FALSE(policy.trusts("fe80::1"));
    EXPECT_TRUE(policy.trusts("::1"));
    EXPECT_TRUE(policy.trusts("::ffff:10.1.2.3")) << "an IPv4-mapped peer of a dual-stack socket";
    EXPECT_TRUE(policy.trusts("192.168.1.200"));
    EXPECT_FALSE(policy.trusts("192.168.1.100"));
    EXPECT_FALSE(policy.trusts("not-an-address"));
    EXPECT_TRUE(trusting({"0.0.0.0/0"}).trusts("203.0.113.9"));
    EXPECT_FALSE(trusting({"0.0.0.0/0"}).trusts("2001:db8::1")) << "families do not mix";
}

TEST(ProxyPolicy, MalformedRangesAreRefused) {
    for (const char* bad : {"", "localhost", "10.0.0.0/33", "fd00::/129", "10.0.0.1/8", "10.0.0.0/",
                            "10.0.0.0/8x", "10.0.0.0/-1", "1.2.3", "::ffff:10.0.0.0/104", "[::1]"}) {
        EXPECT_FALSE(parseAddressRange(bad)) << bad;
    }
    EXPECT_TRUE(parseAddressRange("2001:db8::/32"));
    EXPECT_TRUE(parseAddressRange("0.0.0.0/0"));
}

TEST(ProxyPolicy, UntrustedPeersAreTheirOwnClient) {
    const auto policy = trusting({"10.0.0.1"});
    EXPECT_EQ(clientOf("203.0.113.7", {"198.51.100.1"}, policy), "203.0.113.7")
        << "a header from anyone else is ignored";
    EXPECT_EQ(clientOf("203.0.113.7", {}, trusting({})), "203.0.113.7");
}

TEST(ProxyPolicy, XForwardedForIsWalkedFromTheRight) {
    const auto policy = trusting({"127.0.0.1", "10.0.0.0/8"});
    EXPECT_EQ(clientOf("127.0.0.1", {"203.0.113.7"}, policy), "203.0.113.7");
    // The client wrote its own X-Forwarded-For; nginx appended the real address.
    EXPECT_EQ(clientOf("127.0.0.1", {"198.51.100.1, 203.0.113.7"}, policy), "203.0.113.7");
    // Two trusted proxies in a row (a load balancer in 10/8, then nginx).
    EXPECT_EQ(clientOf("127.0.0.1", {"198.51.100.1, 203.0.113.7, 10.1.1.1"}, policy), "203.0.113.7");
    // Several header lines count as one list, in order.
    EXPECT_EQ(clientOf("127.0.0.1", {"198.51.100.1", "203.0.113.7, 10.1.1.1"}, policy), "203.0.113.7");
    // No header: a request from the proxy host itself (a health check, curl on the host).
    EXPECT_EQ(clientOf("127.0.0.1", {}, policy), "127.0.0.1");
    // Every hop trusted: the leftmost.
    EXPECT_EQ(clientOf("127.0.0.1", {"10.2.2.2, 10.1.1.1"}, policy), "10.2.2.2");
    // Ports and brackets some proxies add; canonical forms.
    EXPECT_EQ(clientOf("127.0.0.1", {"203.0.113.7:5555"}, policy), "203.0.113.7");
    EXPECT_EQ(clientOf("127.0.0.1", {"[2001:DB8::0:1]:443"}, policy), "2001:db8::1");
    EXPECT_EQ(clientOf("127.0.0.1", {"2001:db8::1"}, policy), "2001:db8::1");
    EXPECT_EQ(clientOf("::ffff:127.0.0.1", {"203.0.113.7"}, policy), "203.0.113.7");
}

TEST(ProxyPolicy, GarbageStopsTheWalkAtTheLastRealHop) {
    const auto policy = trusting({"127.0.0.1", "10.0.0.0/8"});
    // Garbage the client wrote sits left of the real address: never reached.
    EXPECT_EQ(clientOf("127.0.0.1", {"evil, 203.0.113.7"}, policy), "203.0.113.7");
    // Garbage where a trusted proxy should have written an address: the proxy's own.
    EXPECT_EQ(clientOf("127.0.0.1", {"unknown"}, policy), "127.0.0.1");
    EXPECT_EQ(clientOf("127.0.0.1", {"203.0.113.7, unknown, 10.1.1.1"}, policy), "10.1.1.1");
    EXPECT_EQ(clientOf("127.0.0.1", {"203.0.113.7,, "}, policy), "203.0.113.7") << "empty entries";
}

TEST(ProxyPolicy, ForwardedIsReadOnlyWhenChosen) {
    const auto xff = trusting({"127.0.0.1"});
    const auto forwarded = trusting({"127.0.0.1"}, ForwardedHeader::Forwarded);
    const std::string_view header = R"(for=198.51.100.1, for="[2001:db8:cafe::17]:4711";proto=https, For=203.0.113.7;by=127.0.0.1)";
    EXPECT_EQ(clientOf("127.0.0.1", {header}, forwarded), "203.0.113.7");
    EXPECT_EQ(clientOf("127.0.0.1", {R"(for=198.51.100.1, for="[2001:db8:cafe::17]:4711")"}, forwarded),
              "2001:db8:cafe::17");
    EXPECT_EQ(clientOf("127.0.0.1", {R"(for="203.0.113.7:80")"}, forwarded), "203.0.113.7");
    // Obfuscated and unknown nodes are not addresses.
    EXPECT_EQ(clientOf("127.0.0.1", {"for=_hidden"}, forwarded), "127.0.0.1");
    EXPECT_EQ(clientOf("127.0.0.1", {"for=unknown"}, forwarded), "127.0.0.1");
    EXPECT_EQ(clientOf("127.0.0.1", {"proto=https"}, forwarded), "127.0.0.1") << "no for=";
    // A quoted comma does not split an element.
    EXPECT_EQ(clientOf("127.0.0.1", {R"(for="1.2.3.4, 5.6.7.8", for=203.0.113.7)"}, forwarded), "203.0.113.7");
    // The header not chosen is ignored, since the proxy passes it on as the client wrote it.
    EXPECT_EQ(clientOf("127.0.0.1", {header}, xff), "127.0.0.1");
}

TEST(ProxyPolicy, CanonicalAddresses) {
    EXPECT_EQ(canonicalAddress("127.0.0.1"), "127.0.0.1");
    EXPECT_EQ(canonicalAddress("::FFFF:127.0.0.1"), "127.0.0.1");
    EXPECT_EQ(canonicalAddress("2001:0db8:0::1"), "2001:db8::1");
    EXPECT_FALSE(canonicalAddress("127.1"));
    EXPECT_FALSE(canonicalAddress("example.org"));
}

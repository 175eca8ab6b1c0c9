// The names the server answers to (a guard against DNS rebinding).
#include "auth/host_policy.hpp"

#include <gtest/gtest.h>

using namespace parley::auth;

TEST(HostPolicy, AddressesAndLocalhostAlwaysPass) {
    const HostPolicy none;
    EXPECT_TRUE(isHostAllowed(std::nullopt, none)) << "no Host: not a browser";
    for (auto host : {"127.0.0.1:8080", "127.0.0.1", "192.168.1.20:8080", "[::1]:8080", "[::1]",
                      "localhost:8080", "LOCALHOST", "app.localhost:3000"}) {
        EXPECT_TRUE(isHostAllowed(std::string_view(host), none)) << host;
    }
}

TEST(HostPolicy, OtherNamesOnlyWhenAllowed) {
    const HostPolicy none;
    EXPECT_FALSE(isHostAllowed(std::string_view("rebind.attacker.example:8080"), none));
    EXPECT_FALSE(isHostAllowed(std::string_view("meet.example.org"), none));
    EXPECT_FALSE(isHostAllowed(std::string_view("127.0.0.1.attacker.example"), none));
    EXPECT_FALSE(isHostAllowed(std::string_view("localhost.attacker.example"), none));
    EXPECT_FALSE(isHostAllowed(std::string_view("bad host"), none));
    EXPECT_FALSE(isHostAllowed(std::string_view("[::1"), none));
    EXPECT_FALSE(isHostAllowed(std::string_view("host:80x"), none));
    EXPECT_FALSE(hostNameOf("ee..")) << "found by fuzz_http_names";
    EXPECT_FALSE(hostNameOf(".localhost"));
    EXPECT_EQ(hostNameOf("Ee.:80"), "ee");

    const HostPolicy meet{{"meet.example.org", "*.rooms.example.org"}};
    EXPECT_TRUE(isHostAllowed(std::string_view("meet.example.org"), meet));
    EXPECT_TRUE(isHostAllowed(std::string_view("Meet.Example.Org.:443"), meet));
    EXPECT_TRUE(isHostAllowed(std::string_view("a.rooms.example.org"), meet));
    EXPECT_FALSE(isHostAllowed(std::string_view("rooms.example.org"), meet));
    EXPECT_FALSE(isHostAllowed(std::string_view("a.b.rooms.example.org"), meet));
    EXPECT_FALSE(isHostAllowed(std::string_view("evilmeet.example.org"), meet));

    EXPECT_TRUE(isHostAllowed(std::string_view("anything.example"), HostPolicy{{"*"}}));
}

TEST(HostPolicy, AllowedHostFlagValues) {
    EXPECT_TRUE(isValidAllowedHost("meet.example.org"));
    EXPECT_TRUE(isValidAllowedHost("*"));
    EXPECT_TRUE(isValidAllowedHost("*.example.org"));
    EXPECT_FALSE(isValidAllowedHost(""));
    EXPECT_FALSE(isValidAllowedHost("https://meet.example.org"));
    EXPECT_FALSE(isValidAllowedHost("meet.example.org:443"));
}

// Where the tool connects in a cluster: --targets and the URL a room-elsewhere answer names.
#include <gtest/gtest.h>

#include "node_target.hpp"

namespace parley::bench {
namespace {

NodeTarget ok(const std::variant<NodeTarget, std::string>& parsed) {
    EXPECT_TRUE(std::holds_alternative<NodeTarget>(parsed)) << std::get<std::string>(parsed);
    return std::holds_alternative<NodeTarget>(parsed) ? std::get<NodeTarget>(parsed) : NodeTarget{};
}

std::string refused(const std::variant<NodeTarget, std::string>& parsed) {
    EXPECT_TRUE(std::holds_alternative<std::string>(parsed));
    return std::holds_alternative<std::string>(parsed) ? std::get<std::string>(parsed) : "";
}

TEST(NodeUrl, APublicUrlGivesItsAddressAndPort) {
    EXPECT_EQ(ok(parseNodeUrl("http://127.0.0.1:8081")), (NodeTarget{"127.0.0.1", 8081}));
    EXPECT_EQ(ok(parseNodeUrl("http://127.0.0.2:9000/")), (NodeTarget{"127.0.0.2", 9000}));
    EXPECT_EQ(ok(parseNodeUrl("ws://10.0.0.5:1")), (NodeTarget{"10.0.0.5", 1}));
    EXPECT_EQ(ok(parseNodeUrl("http://127.0.0.1")), (NodeTarget{"127.0.0.1", 80}));
}

TEST(NodeUrl, WhatTheToolCannotReachIsRefusedWithAReason) {
    EXPECT_NE(refused(parseNodeUrl("https://node-b.example.org")).find("TLS"), std::string::npos);
    EXPECT_NE(refused(parseNodeUrl("wss://127.0.0.1:443")).find("TLS"), std::string::npos);
    EXPECT_NE(refused(parseNodeUrl("http://node-b:8080")).find("not an IPv4"), std::string::npos);
    EXPECT_NE(refused(parseNodeUrl("http://127.0.0.1:8080/room")).find("path"), std::string::npos);
    EXPECT_NE(refused(parseNodeUrl("ftp://127.0.0.1:21")).find("not an http"), std::string::npos);
    EXPECT_NE(refused(parseNodeUrl("")).find("not an http"), std::string::npos);
    EXPECT_NE(refused(parseNodeUrl("http://127.0.0.1:0")).find("port"), std::string::npos);
    EXPECT_NE(refused(parseNodeUrl("http://127.0.0.1:65536")).find("port"), std::string::npos);
    EXPECT_NE(refused(parseNodeUrl("http://127.0.0.1:80x")).find("port"), std::string::npos);
    EXPECT_NE(refused(parseNodeUrl("http://:8080")).find("IPv4"), std::string::npos);
}

TEST(TargetList, EveryNodeInOrder) {
    const auto parsed = parseTargetList("127.0.0.1:8001,127.0.0.1:8002,127.0.0.3:8003");
    ASSERT_TRUE((std::holds_alternative<std::vector<NodeTarget>>(parsed)));
    EXPECT_EQ(std::get<std::vector<NodeTarget>>(parsed),
              (std::vector<NodeTarget>{{"127.0.0.1", 8001}, {"127.0.0.1", 8002}, {"127.0.0.3", 8003}}));
}

TEST(TargetList, OneBadEntryRefusesTheList) {
    for (const char* bad : {"", "127.0.0.1", "127.0.0.1:8001,", "127.0.0.1:8001,,127.0.0.1:8002", "localhost:80"}) {
        EXPECT_TRUE(std::holds_alternative<std::string>(parseTargetList(bad))) << bad;
    }
}

}  // namespace
}  // namespace parley::bench

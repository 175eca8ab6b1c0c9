#include "net/websocket_handshake.hpp"

#include <gtest/gtest.h>

using namespace parley::net;

TEST(WebSocketHandshake, AcceptKeyIsTheOneFromRfc6455) {
    // RFC 6455, section 1.3.
    const auto check = checkHandshake("13", "dGhlIHNhbXBsZSBub25jZQ==");
    ASSERT_TRUE(check.acceptKey);
    EXPECT_EQ(*check.acceptKey, "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshake, RefusesOtherVersionsAndBadKeys) {
    EXPECT_EQ(checkHandshake("8", "dGhlIHNhbXBsZSBub25jZQ==").problem,
              HandshakeProblem::UnsupportedVersion);
    EXPECT_EQ(checkHandshake("", "dGhlIHNhbXBsZSBub25jZQ==").problem,
              HandshakeProblem::UnsupportedVersion);
    EXPECT_FALSE(checkHandshake("13", "").acceptKey);
    EXPECT_EQ(checkHandshake("13", "short==").problem, HandshakeProblem::BadKey);
    EXPECT_EQ(checkHandshake("13", "dGhlIHNhbXBsZSBub25jZQ!=").problem, HandshakeProblem::BadKey);
    EXPECT_EQ(checkHandshake("13", "dGhlIHNhbXBsZSBub25j*Q==").problem, HandshakeProblem::BadKey);
}

TEST(WebSocketHandshake, ResponseSwitchesProtocols) {
    const auto response = switchingProtocolsResponse("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "parley/test");
    EXPECT_EQ(response,
              "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nServer: parley/test\r\n\r\n");
}

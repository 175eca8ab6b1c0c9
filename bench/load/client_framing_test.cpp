// The load tool's own WebSocket client framing and handshake check (RFC 6455).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client_framing.hpp"
#include "client_handshake.hpp"

namespace parley::bench {
namespace {

// An unmasked frame as a server sends it.
std::string serverFrame(bool fin, std::uint8_t opcode, std::string_view payload,
                        std::uint8_t extraFirstByteBits = 0) {
    std::string frame;
    frame += static_cast<char>((fin ? 0x80 : 0) | extraFirstByteBits | opcode);
    const std::uint64_t n = payload.size();
    if (n < 126) {
        frame += static_cast<char>(n);
    } else if (n <= 0xFFFF) {
        frame += static_cast<char>(126);
        frame += static_cast<char>(n >> 8);
        frame += static_cast<char>(n & 0xFF);
    } else {
        frame += static_cast<char>(127);
        for (int shift = 56; shift >= 0; shift -= 8) frame += static_cast<char>((n >> shift) & 0xFF);
    }
    frame += payload;
    return frame;
}

struct Recorder : ServerFrameSink {
    std::vector<std::string> events;
    int stopAfter = -1;  // stop parsing after this many events

    bool record(std::string event) {
        events.push_back(std::move(event));
        return stopAfter < 0 || int(events.size()) < stopAfter;
    }
    bool onMessage(std::string_view payload) override { return record("message " + std::string(payload)); }
    bool onPing(std::string_view payload) override { return record("ping " + std::string(payload)); }
    bool onClose(std::optional<std::uint16_t> code, std::string_view reason) override {
        return record("close " + (code ? std::to_string(*code) : std::string("none")) + " " +
                      std::string(reason));
    }
};

// Decodes one client frame: checks FIN, the mask bit and the length, and unmasks.
std::string unmaskClientFrame(const std::string& frame, std::uint8_t opcode) {
    const auto* b = reinterpret_cast<const unsigned char*>(frame.data());
    EXPECT_EQ(b[0], 0x80 | opcode);
    EXPECT_TRUE(b[1] & 0x80) << "client frames must be masked";
    std::uint64_t length = b[1] & 0x7F;
    std::size_t at = 2;
    if (length == 126) {
        length = (std::uint64_t(b[2]) << 8) | b[3];
        at = 4;
    } else if (length == 127) {
        length = 0;
        for (int i = 0; i < 8; ++i) length = (length << 8) | b[2 + i];
        at = 10;
    }
    const unsigned char* key = b + at;
    at += 4;
    EXPECT_EQ(frame.size(), at + length);
    std::string payload(frame.size() - at, '\0');
    for (std::size_t i = 0; i < payload.size(); ++i)
        payload[i] = static_cast<char>(b[at + i] ^ key[i % 4]);
    return payload;
}

TEST(ClientFraming, MasksEveryLengthEncodingAndUnmasksBack) {
    MaskKeys keys(42);
    for (std::size_t size : {0u, 1u, 7u, 8u, 9u, 125u, 126u, 300u, 65535u, 65536u, 70001u}) {
        std::string payload(size, '\0');
        for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<char>('a' + i % 26);
        std::string out = "prefix";
        appendClientFrame(out, Opcode::Text, payload, keys.next());
        ASSERT_EQ(out.substr(0, 6), "prefix");
        EXPECT_EQ(unmaskClientFrame(out.substr(6), 0x1), payload) << "size " << size;
    }
}

TEST(ClientFraming, FreshMaskKeyPerFrame) {
    MaskKeys keys(7);
    const auto a = keys.next(), b = keys.next(), c = keys.next();
    EXPECT_NE(a, b);
    EXPECT_NE(b, c);
}

TEST(ClientFraming, SeveralFramesInOneBufferAreIndependent) {
    MaskKeys keys(1);
    std::string out;
    appendClientFrame(out, Opcode::Text, "first", keys.next());
    appendClientFrame(out, Opcode::Pong, "p", keys.next());
    const std::size_t firstSize = 2 + 4 + 5;
    EXPECT_EQ(unmaskClientFrame(out.substr(0, firstSize), 0x1), "first");
    EXPECT_EQ(unmaskClientFrame(out.substr(firstSize), 0xA), "p");
}

TEST(ServerFrameParser, FindsEveryFrameWhereverTheReadsSplitThem) {
    const std::string big(70000, 'z');
    const std::string bytes = serverFrame(true, 1, "one") + serverFrame(true, 1, std::string(300, 'm')) +
                              serverFrame(true, 2, big) + serverFrame(true, 1, "");
    const std::vector<std::string> expected = {"message one", "message " + std::string(300, 'm'),
                                               "message " + big, "message "};
    for (std::size_t split : {1u, 2u, 3u, 5u, 7u, 100u, 4096u}) {
        ServerFrameParser parser(1 << 20);
        Recorder sink;
        std::string pending;
        for (std::size_t at = 0; at < bytes.size(); at += split) {
            pending += bytes.substr(at, split);
            pending.erase(0, parser.parse(pending, sink));
        }
        EXPECT_FALSE(parser.failure()) << *parser.failure();
        EXPECT_TRUE(pending.empty());
        EXPECT_EQ(sink.events, expected) << "reads of " << split << " bytes";
    }
}

TEST(ServerFrameParser, ReassemblesFragmentsAroundControlFrames) {
    const std::string bytes = serverFrame(false, 1, "Hel") + serverFrame(true, 9, "probe") +
                              serverFrame(false, 0, "lo ") + serverFrame(true, 0xA, "") +
                              serverFrame(true, 0, "world") + serverFrame(true, 1, "next");
    ServerFrameParser parser(1 << 20);
    Recorder sink;
    EXPECT_EQ(parser.parse(bytes, sink), bytes.size());
    EXPECT_FALSE(parser.failure());
    EXPECT_EQ(sink.events, (std::vector<std::string>{"ping probe", "message Hello world", "message next"}));
}

TEST(ServerFrameParser, ReportsCloseCodeAndReason) {
    ServerFrameParser parser(1024);
    Recorder sink;
    parser.parse(serverFrame(true, 8, closePayload(1001, "going away")) + serverFrame(true, 8, ""), sink);
    EXPECT_EQ(sink.events, (std::vector<std::string>{"close 1001 going away", "close none "}));
}

TEST(ServerFrameParser, StopsWhenTheSinkSaysSo) {
    ServerFrameParser parser(1024);
    Recorder sink;
    sink.stopAfter = 1;
    const std::string first = serverFrame(true, 1, "a");
    EXPECT_EQ(parser.parse(first + serverFrame(true, 1, "b"), sink), first.size());
    EXPECT_EQ(sink.events, std::vector<std::string>{"message a"});
}

TEST(ServerFrameParser, RefusesWhatAServerMustNotSend) {
    std::string masked = serverFrame(true, 1, "x");
    masked[1] = static_cast<char>(masked[1] | 0x80);
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"masked", masked + std::string(4, '\0')},
        {"reserved bits", serverFrame(true, 1, "x", 0x40)},
        {"orphan continuation", serverFrame(true, 0, "x")},
        {"text inside a fragmented message", serverFrame(false, 1, "a") + serverFrame(true, 1, "b")},
        {"fragmented control frame", serverFrame(false, 9, "x")},
        {"control frame over 125 bytes", serverFrame(true, 9, std::string(126, 'x'))},
        {"message over the limit", serverFrame(true, 1, std::string(2000, 'x'))},
        {"fragments over the limit", serverFrame(false, 1, std::string(600, 'x')) +
                                         serverFrame(true, 0, std::string(600, 'x'))},
        {"unknown opcode", serverFrame(true, 3, "x")},
        {"1-byte close", serverFrame(true, 8, "x")},
    };
    for (const auto& [name, bytes] : cases) {
        ServerFrameParser parser(1024);
        Recorder sink;
        parser.parse(bytes, sink);
        EXPECT_TRUE(parser.failure()) << name;
        EXPECT_TRUE(sink.events.empty()) << name;
    }
}

TEST(ClientHandshake, AcceptMatchesTheRfcExample) {
    // RFC 6455 section 1.3.
    EXPECT_EQ(expectedAccept("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(ClientHandshake, KeysAreSixteenBase64Bytes) {
    MaskKeys keys(3);
    const auto a = makeWebSocketKey(keys), b = makeWebSocketKey(keys);
    EXPECT_EQ(a.size(), 24u);
    EXPECT_TRUE(a.ends_with("=="));
    EXPECT_NE(a, b);
}

TEST(ClientHandshake, RequestCarriesTheUpgradeHeaders) {
    const auto request = makeUpgradeRequest("127.0.0.1:8080", "/ws", "KEY");
    EXPECT_TRUE(request.starts_with("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"));
    EXPECT_NE(request.find("\r\nUpgrade: websocket\r\n"), std::string::npos);
    EXPECT_NE(request.find("\r\nConnection: Upgrade\r\n"), std::string::npos);
    EXPECT_NE(request.find("\r\nSec-WebSocket-Key: KEY\r\n"), std::string::npos);
    EXPECT_NE(request.find("\r\nSec-WebSocket-Version: 13\r\n"), std::string::npos);
    EXPECT_TRUE(request.ends_with("\r\n\r\n"));
}

TEST(ClientHandshake, ChecksStatusUpgradeAndAccept) {
    const std::string key = "dGhlIHNhbXBsZSBub25jZQ==";
    const std::string good =
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\nConnection: Upgrade\r\n"
        "sec-websocket-accept:  s3pPLMBiTxaQ9kYGzzhZRbK+xOo= \r\n\r\n";
    const std::string withFrame = good + serverFrame(true, 1, "0{}");
    ASSERT_EQ(responseHeadEnd(withFrame), good.size());
    EXPECT_FALSE(responseHeadEnd(good.substr(0, good.size() - 1)));
    EXPECT_EQ(checkUpgradeResponse(good, key), std::nullopt);

    EXPECT_TRUE(checkUpgradeResponse("HTTP/1.1 400 Bad Request\r\n\r\n", key));
    EXPECT_TRUE(checkUpgradeResponse(
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
        "Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA=\r\n\r\n", key));
    EXPECT_TRUE(checkUpgradeResponse(
        "HTTP/1.1 101 Switching Protocols\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n",
        key));
    EXPECT_TRUE(checkUpgradeResponse("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", key));
}

}  // namespace
}  // namespace parley::bench

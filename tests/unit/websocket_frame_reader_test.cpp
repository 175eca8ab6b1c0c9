#include "net/websocket_frame_reader.hpp"
#include "net/websocket_frame_header.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

using namespace parley::net;

namespace {

// A client frame as a browser sends it: masked with `key`.
std::string clientFrame(std::uint8_t opcode, const std::string& payload, bool fin = true,
                        std::uint8_t firstByteExtra = 0, bool masked = true) {
    std::string out;
    out.push_back(static_cast<char>((fin ? 0x80 : 0) | firstByteExtra | opcode));
    const unsigned char maskBit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        out.push_back(static_cast<char>(maskBit | payload.size()));
    } else if (payload.size() <= 0xFFFF) {
        out.push_back(static_cast<char>(maskBit | 126));
        out.push_back(static_cast<char>(payload.size() >> 8));
        out.push_back(static_cast<char>(payload.size() & 0xFF));
    } else {
        out.push_back(static_cast<char>(maskBit | 127));
        for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((payload.size() >> (8 * i)) & 0xFF));
    }
    const unsigned char key[4] = {0x37, 0xfa, 0x21, 0x3d};
    if (masked) out.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t i = 0; i < payload.size(); ++i) {
        out.push_back(static_cast<char>(payload[i] ^ (masked ? key[i % 4] : 0)));
    }
    return out;
}

std::string closePayload(std::uint16_t code, const std::string& reason = {}) {
    std::string p;
    p.push_back(static_cast<char>(code >> 8));
    p.push_back(static_cast<char>(code & 0xFF));
    return p + reason;
}

struct FrameRecorder : WebSocketFrameReader::Listener {
    std::vector<std::pair<bool, std::string>> messages;
    std::vector<std::string> pings;
    int pongs = 0;
    std::vector<std::pair<std::optional<std::uint16_t>, std::string>> closes;

    void onMessage(bool text, std::string_view payload) override {
        messages.emplace_back(text, std::string(payload));
    }
    void onPing(std::string_view payload) override { pings.emplace_back(payload); }
    void onPong() override { ++pongs; }
    void onClose(std::optional<std::uint16_t> code, std::string_view reason) override {
        closes.emplace_back(code, std::string(reason));
    }
};

bool feed(WebSocketFrameReader& reader, std::string bytes, FrameRecorder& recorder) {
    return reader.consume(bytes.data(), bytes.size(), recorder);
}

}  // namespace

TEST(WebSocketFrameReader, ReadsWholeFramesOfEverySize) {
    WebSocketFrameReader reader(70'000);
    FrameRecorder got;
    const std::string small = "{\"type\":\"ping\"}";
    const std::string medium(300, 'm');
    const std::string large(66'000, 'L');
    ASSERT_TRUE(feed(reader, clientFrame(1, small) + clientFrame(1, medium) + clientFrame(2, large), got));
    ASSERT_EQ(got.messages.size(), 3u);
    EXPECT_EQ(got.messages[0], std::make_pair(true, small));
    EXPECT_EQ(got.messages[1], std::make_pair(true, medium));
    EXPECT_EQ(got.messages[2], std::make_pair(false, large));
    EXPECT_EQ(reader.buffered(), 0u);
}

TEST(WebSocketFrameReader, AFrameSplitAtEveryByteStillArrivesWhole) {
    const std::string bytes = clientFrame(1, std::string(200, 'x') + "Привет") + clientFrame(9, "hb");
    for (std::size_t cut = 1; cut < bytes.size(); ++cut) {
        WebSocketFrameReader reader(1000);
        FrameRecorder got;
        ASSERT_TRUE(feed(reader, bytes.substr(0, cut), got));
        ASSERT_TRUE(feed(reader, bytes.substr(cut), got)) << cut;
        ASSERT_EQ(got.messages.size(), 1u) << cut;
        EXPECT_EQ(got.messages[0].second, std::string(200, 'x') + "Привет");
        ASSERT_EQ(got.pings.size(), 1u);
        EXPECT_EQ(got.pings[0], "hb");
        EXPECT_EQ(reader.buffered(), 0u);
    }
}

TEST(WebSocketFrameReader, JoinsFragmentsAroundControlFrames) {
    WebSocketFrameReader reader(1000);
    FrameRecorder got;
    ASSERT_TRUE(feed(reader,
                     clientFrame(1, "{\"type\":", false) + clientFrame(9, "p") +
                         clientFrame(0, "\"ping\"", false) + clientFrame(10, "") +
                         clientFrame(0, "}", true),
                     got));
    ASSERT_EQ(got.messages.size(), 1u);
    EXPECT_EQ(got.messages[0], std::make_pair(true, std::string("{\"type\":\"ping\"}")));
    EXPECT_EQ(got.pings.size(), 1u);
    EXPECT_EQ(got.pongs, 1);
}

TEST(WebSocketFrameReader, ReadsCloseWithAndWithoutCode) {
    WebSocketFrameReader a(100), b(100);
    FrameRecorder gotA, gotB;
    ASSERT_TRUE(feed(a, clientFrame(8, closePayload(1000, "bye")), gotA));
    ASSERT_EQ(gotA.closes.size(), 1u);
    EXPECT_EQ(gotA.closes[0].first, std::optional<std::uint16_t>(1000));
    EXPECT_EQ(gotA.closes[0].second, "bye");
    ASSERT_TRUE(feed(b, clientFrame(8, ""), gotB));
    ASSERT_EQ(gotB.closes.size(), 1u);
    EXPECT_FALSE(gotB.closes[0].first);
}

TEST(WebSocketFrameReader, AMessageOverTheLimitFailsFromItsHeader) {
    WebSocketFrameReader reader(65'536);
    FrameRecorder got;
    // Only the header of a 65,537-byte frame: refused before any payload is buffered.
    // (2 bytes, a 64-bit length, the mask key: 14 bytes.)
    const std::string header = clientFrame(1, std::string(65'537, 'a')).substr(0, 14);
    EXPECT_FALSE(feed(reader, header, got));
    ASSERT_TRUE(reader.failure());
    EXPECT_EQ(reader.failure()->code, 1009);
    EXPECT_EQ(reader.failure()->text, "message-too-big");
    EXPECT_EQ(reader.buffered(), 0u);
    // Failed for good: nothing more is read.
    EXPECT_FALSE(feed(reader, clientFrame(1, "{}"), got));
    EXPECT_TRUE(got.messages.empty());
}

TEST(WebSocketFrameReader, FragmentsCountTowardsTheLimitTogether) {
    WebSocketFrameReader reader(10);
    FrameRecorder got;
    EXPECT_TRUE(feed(reader, clientFrame(1, "123456", false), got));
    EXPECT_FALSE(feed(reader, clientFrame(0, "78901", true), got));
    EXPECT_EQ(reader.failure()->code, 1009);
    EXPECT_TRUE(got.messages.empty());
}

TEST(WebSocketFrameReader, AMessageExactlyAtTheLimitPasses) {
    WebSocketFrameReader reader(10);
    FrameRecorder got;
    EXPECT_TRUE(feed(reader, clientFrame(1, "12345", false) + clientFrame(0, "67890"), got));
    ASSERT_EQ(got.messages.size(), 1u);
}

TEST(WebSocketFrameReader, BreakingTheFramingRulesIsAProtocolError) {
    struct Case {
        const char* what;
        std::string bytes;
    };
    const std::vector<Case> cases = {
        {"unmasked", clientFrame(1, "{}", true, 0, false)},
        {"rsv1 without an extension", clientFrame(1, "{}", true, 0x40)},
        {"unknown opcode", clientFrame(3, "{}")},
        {"continuation of nothing", clientFrame(0, "{}")},
        {"new message inside a fragmented one", clientFrame(1, "{", false) + clientFrame(1, "}")},
        {"fragmented control frame", clientFrame(9, "x", false)},
        {"control frame over 125 bytes", clientFrame(9, std::string(126, 'p'))},
        {"close with a one-byte body", clientFrame(8, "x")},
        {"close with a reserved code", clientFrame(8, closePayload(1005))},
        {"close with an unassigned code", clientFrame(8, closePayload(2000))},
    };
    for (const auto& c : cases) {
        WebSocketFrameReader reader(1000);
        FrameRecorder got;
        EXPECT_FALSE(feed(reader, c.bytes, got)) << c.what;
        ASSERT_TRUE(reader.failure()) << c.what;
        EXPECT_EQ(reader.failure()->code, 1002) << c.what;
        EXPECT_TRUE(got.messages.empty()) << c.what;
        EXPECT_TRUE(got.closes.empty()) << c.what;
    }
}

TEST(WebSocketFrameReader, TextThatIsNotUtf8Fails1007) {
    WebSocketFrameReader whole(100), fragmented(100), closing(100);
    FrameRecorder got;
    EXPECT_FALSE(feed(whole, clientFrame(1, "caf\xC3"), got));
    EXPECT_EQ(whole.failure()->code, 1007);
    // A character split across fragments is fine; an invalid one is not.
    EXPECT_TRUE(feed(fragmented, clientFrame(1, "caf\xC3", false) + clientFrame(0, "\xA9"), got));
    ASSERT_EQ(got.messages.size(), 1u);
    EXPECT_EQ(got.messages[0].second, "café");
    EXPECT_FALSE(feed(fragmented, clientFrame(1, "\xC3", false) + clientFrame(0, "("), got));
    EXPECT_EQ(fragmented.failure()->code, 1007);
    EXPECT_FALSE(feed(closing, clientFrame(8, closePayload(1000, "\xFF")), got));
    EXPECT_EQ(closing.failure()->code, 1007);
    // Binary frames carry anything.
    WebSocketFrameReader binary(100);
    EXPECT_TRUE(feed(binary, clientFrame(2, "\xFF\xFE"), got));
}

TEST(WebSocketFrameReader, A64BitLengthWithTheTopBitSetIsRefused) {
    WebSocketFrameReader reader(100);
    FrameRecorder got;
    std::string bytes = "\x81\xFF";
    bytes += std::string("\x80\x00\x00\x00\x00\x00\x00\x01", 8);
    bytes += "abcd";
    EXPECT_FALSE(feed(reader, bytes, got));
    EXPECT_EQ(reader.failure()->code, 1002);
}

TEST(WebSocketFrameHeader, UsesTheShortestLengthForm) {
    EXPECT_EQ(WebSocketFrameHeader(1, 125).size, 2);
    EXPECT_EQ(WebSocketFrameHeader(1, 126).size, 4);
    EXPECT_EQ(WebSocketFrameHeader(1, 65'535).size, 4);
    EXPECT_EQ(WebSocketFrameHeader(1, 65'536).size, 10);
    const WebSocketFrameHeader h(WebSocketFrameHeader::kText, 300);
    EXPECT_EQ(h.bytes[0], 0x81);
    EXPECT_EQ(h.bytes[1], 126);
    EXPECT_EQ(h.bytes[2], 1);
    EXPECT_EQ(h.bytes[3], 44);
}

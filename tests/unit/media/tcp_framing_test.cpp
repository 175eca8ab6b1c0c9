#include "media/tcp_framing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace parley::media;

namespace {
std::vector<std::uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }
std::string text(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

// Every frame the reassembler yields, in order.
std::vector<std::string> drain(TcpFrameReassembler& r) {
    std::vector<std::string> frames;
    while (auto f = r.next()) frames.push_back(text(*f));
    return frames;
}
}  // namespace

TEST(TcpFraming, PrefixIsTheBigEndianLength) {
    std::vector<std::uint8_t> out;
    std::vector<std::uint8_t> packet(0x0102, 7);
    ASSERT_TRUE(appendTcpFrame(out, packet));
    ASSERT_EQ(out.size(), 2u + 0x0102);
    EXPECT_EQ(out[0], 0x01);
    EXPECT_EQ(out[1], 0x02);
    EXPECT_EQ(out[2], 7);
}

TEST(TcpFraming, RefusesWhatTheLengthCannotSay) {
    std::vector<std::uint8_t> out{9};
    EXPECT_FALSE(appendTcpFrame(out, {}));
    EXPECT_FALSE(appendTcpFrame(out, std::vector<std::uint8_t>(65536, 1)));
    EXPECT_EQ(out, std::vector<std::uint8_t>{9});
    EXPECT_TRUE(appendTcpFrame(out, std::vector<std::uint8_t>(65535, 1)));
}

TEST(TcpFraming, WholeFramesFromAnySplit) {
    std::vector<std::uint8_t> stream;
    appendTcpFrame(stream, bytes("hello"));
    appendTcpFrame(stream, bytes("a"));
    appendTcpFrame(stream, bytes(std::string(300, 'x')));
    const std::vector<std::string> expected{"hello", "a", std::string(300, 'x')};
    // Every chunk size from one byte at a time to all at once gives the same frames.
    for (std::size_t chunk = 1; chunk <= stream.size(); ++chunk) {
        TcpFrameReassembler r;
        std::vector<std::string> frames;
        for (std::size_t i = 0; i < stream.size(); i += chunk) {
            const std::size_t n = std::min(chunk, stream.size() - i);
            r.push(std::span<const std::uint8_t>(stream.data() + i, n));
            for (auto& f : drain(r)) frames.push_back(f);
        }
        EXPECT_EQ(frames, expected) << "chunk " << chunk;
        EXPECT_EQ(r.pending(), 0u);
        EXPECT_FALSE(r.broken());
    }
}

TEST(TcpFraming, WaitsForTheRestOfAFrame) {
    TcpFrameReassembler r;
    const std::vector<std::uint8_t> head{0x00, 0x03, 'a', 'b'};
    r.push(head);
    EXPECT_FALSE(r.next());
    EXPECT_EQ(r.pending(), 4u);
    const std::vector<std::uint8_t> tail{'c'};
    r.push(tail);
    auto f = r.next();
    ASSERT_TRUE(f);
    EXPECT_EQ(text(*f), "abc");
}

TEST(TcpFraming, OversizedFrameBreaksTheStream) {
    TcpFrameReassembler r(100);
    std::vector<std::uint8_t> stream;
    appendTcpFrame(stream, bytes("ok"));
    appendTcpFrame(stream, std::vector<std::uint8_t>(101, 1));
    appendTcpFrame(stream, bytes("never"));
    r.push(stream);
    EXPECT_EQ(drain(r), std::vector<std::string>{"ok"});
    EXPECT_TRUE(r.broken());
    // Nothing after a break is believed: the next frame boundary is unknown.
    r.push(stream);
    EXPECT_FALSE(r.next());
    EXPECT_EQ(r.pending(), 0u);
}

TEST(TcpFraming, ZeroLengthBreaksTheStream) {
    TcpFrameReassembler r;
    const std::vector<std::uint8_t> stream{0, 0, 0, 1, 'x'};
    r.push(stream);
    EXPECT_FALSE(r.next());
    EXPECT_TRUE(r.broken());
}

TEST(TcpFraming, DefaultMaximumTakesAnyWebRtcPacket) {
    TcpFrameReassembler r;
    std::vector<std::uint8_t> stream;
    appendTcpFrame(stream, std::vector<std::uint8_t>(kMaxTcpFrameSize, 1));
    appendTcpFrame(stream, std::vector<std::uint8_t>(1500, 2));
    r.push(stream);
    EXPECT_EQ(drain(r).size(), 2u);
    stream.clear();
    appendTcpFrame(stream, std::vector<std::uint8_t>(kMaxTcpFrameSize + 1, 1));
    r.push(stream);
    EXPECT_FALSE(r.next());
    EXPECT_TRUE(r.broken());
}

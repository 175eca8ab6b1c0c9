#include "media/retransmission_buffer.hpp"

#include <gtest/gtest.h>

#include <memory>

using parley::media::RetransmissionBuffer;
using parley::media::RetransmissionBufferConfig;
using parley::media::SharedPacket;

namespace {

SharedPacket packetNamed(std::uint16_t seq) {
    return std::make_shared<const std::vector<std::uint8_t>>(
        std::vector<std::uint8_t>{static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq)});
}

std::uint16_t nameOf(const SharedPacket& p) { return static_cast<std::uint16_t>(((*p)[0] << 8) | (*p)[1]); }

RetransmissionBufferConfig smallBuffer(std::size_t capacity, std::int64_t maxAgeMs = 2000) {
    RetransmissionBufferConfig c;
    c.capacity = capacity;
    c.maxAgeMs = maxAgeMs;
    return c;
}

}  // namespace

TEST(RetransmissionBuffer, ReturnsWhatWasStoredAndSharesIt) {
    RetransmissionBuffer b;
    auto p = packetNamed(100);
    EXPECT_TRUE(b.insert(100, p, 0));
    auto got = b.get(100, 10);
    ASSERT_TRUE(got);
    EXPECT_EQ(got.get(), p.get());  // the same bytes, not a copy
    EXPECT_FALSE(b.get(101, 10));
    EXPECT_FALSE(b.get(99, 10));
    EXPECT_FALSE(b.insert(100, packetNamed(100), 5));  // duplicate
    EXPECT_FALSE(b.insert(102, nullptr, 5));
    EXPECT_EQ(b.size(), 1u);
}

TEST(RetransmissionBuffer, EmptyBufferHasNothing) {
    RetransmissionBuffer b;
    EXPECT_FALSE(b.get(0, 0));
}

TEST(RetransmissionBuffer, PacketsOlderThanMaxAgeAreNotReturned) {
    RetransmissionBuffer b(smallBuffer(64, 1000));
    b.insert(1, packetNamed(1), 0);
    b.insert(2, packetNamed(2), 500);
    EXPECT_TRUE(b.get(1, 1000));
    EXPECT_FALSE(b.get(1, 1001));
    EXPECT_TRUE(b.get(2, 1500));
    EXPECT_FALSE(b.get(2, 1501));
}

TEST(RetransmissionBuffer, ExpiredPacketsAreReleased) {
    RetransmissionBuffer b(smallBuffer(64, 1000));
    auto old = packetNamed(1);
    b.insert(1, old, 0);
    b.insert(2, packetNamed(2), 100);
    b.insert(3, packetNamed(3), 1500);  // 1 and 2 expired by now
    EXPECT_EQ(b.size(), 1u);
    EXPECT_EQ(old.use_count(), 1);  // the buffer let go of its reference
}

TEST(RetransmissionBuffer, WrapsAroundTheSeqSpace) {
    RetransmissionBuffer b(smallBuffer(64));
    for (std::uint32_t i = 0; i < 20; ++i) {
        const auto seq = static_cast<std::uint16_t>(65530 + i);
        b.insert(seq, packetNamed(seq), 0);
    }
    for (std::uint32_t i = 0; i < 20; ++i) {
        const auto seq = static_cast<std::uint16_t>(65530 + i);
        auto p = b.get(seq, 0);
        ASSERT_TRUE(p) << seq;
        EXPECT_EQ(nameOf(p), seq);
    }
}

TEST(RetransmissionBuffer, KeepsOnlyTheNewestCapacitySeqs) {
    RetransmissionBuffer b(smallBuffer(64));
    EXPECT_EQ(b.capacity(), 64u);
    for (std::uint16_t s = 0; s < 1000; ++s) b.insert(s, packetNamed(s), 0);
    EXPECT_EQ(b.size(), 64u);
    EXPECT_TRUE(b.get(999, 0));
    EXPECT_TRUE(b.get(936, 0));
    EXPECT_FALSE(b.get(935, 0));
    EXPECT_FALSE(b.get(0, 0));
    // A packet older than the window is not let in.
    EXPECT_FALSE(b.insert(900, packetNamed(900), 0));
    EXPECT_EQ(b.size(), 64u);
}

TEST(RetransmissionBuffer, ReorderedAndSkippedSeqs) {
    RetransmissionBuffer b(smallBuffer(16));
    b.insert(10, packetNamed(10), 0);
    b.insert(14, packetNamed(14), 0);
    EXPECT_FALSE(b.get(12, 0));  // lost (so far)
    EXPECT_TRUE(b.insert(12, packetNamed(12), 1));  // arrives late
    EXPECT_EQ(nameOf(b.get(12, 1)), 12);
    // Sliding past a slot whose old packet is from 16 seqs earlier does not return that packet.
    b.insert(26, packetNamed(26), 2);
    EXPECT_FALSE(b.get(10, 2));
    EXPECT_TRUE(b.get(14, 2));
    EXPECT_EQ(b.size(), 3u);  // 12, 14, 26
    b.insert(40, packetNamed(40), 3);
    EXPECT_FALSE(b.get(14, 3));
    EXPECT_EQ(b.size(), 2u);  // 26 and 40 (window 25..40)
}

TEST(RetransmissionBuffer, AFarSeqRestartsTheBuffer) {
    RetransmissionBuffer b(smallBuffer(64));
    for (std::uint16_t s = 1000; s < 1010; ++s) b.insert(s, packetNamed(s), 0);
    // The publisher's numbering starts again somewhere else.
    EXPECT_TRUE(b.insert(40000, packetNamed(40000), 1));
    EXPECT_EQ(b.size(), 1u);
    EXPECT_FALSE(b.get(1005, 1));
    EXPECT_TRUE(b.insert(40001, packetNamed(40001), 2));
    EXPECT_TRUE(b.get(40000, 2));
    // Backwards too.
    EXPECT_TRUE(b.insert(100, packetNamed(100), 3));
    EXPECT_EQ(b.size(), 1u);
    EXPECT_TRUE(b.get(100, 3));
}

TEST(RetransmissionBuffer, MemoryStaysBoundedUnderAnyPattern) {
    RetransmissionBuffer b(smallBuffer(128, 100000));
    std::uint32_t x = 12345;
    for (int i = 0; i < 20000; ++i) {
        x = x * 1103515245u + 12345u;
        const auto seq = static_cast<std::uint16_t>(x >> 16);
        b.insert(seq, packetNamed(seq), i);
        ASSERT_LE(b.size(), b.capacity());
    }
}

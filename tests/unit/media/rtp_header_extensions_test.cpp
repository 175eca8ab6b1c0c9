#include "media/rtp_header_extensions.hpp"

#include <gtest/gtest.h>

using namespace parley::media;

namespace {

using ExtBytes = std::vector<std::uint8_t>;

ExtBytes extText(std::string_view s) { return {s.begin(), s.end()}; }

}  // namespace

TEST(RtpHeaderExtensions, SdesTextExtensions) {
    EXPECT_EQ(parseMid(extText("0")), "0");
    EXPECT_EQ(parseRid(extText("hi")), "hi");
    EXPECT_EQ(parseRepairedRid(extText("q")), "q");
    // Firefox-style mids with braces are still visible ASCII.
    EXPECT_EQ(parseMid(extText("{a-b_c}")), "{a-b_c}");
    // A value padded with NULs to a fixed element size.
    EXPECT_EQ(parseMid(ExtBytes{'1', 0, 0}), "1");
    EXPECT_FALSE(parseMid(ExtBytes{}));
    EXPECT_FALSE(parseMid(ExtBytes{0, 0}));
    EXPECT_FALSE(parseMid(ExtBytes{'a', ' ', 'b'}));
    EXPECT_FALSE(parseMid(ExtBytes{'a', 0, 'b'}));
    EXPECT_FALSE(parseMid(ExtBytes{0xc3, 0xa9}));
}

TEST(RtpHeaderExtensions, AbsSendTimeIsSixPointEighteenFixedPoint) {
    // 1.5 s = 0x060000 (1 << 18 is one second).
    EXPECT_EQ(parseAbsSendTime(ExtBytes{0x06, 0x00, 0x00}), 0x060000u);
    EXPECT_EQ(absSendTimeToMicros(0x060000), 1'500'000);
    EXPECT_EQ(absSendTimeFromMicros(1'500'000), 0x060000u);
    // It wraps at 64 s, whatever the epoch.
    EXPECT_EQ(absSendTimeFromMicros(65'500'000), 0x060000u);
    EXPECT_EQ(absSendTimeFromMicros(-62'500'000), 0x060000u);
    // Rounded to the nearest unit: a microsecond before the wrap is the wrap.
    EXPECT_EQ(absSendTimeFromMicros(63'999'999), 0u);
    EXPECT_EQ(absSendTimeFromMicros(63'999'995), 0xFFFFFFu);
    EXPECT_FALSE(parseAbsSendTime(ExtBytes{1, 2}));
    EXPECT_FALSE(parseAbsSendTime(ExtBytes{1, 2, 3, 4}));
}

TEST(RtpHeaderExtensions, TransportSequenceNumberAndAudioLevel) {
    EXPECT_EQ(parseTransportSequenceNumber(ExtBytes{0xab, 0xcd}), 0xabcd);
    EXPECT_FALSE(parseTransportSequenceNumber(ExtBytes{0xab}));
    // RFC 6464: V bit, then the level in -dBov.
    const auto loud = parseAudioLevel(ExtBytes{0x80 | 10});
    ASSERT_TRUE(loud);
    EXPECT_TRUE(loud->voiceActivity);
    EXPECT_EQ(loud->level, 10);
    const auto silent = parseAudioLevel(ExtBytes{127});
    ASSERT_TRUE(silent);
    EXPECT_FALSE(silent->voiceActivity);
    EXPECT_EQ(silent->level, 127);
    EXPECT_FALSE(parseAudioLevel(ExtBytes{1, 2}));
}

TEST(RtpHeaderExtensions, StampsTransportSequenceAndAbsSendTimeInPlace) {
    RtpHeaderFields h;
    h.ssrc = 5;
    const std::vector<RtpExtensionValue> exts{{1, {'0'}}, {3, {0, 0}}, {2, {0, 0, 0}}};
    auto bytes = *buildRtpPacket(h, exts, ExtBytes{9, 9});
    const std::size_t size = bytes.size();
    auto p = *RtpPacket::parse(bytes);
    EXPECT_TRUE(writeTransportSequenceNumber(p, 3, 0xfffe));
    EXPECT_TRUE(writeAbsSendTime(p, 2, 0x123456));
    EXPECT_FALSE(writeTransportSequenceNumber(p, 4, 1));  // not negotiated on this packet
    EXPECT_FALSE(writeTransportSequenceNumber(p, 1, 1));  // wrong size: that is the mid
    EXPECT_FALSE(writeAbsSendTime(p, 3, 1));
    EXPECT_EQ(bytes.size(), size);
    const auto again = *RtpPacket::parse(bytes);
    EXPECT_EQ(parseTransportSequenceNumber(*again.extension(3)), 0xfffe);
    EXPECT_EQ(parseAbsSendTime(*again.extension(2)), 0x123456u);
    EXPECT_EQ(parseMid(*again.extension(1)), "0");
    EXPECT_EQ(again.payload()[0], 9);
}

#include "media/packet_kind.hpp"

#include <gtest/gtest.h>

#include <vector>

using parley::media::classifyPacket;
using parley::media::PacketKind;

namespace packet_kind_test {

std::vector<std::uint8_t> datagramOf(std::uint8_t first, std::uint8_t second, std::size_t size) {
    std::vector<std::uint8_t> d(size, 0);
    if (size > 0) d[0] = first;
    if (size > 1) d[1] = second;
    return d;
}

}  // namespace packet_kind_test

using packet_kind_test::datagramOf;

TEST(PacketKind, FirstByteRangesOfRfc7983) {
    for (int b = 0; b < 256; ++b) {
        const auto first = static_cast<std::uint8_t>(b);
        const auto kind = classifyPacket(datagramOf(first, 96, 100));
        if (b <= 3) {
            EXPECT_EQ(kind, PacketKind::Stun) << b;
        } else if (b >= 20 && b <= 63) {
            EXPECT_EQ(kind, PacketKind::Dtls) << b;
        } else if (b >= 128 && b <= 191) {
            EXPECT_EQ(kind, PacketKind::Rtp) << b;
        } else {
            EXPECT_EQ(kind, PacketKind::Unknown) << b;  // ZRTP 16..19, TURN channels 64..79, ...
        }
    }
}

TEST(PacketKind, RtcpIsToldFromRtpByTheSecondByte) {
    // RFC 5761 section 4: RTCP packet types 192..223 (SR 200, RR 201, ... PSFB 206, XR 207).
    EXPECT_EQ(classifyPacket(datagramOf(0x80, 191, 12)), PacketKind::Rtp);
    EXPECT_EQ(classifyPacket(datagramOf(0x80, 192, 8)), PacketKind::Rtcp);
    EXPECT_EQ(classifyPacket(datagramOf(0x81, 200, 28)), PacketKind::Rtcp);
    EXPECT_EQ(classifyPacket(datagramOf(0x8f, 206, 12)), PacketKind::Rtcp);
    EXPECT_EQ(classifyPacket(datagramOf(0x80, 223, 8)), PacketKind::Rtcp);
    EXPECT_EQ(classifyPacket(datagramOf(0x80, 224, 12)), PacketKind::Rtp);  // marker set, PT 96
    EXPECT_EQ(classifyPacket(datagramOf(0x90, 111, 12)), PacketKind::Rtp);  // extension bit, opus
}

TEST(PacketKind, TooShortForItsHeaderIsUnknown) {
    EXPECT_EQ(classifyPacket({}), PacketKind::Unknown);
    EXPECT_EQ(classifyPacket(datagramOf(0x00, 0x01, 19)), PacketKind::Unknown);
    EXPECT_EQ(classifyPacket(datagramOf(0x00, 0x01, 20)), PacketKind::Stun);
    EXPECT_EQ(classifyPacket(datagramOf(22, 0xfe, 12)), PacketKind::Unknown);
    EXPECT_EQ(classifyPacket(datagramOf(22, 0xfe, 13)), PacketKind::Dtls);
    EXPECT_EQ(classifyPacket(datagramOf(0x80, 96, 11)), PacketKind::Unknown);
    EXPECT_EQ(classifyPacket(datagramOf(0x80, 96, 12)), PacketKind::Rtp);
    EXPECT_EQ(classifyPacket(datagramOf(0x80, 201, 7)), PacketKind::Unknown);
    EXPECT_EQ(classifyPacket(datagramOf(0x80, 201, 8)), PacketKind::Rtcp);
    EXPECT_EQ(classifyPacket(datagramOf(0x80, 0, 1)), PacketKind::Unknown);
}

TEST(PacketKind, NamesForLogs) {
    EXPECT_STREQ(toString(PacketKind::Stun), "stun");
    EXPECT_STREQ(toString(PacketKind::Rtcp), "rtcp");
    EXPECT_STREQ(toString(PacketKind::Unknown), "unknown");
}

#include "media/rtx.hpp"

#include <gtest/gtest.h>

using namespace parley::media;

namespace {

std::vector<std::uint8_t> rtxOriginal(std::uint8_t padding) {
    RtpHeaderFields h;
    h.payloadType = 96;
    h.marker = true;
    h.sequenceNumber = 0xabcd;
    h.timestamp = 1234;
    h.ssrc = 0x1000;
    const std::vector<RtpExtensionValue> exts{{1, {'0'}}, {3, {0, 7}}};
    const std::vector<std::uint8_t> payload{0x10, 0x20, 0x30};
    return *buildRtpPacket(h, exts, payload, padding);
}

}  // namespace

TEST(Rtx, BuildPrependsTheOriginalSequenceNumber) {
    auto original = rtxOriginal(4);
    const auto o = *RtpPacket::parse(original);
    auto bytes = buildRtxPacket(o, 97, 0x2000, 17);
    const auto rtx = RtpPacket::parse(bytes);
    ASSERT_TRUE(rtx);
    EXPECT_EQ(rtx->payloadType(), 97);
    EXPECT_EQ(rtx->ssrc(), 0x2000u);
    EXPECT_EQ(rtx->sequenceNumber(), 17);
    EXPECT_EQ(rtx->timestamp(), 1234u);
    EXPECT_TRUE(rtx->marker());
    EXPECT_EQ(rtx->paddingSize(), 0u);
    EXPECT_TRUE(rtx->extension(1));
    const std::vector<std::uint8_t> payload(rtx->payload().begin(), rtx->payload().end());
    EXPECT_EQ(payload, (std::vector<std::uint8_t>{0xab, 0xcd, 0x10, 0x20, 0x30}));
    const auto parsed = parseRtxPayload(*rtx);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->originalSequenceNumber, 0xabcd);
    EXPECT_EQ(parsed->originalPayload.size(), 3u);
}

TEST(Rtx, RestoreGivesTheOriginalBackWithoutPadding) {
    auto original = rtxOriginal(0);
    auto rtx = buildRtxPacket(*RtpPacket::parse(original), 97, 0x2000, 17);
    const auto restored = restoreFromRtx(*RtpPacket::parse(rtx), 96, 0x1000);
    ASSERT_TRUE(restored);
    EXPECT_EQ(*restored, original);
}

TEST(Rtx, PaddingOnlyProbesHaveNothingToRestore) {
    RtpHeaderFields h;
    h.payloadType = 97;
    auto probe = *buildRtpPacket(h, {}, {}, 200);
    const auto p = *RtpPacket::parse(probe);
    EXPECT_FALSE(parseRtxPayload(p));
    EXPECT_FALSE(restoreFromRtx(p, 96, 1));
    auto oneByte = *buildRtpPacket(h, {}, std::vector<std::uint8_t>{1});
    EXPECT_FALSE(parseRtxPayload(*RtpPacket::parse(oneByte)));
}

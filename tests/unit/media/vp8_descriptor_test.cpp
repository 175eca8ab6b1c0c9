#include "media/vp8_descriptor.hpp"

#include <gtest/gtest.h>

#include <vector>

using parley::media::parseVp8Descriptor;
using parley::media::Vp8Descriptor;
using parley::media::Vp8PictureIdRewriter;
using parley::media::Vp8PictureIds;
using parley::media::writeVp8PictureIds;

namespace {

// What Chrome sends: X, S, PID 0; I (15-bit PictureID), L, T; then the VP8 payload header.
std::vector<std::uint8_t> chromeDescriptor(std::uint16_t pictureId, std::uint8_t tl0, std::uint8_t tid, bool sync,
                                           std::uint8_t firstPayloadByte) {
    return {0x90,
            0xE0,
            static_cast<std::uint8_t>(0x80 | (pictureId >> 8)),
            static_cast<std::uint8_t>(pictureId),
            tl0,
            static_cast<std::uint8_t>((tid << 6) | (sync ? 0x20 : 0)),
            firstPayloadByte,
            0x00,
            0x9d};
}

Vp8Descriptor parsed(const std::vector<std::uint8_t>& bytes) {
    auto d = parseVp8Descriptor(bytes);
    EXPECT_TRUE(d);
    return d.value_or(Vp8Descriptor{});
}

}  // namespace

TEST(Vp8Descriptor, MinimalDescriptorOfAKeyframe) {
    const std::vector<std::uint8_t> bytes{0x10, 0x50};  // S, PID 0; payload header with P = 0
    auto d = parseVp8Descriptor(bytes);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->startOfPartition);
    EXPECT_EQ(d->partitionIndex, 0);
    EXPECT_FALSE(d->pictureId);
    EXPECT_FALSE(d->tl0PicIdx);
    EXPECT_FALSE(d->temporalLayer);
    EXPECT_EQ(d->size, 1u);
    EXPECT_TRUE(d->keyframe);
}

TEST(Vp8Descriptor, ChromeStyleDescriptorWithEveryCommonField) {
    auto bytes = chromeDescriptor(0x1234, 77, 2, true, 0x01);
    auto d = parseVp8Descriptor(bytes);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->startOfPartition);
    EXPECT_FALSE(d->nonReference);
    ASSERT_TRUE(d->pictureId);
    EXPECT_EQ(*d->pictureId, 0x1234);
    EXPECT_TRUE(d->pictureIdLong);
    EXPECT_EQ(d->pictureIdOffset, 2u);
    EXPECT_EQ(d->tl0PicIdx, 77);
    EXPECT_EQ(d->tl0PicIdxOffset, 4u);
    EXPECT_EQ(d->temporalLayer, 2);
    EXPECT_TRUE(d->layerSync);
    EXPECT_FALSE(d->keyIndex);
    EXPECT_EQ(d->size, 6u);
    EXPECT_FALSE(d->keyframe);  // P = 1: an interframe
}

TEST(Vp8Descriptor, KeyframeNeedsStartOfPartitionZeroAndPClear) {
    EXPECT_TRUE(parsed(chromeDescriptor(1, 0, 0, false, 0x10)).keyframe);
    auto continuation = chromeDescriptor(1, 0, 0, false, 0x10);
    continuation[0] = 0x80;  // S = 0: the middle of a frame, whose bytes are not a header
    EXPECT_FALSE(parsed(continuation).keyframe);
    auto otherPartition = chromeDescriptor(1, 0, 0, false, 0x10);
    otherPartition[0] = 0x91;  // S = 1 but PID 1
    EXPECT_FALSE(parsed(otherPartition).keyframe);
}

TEST(Vp8Descriptor, ShortPictureIdKeyIndexAndNonReference) {
    // X, N, S; I and K; 7-bit PictureID 0x55; KEYIDX 0x13 (T clear: TID absent).
    const std::vector<std::uint8_t> bytes{0xB0, 0x90, 0x55, 0x13, 0x01};
    auto d = parseVp8Descriptor(bytes);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->nonReference);
    EXPECT_EQ(d->pictureId, 0x55);
    EXPECT_FALSE(d->pictureIdLong);
    EXPECT_FALSE(d->tl0PicIdx);
    EXPECT_FALSE(d->temporalLayer);
    EXPECT_EQ(d->keyIndex, 0x13);
    EXPECT_EQ(d->size, 4u);
}

TEST(Vp8Descriptor, TruncatedOrEmptyInputIsRejected) {
    const std::vector<std::vector<std::uint8_t>> bad{
        {},
        {0x10},                    // no VP8 payload byte
        {0x80},                    // X without its byte
        {0x80, 0x80},              // I without PictureID
        {0x80, 0x80, 0x81},        // long PictureID cut after one byte
        {0x80, 0x40},              // L without TL0PICIDX
        {0x80, 0x20},              // T without its byte
        {0x80, 0x10},              // K without its byte
        {0x90, 0xE0, 0x81, 0x02, 0x03, 0x40},  // complete descriptor, no payload
    };
    for (const auto& bytes : bad) EXPECT_FALSE(parseVp8Descriptor(bytes)) << bytes.size();
}

TEST(Vp8Descriptor, WriteKeepsWidthAndMBitAndTouchesNothingElse) {
    auto bytes = chromeDescriptor(0x1234, 77, 1, false, 0x01);
    const auto d = parsed(bytes);
    ASSERT_TRUE(writeVp8PictureIds(bytes, d, Vp8PictureIds{0x7FFF, 200}));
    EXPECT_EQ(bytes, chromeDescriptor(0x7FFF, 200, 1, false, 0x01));
    // Values wider than the field are masked to it.
    ASSERT_TRUE(writeVp8PictureIds(bytes, d, Vp8PictureIds{0x8001, std::nullopt}));
    EXPECT_EQ(parsed(bytes).pictureId, 1);
    EXPECT_EQ(parsed(bytes).tl0PicIdx, 200);  // absent from ids: left alone

    std::vector<std::uint8_t> shortId{0x90, 0x80, 0x7F, 0x01};
    const auto ds = parsed(shortId);
    ASSERT_TRUE(writeVp8PictureIds(shortId, ds, Vp8PictureIds{0x0185, 9}));  // no TL0PICIDX field
    EXPECT_EQ(shortId, (std::vector<std::uint8_t>{0x90, 0x80, 0x05, 0x01}));
}

TEST(Vp8Descriptor, WriteRefusesABufferShorterThanTheDescriptor) {
    auto bytes = chromeDescriptor(5, 6, 0, false, 0x01);
    const auto d = parsed(bytes);
    std::vector<std::uint8_t> truncated(bytes.begin(), bytes.begin() + 3);
    EXPECT_FALSE(writeVp8PictureIds(truncated, d, Vp8PictureIds{1, 2}));
}

TEST(Vp8PictureIdRewriter, FirstSourcePassesThroughAndFollowsItsWrap) {
    Vp8PictureIdRewriter r;
    auto ids = r.rewrite(parsed(chromeDescriptor(32766, 254, 0, false, 0)), true);
    ASSERT_TRUE(ids);
    EXPECT_EQ(ids->pictureId, 32766);
    EXPECT_EQ(ids->tl0PicIdx, 254);
    ids = r.rewrite(parsed(chromeDescriptor(32767, 255, 0, false, 1)), false);
    EXPECT_EQ(ids->pictureId, 32767);
    EXPECT_EQ(ids->tl0PicIdx, 255);
    ids = r.rewrite(parsed(chromeDescriptor(0, 0, 0, false, 1)), false);
    EXPECT_EQ(ids->pictureId, 0);
    EXPECT_EQ(ids->tl0PicIdx, 0);
    ids = r.rewrite(parsed(chromeDescriptor(32767, 255, 0, false, 1)), false);  // reordered across the wrap
    EXPECT_EQ(ids->pictureId, 32767);
}

TEST(Vp8PictureIdRewriter, ResyncContinuesBothCountersAtLastPlusOne) {
    Vp8PictureIdRewriter r;
    r.rewrite(parsed(chromeDescriptor(100, 10, 0, false, 0)), true);
    r.rewrite(parsed(chromeDescriptor(101, 10, 1, false, 1)), false);
    r.rewrite(parsed(chromeDescriptor(101, 10, 1, false, 1)), false);  // second packet of picture 101
    // Another publisher, numbers near its own wrap.
    auto ids = r.rewrite(parsed(chromeDescriptor(32767, 255, 0, false, 0)), true);
    ASSERT_TRUE(ids);
    EXPECT_EQ(ids->pictureId, 102);
    EXPECT_EQ(ids->tl0PicIdx, 11);
    ids = r.rewrite(parsed(chromeDescriptor(32767, 255, 0, false, 1)), false);  // same picture
    EXPECT_EQ(ids->pictureId, 102);
    ids = r.rewrite(parsed(chromeDescriptor(0, 0, 0, false, 1)), false);
    EXPECT_EQ(ids->pictureId, 103);
    EXPECT_EQ(ids->tl0PicIdx, 12);
    ids = r.rewrite(parsed(chromeDescriptor(1, 0, 2, false, 1)), false);
    EXPECT_EQ(ids->pictureId, 104);
    EXPECT_EQ(ids->tl0PicIdx, 12);
}

TEST(Vp8PictureIdRewriter, OutgoingCountersWrapAcrossAResync) {
    Vp8PictureIdRewriter r;
    r.rewrite(parsed(chromeDescriptor(32767, 255, 0, false, 0)), true);
    auto ids = r.rewrite(parsed(chromeDescriptor(500, 40, 0, false, 0)), true);
    EXPECT_EQ(ids->pictureId, 0);
    EXPECT_EQ(ids->tl0PicIdx, 0);
}

TEST(Vp8PictureIdRewriter, PacketOlderThanTheResyncPictureIsDropped) {
    Vp8PictureIdRewriter r;
    r.rewrite(parsed(chromeDescriptor(10, 1, 0, false, 0)), true);
    r.rewrite(parsed(chromeDescriptor(900, 50, 0, false, 0)), true);
    EXPECT_FALSE(r.rewrite(parsed(chromeDescriptor(899, 50, 0, false, 1)), false));
    EXPECT_FALSE(r.rewrite(parsed(chromeDescriptor(900, 49, 0, false, 1)), false));
    // The rejected packets changed nothing.
    EXPECT_EQ(r.rewrite(parsed(chromeDescriptor(901, 51, 0, false, 1)), false)->pictureId, 12);
}

TEST(Vp8PictureIdRewriter, ShortPictureIdsWrapAtSevenBits) {
    Vp8PictureIdRewriter r;
    const auto shortId = [](std::uint8_t id) { return std::vector<std::uint8_t>{0x90, 0x80, id, 0x01}; };
    EXPECT_EQ(r.rewrite(parsed(shortId(126)), true)->pictureId, 126);
    EXPECT_EQ(r.rewrite(parsed(shortId(127)), false)->pictureId, 127);
    EXPECT_EQ(r.rewrite(parsed(shortId(0)), false)->pictureId, 0);
    EXPECT_EQ(r.rewrite(parsed(shortId(60)), true)->pictureId, 1);
}

TEST(Vp8PictureIdRewriter, ACounterThatAppearsAfterTheResyncStillContinues) {
    Vp8PictureIdRewriter r;
    r.rewrite(parsed(chromeDescriptor(7, 20, 0, false, 0)), true);
    // The new source's first packet has a PictureID but no TL0PICIDX.
    auto ids = r.rewrite(parsed({0x90, 0x80, 0x80, 0x05, 0x00}), true);
    EXPECT_EQ(ids->pictureId, 8);
    EXPECT_FALSE(ids->tl0PicIdx);
    ids = r.rewrite(parsed(chromeDescriptor(6, 99, 0, false, 1)), false);
    EXPECT_EQ(ids->pictureId, 9);
    EXPECT_EQ(ids->tl0PicIdx, 21);
}

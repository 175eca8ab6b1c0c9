#include "media/rtp_packet.hpp"

#include <gtest/gtest.h>

using namespace parley::media;

namespace {

using RtpBytes = std::vector<std::uint8_t>;

std::vector<std::uint8_t> rtpValues(std::span<const std::uint8_t> s) { return {s.begin(), s.end()}; }

// RFC 3550 5.1 and RFC 8285 4.2, written out by hand: V=2 X=1 CC=1, M=1 PT=111, seq 0x1234,
// ts 0xdeadbeef, SSRC 0x01020304, CSRC 0x0a0b0c0d, then a one-byte block of 2 words:
// id 1 len 1 (0xaa), a padding byte, id 3 len 2 (0x01 0x02), padding to the word.
RtpBytes handWrittenPacket() {
    return {0x91, 0xef, 0x12, 0x34, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d,
            0xbe, 0xde, 0x00, 0x02, 0x10, 0xaa, 0x00, 0x31, 0x01, 0x02, 0x00, 0x00, 'o',  'p',  'u',  's'};
}

}  // namespace

TEST(RtpPacket, ReadsAHandWrittenHeader) {
    RtpBytes bytes = handWrittenPacket();
    const auto p = RtpPacket::parse(bytes);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->payloadType(), 111);
    EXPECT_TRUE(p->marker());
    EXPECT_EQ(p->sequenceNumber(), 0x1234);
    EXPECT_EQ(p->timestamp(), 0xdeadbeefu);
    EXPECT_EQ(p->ssrc(), 0x01020304u);
    ASSERT_EQ(p->csrcCount(), 1u);
    EXPECT_EQ(p->csrc(0), 0x0a0b0c0du);
    EXPECT_EQ(p->headerSize(), 28u);
    EXPECT_EQ(p->paddingSize(), 0u);
    EXPECT_EQ(rtpValues(p->payload()), (RtpBytes{'o', 'p', 'u', 's'}));
    EXPECT_EQ(p->extensionForm(), RtpExtensionForm::OneByte);
    EXPECT_EQ(rtpValues(*p->extension(1)), RtpBytes{0xaa});
    EXPECT_EQ(rtpValues(*p->extension(3)), (RtpBytes{0x01, 0x02}));
    EXPECT_FALSE(p->extension(2));
    EXPECT_FALSE(p->extension(0));
    EXPECT_EQ(p->extensions().size(), 2u);
}

TEST(RtpPacket, SettersRewriteInPlaceAndLeaveTheRestAlone) {
    RtpBytes bytes = handWrittenPacket();
    auto p = RtpPacket::parse(bytes);
    ASSERT_TRUE(p);
    p->setSequenceNumber(0xfffe);
    p->setTimestamp(0x11223344);
    p->setSsrc(0xcafebabe);
    p->setPayloadType(96);
    p->setMarker(false);
    EXPECT_EQ(bytes[0], 0x91);
    EXPECT_EQ(bytes[1], 96);
    EXPECT_EQ(bytes[2], 0xff);
    EXPECT_EQ(bytes[3], 0xfe);
    EXPECT_EQ(bytes[4], 0x11);
    EXPECT_EQ(bytes[11], 0xbe);
    p->setMarker(true);
    EXPECT_EQ(bytes[1], 0x80 | 96);
    p->setPayloadType(0xff);  // only 7 bits exist: the marker survives
    EXPECT_EQ(bytes[1], 0xff);
    const RtpBytes tail(bytes.begin() + 12, bytes.end());
    const RtpBytes original = handWrittenPacket();
    EXPECT_EQ(tail, RtpBytes(original.begin() + 12, original.end()));
}

TEST(RtpPacket, EditingACopyLeavesTheOriginal) {
    RtpBytes bytes = handWrittenPacket();
    RtpBytes copy = bytes;
    auto p = RtpPacket::parse(copy);
    ASSERT_TRUE(p);
    p->setSsrc(7);
    EXPECT_EQ(RtpPacket::parse(bytes)->ssrc(), 0x01020304u);
    EXPECT_EQ(RtpPacket::parse(copy)->ssrc(), 7u);
}

TEST(RtpPacket, PaddingIsNotPayload) {
    // P=1, no CSRC or extension, payload 3 bytes, 4 bytes of padding ending in the count.
    RtpBytes bytes{0xa0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 'v', 'p', '8', 0, 0, 0, 4};
    const auto p = RtpPacket::parse(bytes);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->paddingSize(), 4u);
    EXPECT_EQ(rtpValues(p->payload()), (RtpBytes{'v', 'p', '8'}));
}

TEST(RtpPacket, PaddingOnlyPacketHasAnEmptyPayload) {
    RtpBytes bytes{0xa0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4};
    const auto p = RtpPacket::parse(bytes);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->payloadSize(), 0u);
}

TEST(RtpPacket, RefusesBadPadding) {
    RtpBytes zero{0xa0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 'x', 0};
    EXPECT_FALSE(RtpPacket::parse(zero));
    RtpBytes intoHeader{0xa0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 'x', 3};
    EXPECT_FALSE(RtpPacket::parse(intoHeader));
    RtpBytes exact{0xa0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 'x', 2};
    EXPECT_TRUE(RtpPacket::parse(exact));
    // Padding that would eat the extension block.
    RtpBytes ext{0xb0, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0, 1, 0x10, 1, 0, 0, 5};
    EXPECT_FALSE(RtpPacket::parse(ext));
}

TEST(RtpPacket, RefusesWrongVersionAndTruncations) {
    RtpBytes bytes = handWrittenPacket();
    for (std::size_t n = 0; n < 28; ++n) {
        RtpBytes cut(bytes.begin(), bytes.begin() + n);
        EXPECT_FALSE(RtpPacket::parse(cut)) << n;
    }
    RtpBytes headerOnly(bytes.begin(), bytes.begin() + 28);
    EXPECT_TRUE(RtpPacket::parse(headerOnly));
    for (std::uint8_t version : {0, 1, 3}) {
        RtpBytes v = bytes;
        v[0] = static_cast<std::uint8_t>((v[0] & 0x3f) | (version << 6));
        EXPECT_FALSE(RtpPacket::parse(v));
    }
    RtpBytes manyCsrcs = bytes;
    manyCsrcs[0] = 0x9f;  // 15 CSRCs: 72 bytes of header, more than the packet
    EXPECT_FALSE(RtpPacket::parse(manyCsrcs));
    RtpBytes longExtension = bytes;
    longExtension[19] = 0x05;
    EXPECT_FALSE(RtpPacket::parse(longExtension));
}

TEST(RtpPacket, OneByteElementsStopAtIdFifteenAndAtOverruns) {
    // id 1 len 1, then id 15 (stop), then what would be id 2.
    RtpBytes stop{0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0, 2, 0x10, 0x01, 0xf0, 0x20, 0x02, 0, 0, 0};
    auto p = RtpPacket::parse(stop);
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->extension(1));
    EXPECT_FALSE(p->extension(2));
    EXPECT_FALSE(p->extension(15));
    // id 1 len 1, then id 2 claiming 16 bytes in a 1-word block.
    RtpBytes overrun{0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0, 1, 0x10, 0x01, 0x2f, 0x00};
    p = RtpPacket::parse(overrun);
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->extension(1));
    EXPECT_FALSE(p->extension(2));
    EXPECT_EQ(p->extensions().size(), 1u);
    // A zero-id byte with a length is neither padding nor an element.
    RtpBytes zeroId{0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0xbe, 0xde, 0, 1, 0x01, 0x20, 0x05, 0x00};
    p = RtpPacket::parse(zeroId);
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->extensions().empty());
}

TEST(RtpPacket, TwoByteElementsAndAppBits) {
    // RFC 8285 4.3: profile 0x1003 (appbits 3); id 1 empty, padding, id 20 len 3, id 2 len 1.
    RtpBytes bytes{0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x10, 0x03, 0, 3, 1, 0, 0, 20, 3,
                   'a',  'b',  'c', 2, 1, 0x77, 0, 'p'};
    const auto p = RtpPacket::parse(bytes);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->extensionForm(), RtpExtensionForm::TwoByte);
    EXPECT_EQ(p->extensionAppBits(), 3);
    ASSERT_TRUE(p->extension(1));
    EXPECT_TRUE(p->extension(1)->empty());
    EXPECT_EQ(rtpValues(*p->extension(20)), (RtpBytes{'a', 'b', 'c'}));
    EXPECT_EQ(rtpValues(*p->extension(2)), RtpBytes{0x77});
    EXPECT_EQ(rtpValues(p->payload()), RtpBytes{'p'});
    // A length byte that runs past the block ends the walk.
    RtpBytes overrun{0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x10, 0x00, 0, 1, 5, 9, 0, 0};
    EXPECT_TRUE(RtpPacket::parse(overrun)->extensions().empty());
    // An id with no room for its length byte.
    RtpBytes noLength{0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x10, 0x00, 0, 1, 0, 0, 0, 5};
    EXPECT_TRUE(RtpPacket::parse(noLength)->extensions().empty());
}

TEST(RtpPacket, OtherExtensionProfilesAreSkippedNotRead) {
    RtpBytes bytes{0x90, 0x60, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0x12, 0x34, 0, 1, 0x10, 1, 2, 3, 'p'};
    const auto p = RtpPacket::parse(bytes);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->extensionForm(), RtpExtensionForm::Other);
    EXPECT_EQ(p->extensionProfile(), 0x1234);
    EXPECT_FALSE(p->extension(1));
    EXPECT_EQ(p->headerSize(), 20u);
}

TEST(RtpPacket, SetExtensionValueOnlyWhenTheSizeMatches) {
    RtpBytes bytes = handWrittenPacket();
    auto p = RtpPacket::parse(bytes);
    const RtpBytes two{0x55, 0x66};
    EXPECT_TRUE(p->setExtensionValue(3, two));
    EXPECT_EQ(bytes[24], 0x55);
    EXPECT_EQ(bytes[25], 0x66);
    EXPECT_FALSE(p->setExtensionValue(1, two));
    EXPECT_FALSE(p->setExtensionValue(4, two));
    EXPECT_EQ(bytes[21], 0xaa);
}

TEST(RtpPacket, BuildsWhatItParses) {
    RtpHeaderFields h;
    h.payloadType = 96;
    h.marker = true;
    h.sequenceNumber = 65535;
    h.timestamp = 90000;
    h.ssrc = 0x11111111;
    h.csrcs = {1, 2};
    const std::vector<RtpExtensionValue> exts{{1, {'0'}}, {3, {0x12, 0x34}}, {14, RtpBytes(16, 0x5a)}};
    const RtpBytes payload{1, 2, 3, 4, 5};
    auto bytes = buildRtpPacket(h, exts, payload, 3);
    ASSERT_TRUE(bytes);
    auto p = RtpPacket::parse(*bytes);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->payloadType(), 96);
    EXPECT_TRUE(p->marker());
    EXPECT_EQ(p->sequenceNumber(), 65535);
    EXPECT_EQ(p->timestamp(), 90000u);
    EXPECT_EQ(p->ssrc(), 0x11111111u);
    EXPECT_EQ(p->csrc(1), 2u);
    EXPECT_EQ(p->extensionForm(), RtpExtensionForm::OneByte);
    EXPECT_EQ(rtpValues(*p->extension(1)), RtpBytes{'0'});
    EXPECT_EQ(rtpValues(*p->extension(3)), (RtpBytes{0x12, 0x34}));
    EXPECT_EQ(rtpValues(*p->extension(14)), RtpBytes(16, 0x5a));
    EXPECT_EQ(rtpValues(p->payload()), payload);
    EXPECT_EQ(p->paddingSize(), 3u);
    EXPECT_EQ(p->headerSize() % 4, 0u);
}

TEST(RtpPacket, BuildsTheTwoByteFormWhenTheOneByteFormCannotHoldAnElement) {
    const RtpHeaderFields h;
    for (const auto& ext : {RtpExtensionValue{15, {1}}, RtpExtensionValue{2, {}}, RtpExtensionValue{2, RtpBytes(17, 1)}}) {
        const std::vector<RtpExtensionValue> exts{ext};
        auto bytes = buildRtpPacket(h, exts, {});
        ASSERT_TRUE(bytes);
        auto p = RtpPacket::parse(*bytes);
        ASSERT_TRUE(p);
        EXPECT_EQ(p->extensionForm(), RtpExtensionForm::TwoByte);
        EXPECT_EQ(rtpValues(*p->extension(ext.id)), ext.value);
    }
}

TEST(RtpPacket, BuilderRefusesWhatCannotBeWritten) {
    RtpHeaderFields h;
    h.csrcs.assign(16, 0);
    EXPECT_FALSE(buildRtpPacket(h, {}, {}));
    const RtpHeaderFields ok;
    const std::vector<RtpExtensionValue> zeroId{{0, {1}}};
    EXPECT_FALSE(buildRtpPacket(ok, zeroId, {}));
    const std::vector<RtpExtensionValue> tooLong{{1, RtpBytes(256, 0)}};
    EXPECT_FALSE(buildRtpPacket(ok, tooLong, {}));
}

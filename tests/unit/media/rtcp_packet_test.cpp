#include "media/rtcp_packet.hpp"

#include <gtest/gtest.h>

using namespace parley::media;

namespace {

using RtcpBytes = std::vector<std::uint8_t>;

// What Chromium sends a publisher's server as receiver: an RR (RFC 3550 6.4.2) from its
// receive-only SSRC 1 with one report block, then REMB (draft-alvestrand-rmcat-remb-03) of
// 1 000 000 bps (exponent 2, mantissa 250 000 = 0x3D090) for that SSRC. Written out by hand.
const RtcpBytes kChromiumRrRemb{
    0x81, 0xc9, 0x00, 0x07,  // V=2 RC=1 RR, 8 words
    0x00, 0x00, 0x00, 0x01,  // sender SSRC
    0x12, 0x34, 0x56, 0x78,  // source
    0x10, 0x00, 0x00, 0x02,  // fraction lost 16/256, cumulative 2
    0x00, 0x01, 0x02, 0x03,  // 1 cycle, highest 0x0203
    0x00, 0x00, 0x00, 0x40,  // jitter
    0x11, 0x22, 0x33, 0x44,  // LSR
    0x00, 0x01, 0x00, 0x00,  // DLSR: one second
    0x8f, 0xce, 0x00, 0x05,  // V=2 FMT=15 PSFB, 6 words
    0x00, 0x00, 0x00, 0x01,  // sender SSRC
    0x00, 0x00, 0x00, 0x00,  // media SSRC: unused
    'R',  'E',  'M',  'B',
    0x01, 0x0b, 0xd0, 0x90,  // 1 SSRC, exponent 2, mantissa 0x3D090
    0x12, 0x34, 0x56, 0x78,
};

// RFC 4585 6.2.1: PID 100 and BLP 0b101: 100, 101 and 103 lost.
const RtcpBytes kNack{0x81, 0xcd, 0x00, 0x03, 0, 0, 0, 1, 0x12, 0x34, 0x56, 0x78, 0x00, 0x64, 0x00, 0x05};

template <typename T>
const T& itemAs(const RtcpCompound& c, std::size_t i) {
    return std::get<T>(c.items.at(i));
}

RtcpBytes joinRtcp(std::initializer_list<RtcpBytes> parts) {
    RtcpBytes out;
    for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
}

}  // namespace

TEST(RtcpPacket, ReadsChromiumsReceiverReportAndRemb) {
    const auto c = parseRtcpCompound(kChromiumRrRemb);
    ASSERT_TRUE(c);
    ASSERT_EQ(c->items.size(), 2u);
    const auto& rr = itemAs<RtcpReceiverReport>(*c, 0);
    EXPECT_EQ(rr.senderSsrc, 1u);
    ASSERT_EQ(rr.reports.size(), 1u);
    const RtcpReportBlock expected{0x12345678, 0x10, 2, 0x00010203, 0x40, 0x11223344, 0x10000};
    EXPECT_EQ(rr.reports[0], expected);
    const auto& remb = itemAs<RtcpRemb>(*c, 1);
    EXPECT_EQ(remb.senderSsrc, 1u);
    EXPECT_EQ(remb.bitrateBps, 1'000'000u);
    EXPECT_EQ(remb.ssrcs, std::vector<std::uint32_t>{0x12345678});
}

TEST(RtcpPacket, ExpandsAGenericNack) {
    const auto c = parseRtcpCompound(kNack);
    ASSERT_TRUE(c);
    const auto& nack = itemAs<RtcpNack>(*c, 0);
    EXPECT_EQ(nack.senderSsrc, 1u);
    EXPECT_EQ(nack.mediaSsrc, 0x12345678u);
    EXPECT_EQ(nack.lostSequenceNumbers, (std::vector<std::uint16_t>{100, 101, 103}));
}

TEST(RtcpPacket, NackBitmaskWrapsAroundTheSequenceSpace) {
    const RtcpBytes nack{0x81, 0xcd, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xfe, 0x80, 0x03};
    const auto c = parseRtcpCompound(nack);
    ASSERT_TRUE(c);
    EXPECT_EQ(itemAs<RtcpNack>(*c, 0).lostSequenceNumbers, (std::vector<std::uint16_t>{65534, 65535, 0, 14}));
}

TEST(RtcpPacket, ReadsSenderReportSdesByePliFir) {
    const RtcpBytes sr{0x80, 0xc8, 0x00, 0x06, 0, 0, 0, 9, 0xe0, 0, 0, 0, 0x80, 0, 0, 0,
                       0,    0,    0x03, 0xe8, 0, 0, 0, 5, 0, 0, 0x10, 0};
    const RtcpBytes sdes{0x81, 0xca, 0x00, 0x03, 0, 0, 0, 9, 0x01, 0x03, 'a', 'b', 'c', 0, 0, 0};
    const RtcpBytes bye{0x81, 0xcb, 0x00, 0x01, 0, 0, 0, 9};
    const RtcpBytes pli{0x81, 0xce, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 9};
    const RtcpBytes fir{0x84, 0xce, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 0x05, 0, 0, 0};
    const auto c = parseRtcpCompound(joinRtcp({sr, sdes, bye, pli, fir}));
    ASSERT_TRUE(c);
    ASSERT_EQ(c->items.size(), 5u);
    const auto& s = itemAs<RtcpSenderReport>(*c, 0);
    EXPECT_EQ(s.senderSsrc, 9u);
    EXPECT_EQ(s.ntpTimestamp, 0xe000000080000000u);
    EXPECT_EQ(s.rtpTimestamp, 1000u);
    EXPECT_EQ(s.packetCount, 5u);
    EXPECT_EQ(s.octetCount, 0x1000u);
    EXPECT_TRUE(s.reports.empty());
    const auto& d = itemAs<RtcpSdes>(*c, 1);
    ASSERT_EQ(d.chunks.size(), 1u);
    EXPECT_EQ(d.chunks[0], (RtcpSdesChunk{9, "abc"}));
    EXPECT_EQ(itemAs<RtcpBye>(*c, 2).ssrcs, std::vector<std::uint32_t>{9});
    EXPECT_EQ(itemAs<RtcpPli>(*c, 3).mediaSsrc, 9u);
    EXPECT_EQ(itemAs<RtcpFir>(*c, 4).entries, (std::vector<RtcpFirEntry>{{9, 5}}));
    EXPECT_EQ(c->unknown, 0u);
    EXPECT_EQ(c->malformed, 0u);
}

TEST(RtcpPacket, SdesKeepsOnlyTheCnameAndReadsSeveralChunks) {
    // Chunk 1: NAME "x" then CNAME "ab", end, pad. Chunk 2: no items, just the end and padding.
    const RtcpBytes sdes{0x82, 0xca, 0x00, 0x05,                     // SC=2, 6 words
                         0,    0,    0,    1,    0x02, 0x01, 'x',       // SSRC 1, NAME "x"
                         0x01, 0x02, 'a',  'b',  0,                     // CNAME "ab", end (aligned)
                         0,    0,    0,    2,    0,    0,    0,    0};  // SSRC 2, end, padding
    const auto c = parseRtcpCompound(sdes);
    ASSERT_TRUE(c);
    const auto& d = itemAs<RtcpSdes>(*c, 0);
    ASSERT_EQ(d.chunks.size(), 2u);
    EXPECT_EQ(d.chunks[0], (RtcpSdesChunk{1, "ab"}));
    EXPECT_EQ(d.chunks[1], (RtcpSdesChunk{2, ""}));
}

TEST(RtcpPacket, ByeWithAReason) {
    const RtcpBytes bye{0x81, 0xcb, 0x00, 0x02, 0, 0, 0, 9, 3, 'b', 'y', 'e'};
    const auto c = parseRtcpCompound(bye);
    ASSERT_TRUE(c);
    EXPECT_EQ(itemAs<RtcpBye>(*c, 0).reason, "bye");
}

TEST(RtcpPacket, CumulativeLostIsSigned) {
    RtcpBytes rr(kChromiumRrRemb.begin(), kChromiumRrRemb.begin() + 32);
    rr[13] = rr[14] = rr[15] = 0xff;
    EXPECT_EQ(itemAs<RtcpReceiverReport>(*parseRtcpCompound(rr), 0).reports[0].cumulativeLost, -1);
    rr[13] = 0x80;
    rr[14] = rr[15] = 0;
    EXPECT_EQ(itemAs<RtcpReceiverReport>(*parseRtcpCompound(rr), 0).reports[0].cumulativeLost, -(1 << 23));
}

TEST(RtcpPacket, RembExponentsThatOverflowSaturate) {
    RtcpBytes remb(kChromiumRrRemb.begin() + 32, kChromiumRrRemb.end());
    remb[17] = 0xff;  // exponent 63, mantissa 0x3ffff
    remb[18] = remb[19] = 0xff;
    EXPECT_EQ(itemAs<RtcpRemb>(*parseRtcpCompound(remb), 0).bitrateBps, UINT64_MAX);
    remb[17] = 0xbb;  // exponent 46, mantissa 0x3ffff: the largest that fits
    EXPECT_EQ(itemAs<RtcpRemb>(*parseRtcpCompound(remb), 0).bitrateBps, std::uint64_t{0x3ffff} << 46);
}

TEST(RtcpPacket, TransportCcIsKeptWhole) {
    const RtcpBytes twcc{0x8f, 0xcd, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0, 5, 0, 1, 0, 0, 1, 0, 0x20, 0x01, 0x04, 0x01};
    const auto c = parseRtcpCompound(twcc);
    ASSERT_TRUE(c);
    const auto& t = itemAs<RtcpTransportCc>(*c, 0);
    EXPECT_EQ(t.senderSsrc, 1u);
    EXPECT_EQ(t.mediaSsrc, 2u);
    EXPECT_EQ(t.packet, twcc);
}

TEST(RtcpPacket, UnknownTypesAreSkippedAndCounted) {
    const RtcpBytes app{0x80, 0xcc, 0x00, 0x02, 0, 0, 0, 1, 'n', 'a', 'm', 'e'};
    const RtcpBytes xr{0x80, 0xcf, 0x00, 0x01, 0, 0, 0, 1};
    RtcpBytes otherAfb(kChromiumRrRemb.begin() + 32, kChromiumRrRemb.end());
    otherAfb[12] = 'X';
    const RtcpBytes tmmbr{0x83, 0xcd, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
    const auto c = parseRtcpCompound(joinRtcp({app, xr, otherAfb, tmmbr, kNack}));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->unknown, 4u);
    EXPECT_EQ(c->malformed, 0u);
    ASSERT_EQ(c->items.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<RtcpNack>(c->items[0]));
}

TEST(RtcpPacket, PaddingInTheLastPacketIsHonoured) {
    // A BYE with 4 bytes of padding: without honouring it the padding would read as a reason.
    const RtcpBytes bye{0xa1, 0xcb, 0x00, 0x02, 0, 0, 0, 9, 0, 0, 0, 4};
    const auto c = parseRtcpCompound(bye);
    ASSERT_TRUE(c);
    EXPECT_TRUE(itemAs<RtcpBye>(*c, 0).reason.empty());
}

TEST(RtcpPacket, RefusesDatagramsThatDoNotFrame) {
    EXPECT_FALSE(parseRtcpCompound(RtcpBytes{}));
    // Every cut that is not a packet boundary.
    for (std::size_t n = 1; n < kChromiumRrRemb.size(); ++n) {
        const RtcpBytes cut(kChromiumRrRemb.begin(), kChromiumRrRemb.begin() + n);
        const auto c = parseRtcpCompound(cut);
        EXPECT_EQ(c.has_value(), n == 32) << n;
    }
    RtcpBytes version = kNack;
    version[0] = 0x41;
    EXPECT_FALSE(parseRtcpCompound(version));
    RtcpBytes longer = kNack;
    longer[3] = 0x04;
    EXPECT_FALSE(parseRtcpCompound(longer));
    // Padding of 0, or more than the body.
    EXPECT_FALSE(parseRtcpCompound(RtcpBytes{0xa1, 0xcb, 0x00, 0x01, 0, 0, 0, 0}));
    EXPECT_FALSE(parseRtcpCompound(RtcpBytes{0xa1, 0xcb, 0x00, 0x01, 0, 0, 0, 5}));
    EXPECT_TRUE(parseRtcpCompound(RtcpBytes{0xa1, 0xcb, 0x00, 0x01, 0, 0, 0, 4}));
}

TEST(RtcpPacket, MalformedBodiesAreSkippedAndCounted) {
    RtcpBytes rr(kChromiumRrRemb.begin(), kChromiumRrRemb.begin() + 32);
    rr[0] = 0x82;  // two report blocks claimed, one present
    const RtcpBytes emptyNack{0x81, 0xcd, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2};
    const RtcpBytes shortFir{0x84, 0xce, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9};
    RtcpBytes remb(kChromiumRrRemb.begin() + 32, kChromiumRrRemb.end());
    remb[16] = 2;  // two SSRCs claimed, one present
    const RtcpBytes sdesOverrun{0x81, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0x01, 0x09, 'a', 'b'};
    const RtcpBytes sdesNoEnd{0x81, 0xca, 0x00, 0x02, 0, 0, 0, 1, 0x01, 0x02, 'a', 'b'};
    const RtcpBytes byeShort{0x82, 0xcb, 0x00, 0x01, 0, 0, 0, 1};
    const RtcpBytes byeReasonOverrun{0x81, 0xcb, 0x00, 0x02, 0, 0, 0, 1, 9, 'a', 'b', 'c'};
    const RtcpBytes pliShort{0x81, 0xce, 0x00, 0x01, 0, 0, 0, 1};
    const RtcpBytes srShort{0x80, 0xc8, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0};
    const auto c = parseRtcpCompound(joinRtcp({rr, emptyNack, shortFir, remb, sdesOverrun, sdesNoEnd, byeShort,
                                               byeReasonOverrun, pliShort, srShort, kNack}));
    ASSERT_TRUE(c);
    EXPECT_EQ(c->malformed, 10u);
    ASSERT_EQ(c->items.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<RtcpNack>(c->items[0]));
}

TEST(RtcpPacket, TellsRtcpFromRtpOnAMuxedPort) {
    EXPECT_TRUE(looksLikeRtcp(kNack));
    EXPECT_TRUE(looksLikeRtcp(kChromiumRrRemb));
    EXPECT_FALSE(looksLikeRtcp(RtcpBytes{0x80, 0x6f}));       // RTP, PT 111
    EXPECT_FALSE(looksLikeRtcp(RtcpBytes{0x80, 0x80 | 96}));  // RTP, PT 96 with the marker
    EXPECT_FALSE(looksLikeRtcp(RtcpBytes{0x80}));
}

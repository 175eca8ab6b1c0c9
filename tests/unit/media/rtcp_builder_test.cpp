#include "media/rtcp_builder.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

using namespace parley::media;

namespace {

using BuiltBytes = std::vector<std::uint8_t>;

RtcpCompound parsedBuilt(const BuiltBytes& bytes) {
    auto c = parseRtcpCompound(bytes);
    EXPECT_TRUE(c);
    if (!c) return {};
    EXPECT_EQ(c->malformed, 0u);
    EXPECT_EQ(c->unknown, 0u);
    return *c;
}

std::vector<std::uint16_t> nackRoundtrip(const std::vector<std::uint16_t>& lost) {
    const auto c = parsedBuilt(buildNack(1, 2, lost));
    if (c.items.size() != 1) return {};
    return std::get<RtcpNack>(c.items[0]).lostSequenceNumbers;
}

RtcpReportBlock builtBlock(std::uint32_t i) {
    return {i, static_cast<std::uint8_t>(i), -static_cast<std::int32_t>(i), 0x10000 + i, i * 3, i * 5, i * 7};
}

}  // namespace

TEST(RtcpBuilder, NackPacksNeighboursAcrossTheWrap) {
    const std::vector<std::uint16_t> lost{65535, 0, 1, 15};
    // One pair: PID 65535, BLP bits 0 (0), 1 (1) and 15 (15).
    const BuiltBytes expected{0x81, 0xcd, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0xff, 0xff, 0x80, 0x03};
    EXPECT_EQ(buildNack(1, 2, lost), expected);
    EXPECT_EQ(nackRoundtrip(lost), lost);
}

TEST(RtcpBuilder, NackStartsANewPairSeventeenAfterThePid) {
    const BuiltBytes expected{0x81, 0xcd, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 2, 0x00, 100, 0x80, 0x00, 0x00, 117, 0, 0};
    EXPECT_EQ(buildNack(1, 2, std::vector<std::uint16_t>{100, 116, 117}), expected);
}

TEST(RtcpBuilder, NackDropsDuplicatesAndTakesAnyOrder) {
    EXPECT_EQ(nackRoundtrip({5, 5, 6}), (std::vector<std::uint16_t>{5, 6}));
    const auto out = nackRoundtrip({9, 3, 5, 3, 20});
    EXPECT_EQ(std::multiset<std::uint16_t>(out.begin(), out.end()), (std::multiset<std::uint16_t>{3, 5, 9, 20}));
    EXPECT_TRUE(buildNack(1, 2, {}).empty());
}

TEST(RtcpBuilder, NackRoundtripsRandomLossPatterns) {
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        const auto start = static_cast<std::uint16_t>(rng());
        std::vector<std::uint16_t> lost;
        for (std::uint16_t i = 0; i < 200; ++i) {
            if (rng() % 3 == 0) lost.push_back(static_cast<std::uint16_t>(start + i));
        }
        if (lost.empty()) continue;
        EXPECT_EQ(nackRoundtrip(lost), lost);
        auto shuffled = lost;
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        auto out = nackRoundtrip(shuffled);
        std::sort(out.begin(), out.end());
        std::sort(shuffled.begin(), shuffled.end());
        EXPECT_EQ(out, shuffled);
    }
}

TEST(RtcpBuilder, SenderReportRoundtripsAndOverflowsIntoReceiverReports) {
    RtcpSenderReport sr;
    sr.senderSsrc = 42;
    sr.ntpTimestamp = 0x0102030405060708;
    sr.rtpTimestamp = 0xa0b0c0d0;
    sr.packetCount = 77;
    sr.octetCount = 7700;
    sr.reports = {builtBlock(1)};
    auto c = parsedBuilt(buildSenderReport(sr));
    ASSERT_EQ(c.items.size(), 1u);
    EXPECT_EQ(std::get<RtcpSenderReport>(c.items[0]), sr);

    for (std::uint32_t i = 2; i <= 40; ++i) sr.reports.push_back(builtBlock(i));
    c = parsedBuilt(buildSenderReport(sr));
    ASSERT_EQ(c.items.size(), 2u);
    const auto& first = std::get<RtcpSenderReport>(c.items[0]);
    const auto& rest = std::get<RtcpReceiverReport>(c.items[1]);
    ASSERT_EQ(first.reports.size(), 31u);
    ASSERT_EQ(rest.reports.size(), 9u);
    EXPECT_EQ(rest.senderSsrc, 42u);
    EXPECT_EQ(rest.reports.back(), builtBlock(40));
}

TEST(RtcpBuilder, ReceiverReportWithNoBlocksAndClampedLoss) {
    const BuiltBytes empty{0x80, 0xc9, 0x00, 0x01, 0, 0, 0, 1};
    EXPECT_EQ(buildReceiverReport({1, {}}), empty);
    RtcpReceiverReport rr{1, {builtBlock(3)}};
    rr.reports[0].cumulativeLost = 1 << 24;
    auto c = parsedBuilt(buildReceiverReport(rr));
    EXPECT_EQ(std::get<RtcpReceiverReport>(c.items[0]).reports[0].cumulativeLost, (1 << 23) - 1);
    rr.reports[0].cumulativeLost = -(1 << 24);
    c = parsedBuilt(buildReceiverReport(rr));
    EXPECT_EQ(std::get<RtcpReceiverReport>(c.items[0]).reports[0].cumulativeLost, -(1 << 23));
}

TEST(RtcpBuilder, SdesCnameIsAlignedForEveryLength) {
    for (std::size_t n = 0; n < 12; ++n) {
        const std::string cname(n, 'c');
        const auto bytes = buildSdesCname(9, cname);
        EXPECT_EQ(bytes.size() % 4, 0u);
        const auto c = parsedBuilt(bytes);
        ASSERT_EQ(c.items.size(), 1u);
        EXPECT_EQ(std::get<RtcpSdes>(c.items[0]).chunks, (std::vector<RtcpSdesChunk>{{9, cname}}));
    }
}

TEST(RtcpBuilder, PliFirByeLayouts) {
    EXPECT_EQ(buildPli(1, 2), (BuiltBytes{0x81, 0xce, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2}));
    const std::vector<RtcpFirEntry> entries{{9, 5}, {10, 255}};
    const BuiltBytes fir{0x84, 0xce, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9, 5, 0, 0, 0, 0, 0, 0, 10, 255, 0, 0, 0};
    EXPECT_EQ(buildFir(1, entries), fir);
    EXPECT_EQ(std::get<RtcpFir>(parsedBuilt(fir).items[0]).entries, entries);
    const std::vector<std::uint32_t> ssrcs{7, 8};
    EXPECT_EQ(std::get<RtcpBye>(parsedBuilt(buildBye(ssrcs)).items[0]).ssrcs, ssrcs);
}

TEST(RtcpBuilder, RembMatchesTheHandWrittenLayoutAndRoundsDown) {
    const std::vector<std::uint32_t> ssrcs{0x12345678};
    const BuiltBytes expected{0x8f, 0xce, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 0, 'R', 'E', 'M', 'B',
                              0x01, 0x0b, 0xd0, 0x90, 0x12, 0x34, 0x56, 0x78};
    EXPECT_EQ(buildRemb(1, 1'000'000, ssrcs), expected);
    for (std::uint64_t bps : {std::uint64_t{0}, std::uint64_t{1}, std::uint64_t{0x3ffff}, std::uint64_t{0x40000},
                              std::uint64_t{1'000'001}, std::uint64_t{2'500'000'000}, UINT64_MAX}) {
        const auto c = parsedBuilt(buildRemb(1, bps, ssrcs));
        const auto& remb = std::get<RtcpRemb>(c.items[0]);
        EXPECT_LE(remb.bitrateBps, bps);
        // Rounded down by less than one unit of the exponent: under 1 part in 2^17.
        EXPECT_GE(remb.bitrateBps, bps - bps / (1 << 17)) << bps;
        EXPECT_EQ(remb.ssrcs, ssrcs);
    }
}

TEST(RtcpBuilder, CompoundIsConcatenation) {
    auto bytes = buildReceiverReport({1, {builtBlock(1)}});
    const auto remb = buildRemb(1, 300'000, std::vector<std::uint32_t>{5});
    const auto nack = buildNack(1, 5, std::vector<std::uint16_t>{1, 2});
    const auto pli = buildPli(1, 5);
    for (const auto* part : {&remb, &nack, &pli}) bytes.insert(bytes.end(), part->begin(), part->end());
    const auto c = parsedBuilt(bytes);
    ASSERT_EQ(c.items.size(), 4u);
    EXPECT_TRUE(std::holds_alternative<RtcpReceiverReport>(c.items[0]));
    EXPECT_TRUE(std::holds_alternative<RtcpRemb>(c.items[1]));
    EXPECT_TRUE(std::holds_alternative<RtcpNack>(c.items[2]));
    EXPECT_TRUE(std::holds_alternative<RtcpPli>(c.items[3]));
}

TEST(RtcpBuilder, NtpTime) {
    EXPECT_EQ(ntpFromUnixMicros(0), std::uint64_t{2'208'988'800} << 32);
    EXPECT_EQ(ntpFromUnixMicros(1'500'000), ((std::uint64_t{2'208'988'801}) << 32) | 0x80000000u);
    EXPECT_EQ(compactNtp(0x1122334455667788), 0x33445566u);
    EXPECT_EQ(ntpFromUnixMicros(-5), ntpFromUnixMicros(0));
}

TEST(RtcpBuilder, NackFromAScrambledListStopsAtWhatTheLengthFieldHolds) {
    // Steps of 17 visit every number and never land in the pair being built: one pair each.
    std::vector<std::uint16_t> scrambled;
    for (std::uint32_t i = 0; i < 65536; ++i) scrambled.push_back(static_cast<std::uint16_t>(i * 17));
    const auto bytes = buildNack(1, 2, scrambled);
    EXPECT_EQ(bytes.size(), 12u + 4 * 65533);
    const auto c = parsedBuilt(bytes);
    ASSERT_EQ(c.items.size(), 1u);
    EXPECT_EQ(std::get<RtcpNack>(c.items[0]).lostSequenceNumbers.size(), 65533u);
}

// RFC 3550 receive statistics: what the server tells a publisher about its stream.
#include "media/receive_statistics.hpp"

#include <gtest/gtest.h>

#include "media/rtcp_builder.hpp"

using namespace parley::media;

namespace {
// 20 ms of Opus at 48 kHz, arriving exactly on time.
constexpr std::uint32_t kStep = 960;
constexpr std::int64_t kStepUs = 20'000;
}  // namespace

TEST(ReceiveStatistics, NothingReceivedReportsNothing) {
    ReceiveStatistics stats(48000);
    EXPECT_FALSE(stats.started());
    const auto block = stats.report(7, 0);
    EXPECT_EQ(block.ssrc, 7u);
    EXPECT_EQ(block.extendedHighestSeq, 0u);
    EXPECT_EQ(block.cumulativeLost, 0);
    EXPECT_EQ(stats.stats().packets, 0u);
}

TEST(ReceiveStatistics, CountsLossAcrossTheWrapAndTheFractionPerInterval) {
    ReceiveStatistics stats(48000);
    // 65530..65535, 0..13 except 2 and 3: 20 expected, 18 received.
    for (int i = 0; i < 20; ++i) {
        const auto seq = static_cast<std::uint16_t>(65530 + i);
        if (seq == 2 || seq == 3) continue;
        stats.onPacket(seq, kStep * i, kStepUs * i, 100);
    }
    auto block = stats.report(42, 0);
    EXPECT_EQ(block.extendedHighestSeq, (1u << 16) + 13u);  // one cycle, highest 13
    EXPECT_EQ(block.cumulativeLost, 2);
    EXPECT_EQ(block.fractionLost, 2 * 256 / 20);
    EXPECT_EQ(stats.stats().packets, 18u);
    EXPECT_EQ(stats.stats().bytes, 1800u);
    EXPECT_EQ(stats.stats().lost, 2);

    // The next interval loses nothing: the fraction is of that interval only.
    for (int i = 20; i < 30; ++i) stats.onPacket(static_cast<std::uint16_t>(65530 + i), kStep * i, kStepUs * i, 100);
    block = stats.report(42, 1000);
    EXPECT_EQ(block.fractionLost, 0);
    EXPECT_EQ(block.cumulativeLost, 2);
}

TEST(ReceiveStatistics, ReorderingIsNotLossAndARetransmissionRecoversIt) {
    ReceiveStatistics stats(90000);
    stats.onPacket(10, 0, 0, 50);
    stats.onPacket(12, 0, 0, 50);
    stats.onPacket(11, 0, 0, 50);  // late, not lost
    EXPECT_EQ(stats.stats().lost, 0);
    stats.onPacket(14, 0, 0, 50);
    EXPECT_EQ(stats.stats().lost, 1);
    stats.onPacket(13, 0, 0, 50, true);  // recovered by a retransmission
    EXPECT_EQ(stats.stats().lost, 0);
    EXPECT_EQ(stats.stats().retransmissions, 1u);
    EXPECT_EQ(stats.report(1, 0).extendedHighestSeq, 14u);
}

TEST(ReceiveStatistics, ARestartedSenderIsNotThousandsOfLosses) {
    ReceiveStatistics stats(90000);
    for (std::uint16_t s = 100; s < 110; ++s) stats.onPacket(s, 0, 0, 10);
    stats.onPacket(30000, 0, 0, 10);
    stats.onPacket(30001, 0, 0, 10);
    EXPECT_EQ(stats.stats().lost, 0);
    EXPECT_EQ(stats.report(1, 0).cumulativeLost, 0);
}

TEST(ReceiveStatistics, JitterIsZeroOnTimeAndFollowsTheRfcEstimate) {
    ReceiveStatistics steady(48000);
    for (int i = 0; i < 50; ++i) steady.onPacket(static_cast<std::uint16_t>(i), kStep * i, kStepUs * i, 10);
    EXPECT_EQ(steady.stats().jitter, 0u);

    // Every other packet 10 ms late (480 units): |D| = 480 each time after the first, so J
    // climbs towards 480 as J += (480 - J) / 16.
    ReceiveStatistics bumpy(48000);
    double expected = 0;
    for (int i = 0; i < 200; ++i) {
        const std::int64_t late = (i % 2) ? 10'000 : 0;
        bumpy.onPacket(static_cast<std::uint16_t>(i), kStep * i, kStepUs * i + late, 10);
        if (i > 0) expected += (480 - expected) / 16;
    }
    EXPECT_NEAR(bumpy.stats().jitter, expected, 2);
    EXPECT_NEAR(bumpy.stats().jitterMs, 10.0, 0.2);

    // A retransmission arrives a round trip late but says nothing about jitter.
    const auto before = bumpy.stats().jitter;
    bumpy.onPacket(150, kStep * 150, kStepUs * 300, 10, true);
    EXPECT_EQ(bumpy.stats().jitter, before);
}

TEST(ReceiveStatistics, QuotesTheLastSenderReportWithTheDelaySinceIt) {
    ReceiveStatistics stats(90000);
    stats.onPacket(1, 0, 0, 10);
    EXPECT_EQ(stats.report(1, 0).lastSr, 0u);  // no SR yet: LSR and DLSR zero
    const std::uint64_t ntp = ntpFromUnixMicros(1'700'000'000'250'000);
    stats.onSenderReport(ntp, 10'000);
    const auto block = stats.report(1, 10'500);
    EXPECT_EQ(block.lastSr, compactNtp(ntp));
    EXPECT_EQ(block.delaySinceLastSr, 65536u / 2);  // half a second
}

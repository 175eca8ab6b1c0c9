#include "media/sequence_rewriter.hpp"

#include <gtest/gtest.h>

#include <map>
#include <vector>

using parley::media::SequenceRewriter;
using parley::media::SequenceRewriterConfig;

namespace {

constexpr std::uint32_t kA = 0xAAAA0001;
constexpr std::uint32_t kB = 0xBBBB0002;

SequenceRewriterConfig videoStartingAt(std::uint16_t seq, std::uint32_t timestamp) {
    SequenceRewriterConfig c;
    c.clockRateHz = 90000;
    c.firstSeq = seq;
    c.firstTimestamp = timestamp;
    return c;
}

}  // namespace

TEST(SequenceRewriter, FirstPacketTakesTheConfiguredStartThenFollowsTheSource) {
    SequenceRewriter r(videoStartingAt(1000, 50000));
    auto first = r.rewrite(kA, 7, 900, 0);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->seq, 1000);
    EXPECT_EQ(first->timestamp, 50000u);
    EXPECT_TRUE(first->resynced);
    auto next = r.rewrite(kA, 8, 3900, 33);
    ASSERT_TRUE(next);
    EXPECT_EQ(next->seq, 1001);
    EXPECT_EQ(next->timestamp, 53000u);
    EXPECT_FALSE(next->resynced);
    // Real upstream loss stays a gap, so the subscriber can NACK it.
    EXPECT_EQ(r.rewrite(kA, 11, 6900, 66)->seq, 1004);
}

TEST(SequenceRewriter, WithoutAConfiguredStartTheSourceValuesPassThrough) {
    SequenceRewriter r;
    auto first = r.rewrite(kA, 4242, 123456, 0);
    EXPECT_EQ(first->seq, 4242);
    EXPECT_EQ(first->timestamp, 123456u);
}

TEST(SequenceRewriter, IncomingSeqWrapsIntoContinuousOutgoingSeqs) {
    SequenceRewriter r(videoStartingAt(100, 0));
    const std::uint16_t incoming[] = {65533, 65534, 65535, 0, 1, 2};
    std::uint16_t expected = 100;
    for (std::uint16_t seq : incoming) EXPECT_EQ(r.rewrite(kA, seq, 0, 0)->seq, expected++);
    // A packet reordered across the wrap still lands in its place.
    EXPECT_EQ(r.rewrite(kA, 65535, 0, 0)->seq, 102);
}

TEST(SequenceRewriter, OutgoingSeqWraps) {
    SequenceRewriter r(videoStartingAt(65534, 0));
    EXPECT_EQ(r.rewrite(kA, 10, 0, 0)->seq, 65534);
    EXPECT_EQ(r.rewrite(kA, 11, 0, 0)->seq, 65535);
    EXPECT_EQ(r.rewrite(kA, 12, 0, 0)->seq, 0);
    EXPECT_EQ(r.rewrite(kA, 13, 0, 0)->seq, 1);
    // The reverse map sees through the wrap.
    EXPECT_EQ(r.incomingFor(65535)->sourceSeq, 11);
    EXPECT_EQ(r.incomingFor(1)->sourceSeq, 13);
}

TEST(SequenceRewriter, TimestampsWrapOnBothSides) {
    SequenceRewriter r(videoStartingAt(0, 0xFFFFF000u));
    EXPECT_EQ(r.rewrite(kA, 1, 0xFFFFFF00u, 0)->timestamp, 0xFFFFF000u);
    // Incoming wraps (0xFFFFFF00 + 0x1000): outgoing advances by the same 0x1000 and wraps too.
    EXPECT_EQ(r.rewrite(kA, 2, 0x00000F00u, 40)->timestamp, 0x00000000u);
    EXPECT_EQ(r.rewrite(kA, 3, 0x00001F00u, 80)->timestamp, 0x00001000u);
}

TEST(SequenceRewriter, SwitchContinuesSeqAndAdvancesTimestampByWallTime) {
    SequenceRewriter r(videoStartingAt(500, 10000));
    r.rewrite(kA, 100, 1000, 0);
    r.rewrite(kA, 101, 4000, 33);
    // B's own numbers are unrelated; 200 ms later it is forwarded instead of A.
    auto first = r.rewrite(kB, 40000, 777777, 233);
    ASSERT_TRUE(first);
    EXPECT_TRUE(first->resynced);
    EXPECT_EQ(first->seq, 502);
    EXPECT_EQ(first->timestamp, 13000u + 200u * 90u);
    // B's packets then follow B's own spacing.
    auto second = r.rewrite(kB, 40001, 777777 + 3000, 266);
    EXPECT_EQ(second->seq, 503);
    EXPECT_EQ(second->timestamp, 13000u + 18000u + 3000u);
    EXPECT_FALSE(second->resynced);
}

TEST(SequenceRewriter, AudioSwitchUsesItsOwnClockRate) {
    SequenceRewriterConfig c;
    c.clockRateHz = 48000;
    c.firstSeq = 0;
    c.firstTimestamp = 0;
    SequenceRewriter r(c);
    r.rewrite(kA, 9, 960, 0);
    EXPECT_EQ(r.rewrite(kB, 3, 5, 1000)->timestamp, 48000u);
}

TEST(SequenceRewriter, SwitchInTheSameMillisecondStillAdvancesTheTimestamp) {
    SequenceRewriter r(videoStartingAt(0, 100));
    r.rewrite(kA, 1, 0, 50);
    EXPECT_EQ(r.rewrite(kB, 1, 0, 50)->timestamp, 101u);
}

TEST(SequenceRewriter, SwitchAcrossTheOutgoingWrap) {
    SequenceRewriter r(videoStartingAt(65535, 0xFFFFFFF0u));
    r.rewrite(kA, 1, 0, 0);
    auto b = r.rewrite(kB, 9, 0, 1);
    EXPECT_EQ(b->seq, 0);
    EXPECT_EQ(b->timestamp, 74u);  // 0xFFFFFFF0 + 90, wrapped
}

TEST(SequenceRewriter, LatePacketFromBeforeTheSwitchIsDropped) {
    SequenceRewriter r(videoStartingAt(0, 0));
    r.rewrite(kA, 10, 0, 0);
    r.rewrite(kA, 12, 0, 0);
    r.rewrite(kB, 500, 0, 10);
    EXPECT_FALSE(r.rewrite(kA, 11, 0, 12));  // was missing, arrives after the switch
    EXPECT_FALSE(r.rewrite(kA, 12, 0, 12));  // duplicate of one already sent
    EXPECT_EQ(r.rewrite(kB, 501, 0, 13)->seq, 4);  // B unaffected
}

TEST(SequenceRewriter, NewerPacketFromThePreviousSourceSwitchesBack) {
    SequenceRewriter r(videoStartingAt(0, 0));
    r.rewrite(kA, 10, 0, 0);
    r.rewrite(kB, 500, 0, 10);
    auto back = r.rewrite(kA, 20, 0, 20);
    ASSERT_TRUE(back);
    EXPECT_TRUE(back->resynced);
    EXPECT_EQ(back->seq, 2);
    // Now B is the previous source, and its old packets are late.
    EXPECT_FALSE(r.rewrite(kB, 500, 0, 21));
}

TEST(SequenceRewriter, ReorderingAfterTheSwitchMapsConsistently) {
    SequenceRewriter r(videoStartingAt(0, 0));
    r.rewrite(kA, 10, 0, 0);                     // out 0
    EXPECT_EQ(r.rewrite(kB, 100, 0, 5)->seq, 1);
    EXPECT_EQ(r.rewrite(kB, 103, 0, 6)->seq, 4);
    EXPECT_EQ(r.rewrite(kB, 102, 0, 7)->seq, 3);  // reordered
    EXPECT_EQ(r.rewrite(kB, 101, 0, 8)->seq, 2);
    EXPECT_EQ(r.rewrite(kB, 104, 0, 9)->seq, 5);
    // Older than the packet the switch started with: no outgoing seq is left for it.
    EXPECT_FALSE(r.rewrite(kB, 99, 0, 10));
}

TEST(SequenceRewriter, RetransmissionMapsToTheSameOutgoingSeqAndTimestamp) {
    SequenceRewriter r(videoStartingAt(3000, 0));
    r.rewrite(kA, 1, 90, 0);
    r.rewrite(kA, 3, 180, 0);
    auto again = r.rewrite(kA, 3, 180, 150);
    EXPECT_EQ(again->seq, 3002);
    EXPECT_EQ(again->timestamp, 180u - 90u);
    auto filled = r.rewrite(kA, 2, 180, 160);  // the gap filled by a retransmission
    EXPECT_EQ(filled->seq, 3001);
    EXPECT_EQ(r.rewrite(kA, 4, 270, 170)->seq, 3003);
}

TEST(SequenceRewriter, PauseResumesWithoutASeqJump) {
    SequenceRewriter r(videoStartingAt(0, 0));
    for (std::uint16_t s = 100; s <= 105; ++s) r.rewrite(kA, s, s * 3000u, (s - 100) * 33);
    r.pause();
    // 400 packets (and 5 s) later the subscriber resumes the same source.
    auto resumed = r.rewrite(kA, 505, 505 * 3000u, 165 + 5000);
    ASSERT_TRUE(resumed);
    EXPECT_TRUE(resumed->resynced);
    EXPECT_EQ(resumed->seq, 6);
    EXPECT_EQ(resumed->timestamp, 5 * 3000u + 5000u * 90u);
    EXPECT_EQ(r.rewrite(kA, 506, 506 * 3000u, 5200)->seq, 7);
    // A straggler from before the pause is dropped, not mapped into the resumed range.
    EXPECT_FALSE(r.rewrite(kA, 104, 0, 5201));
}

TEST(SequenceRewriter, AHugeJumpWithinASourceResyncsInsteadOfLeavingAGap) {
    SequenceRewriterConfig c = videoStartingAt(0, 0);
    c.maxJump = 1000;
    SequenceRewriter r(c);
    r.rewrite(kA, 10, 0, 0);
    EXPECT_EQ(r.rewrite(kA, 1010, 0, 1)->seq, 1000);  // at the limit: a gap, left visible
    auto restarted = r.rewrite(kA, 5000, 0, 2);
    EXPECT_TRUE(restarted->resynced);
    EXPECT_EQ(restarted->seq, 1001);
    // A restart backwards too (the publisher started its numbering again).
    auto backwards = r.rewrite(kA, 7, 0, 3);
    ASSERT_TRUE(backwards);
    EXPECT_TRUE(backwards->resynced);
    EXPECT_EQ(backwards->seq, 1002);
}

TEST(SequenceRewriter, ReverseMapNamesTheSourcePacketAcrossSwitches) {
    SequenceRewriter r(videoStartingAt(10, 0));
    r.rewrite(kA, 700, 9000, 0);   // out 10
    r.rewrite(kA, 701, 12000, 0);  // out 11
    r.rewrite(kB, 50, 1, 100);     // out 12
    auto a = r.incomingFor(11);
    ASSERT_TRUE(a);
    EXPECT_EQ(a->sourceSsrc, kA);
    EXPECT_EQ(a->sourceSeq, 701);
    EXPECT_EQ(a->timestamp, 3000u);
    auto b = r.incomingFor(12);
    ASSERT_TRUE(b);
    EXPECT_EQ(b->sourceSsrc, kB);
    EXPECT_EQ(b->sourceSeq, 50);
    EXPECT_FALSE(r.incomingFor(13));  // not sent yet
    EXPECT_FALSE(r.incomingFor(9));   // never sent
}

TEST(SequenceRewriter, ReverseMapForgetsBeyondItsWindowAndGaps) {
    SequenceRewriterConfig c = videoStartingAt(0, 0);
    c.historySize = 64;
    SequenceRewriter r(c);
    for (std::uint16_t s = 0; s < 200; ++s) {
        if (s == 190) continue;  // lost upstream: the gap has no source packet
        r.rewrite(kA, s, 0, 0);
    }
    EXPECT_FALSE(r.incomingFor(190));
    EXPECT_EQ(r.incomingFor(199)->sourceSeq, 199);
    EXPECT_EQ(r.incomingFor(136)->sourceSeq, 136);  // the oldest of the 64 remembered
    EXPECT_FALSE(r.incomingFor(135));
    EXPECT_FALSE(r.incomingFor(5));
}

TEST(SequenceRewriter, ReverseMapAnswersAroundTheIncomingAndOutgoingWrap) {
    SequenceRewriter r(videoStartingAt(65530, 0));
    for (std::uint32_t i = 0; i < 12; ++i) r.rewrite(kA, static_cast<std::uint16_t>(65532 + i), 0, 0);
    for (std::uint32_t i = 0; i < 12; ++i) {
        auto p = r.incomingFor(static_cast<std::uint16_t>(65530 + i));
        ASSERT_TRUE(p) << i;
        EXPECT_EQ(p->sourceSeq, static_cast<std::uint16_t>(65532 + i));
    }
}

TEST(SequenceRewriter, SenderReportTimestampsTranslateForTheCurrentSourceOnly) {
    SequenceRewriter r(videoStartingAt(0, 1000));
    EXPECT_FALSE(r.outgoingTimestamp(kA, 5));
    r.rewrite(kA, 1, 500, 0);
    EXPECT_EQ(r.outgoingTimestamp(kA, 800), 1300u);
    EXPECT_FALSE(r.outgoingTimestamp(kB, 800));
}

TEST(SequenceRewriter, SkippedPacketsLeaveNoGap) {
    SequenceRewriter r(videoStartingAt(0, 0));
    EXPECT_EQ(r.rewrite(kA, 10, 0, 0)->seq, 0);
    EXPECT_TRUE(r.skip(kA, 11));  // e.g. a temporal layer this subscriber does not get
    EXPECT_TRUE(r.skip(kA, 12));
    EXPECT_EQ(r.rewrite(kA, 13, 0, 0)->seq, 1);
    EXPECT_EQ(r.incomingFor(1)->sourceSeq, 13);
    // A loss after the skips still shows as a gap.
    EXPECT_EQ(r.rewrite(kA, 15, 0, 0)->seq, 3);
    // The lost one, retransmitted, fills it; a skipped one arriving again is dropped.
    EXPECT_EQ(r.rewrite(kA, 14, 0, 0)->seq, 2);
    EXPECT_FALSE(r.rewrite(kA, 12, 0, 0));
    // Retransmission of one sent before the skips keeps its seq.
    EXPECT_EQ(r.rewrite(kA, 10, 0, 0)->seq, 0);
}

TEST(SequenceRewriter, SkipAcrossTheWrapAndItsRefusals) {
    SequenceRewriter r(videoStartingAt(100, 0));
    EXPECT_FALSE(r.skip(kA, 1));  // nothing forwarded yet
    r.rewrite(kA, 65534, 0, 0);   // out 100
    EXPECT_TRUE(r.skip(kA, 65535));
    EXPECT_TRUE(r.skip(kA, 0));
    EXPECT_FALSE(r.skip(kA, 0));       // not newer than the newest
    EXPECT_FALSE(r.skip(kA, 65533));   // older: packets may have been sent after it
    EXPECT_FALSE(r.skip(kB, 1));       // not the current source
    EXPECT_EQ(r.rewrite(kA, 1, 0, 0)->seq, 101);
    r.pause();
    EXPECT_FALSE(r.skip(kA, 2));
}

TEST(SequenceRewriter, SkipsAreBoundedAndStayConsistent) {
    SequenceRewriterConfig c = videoStartingAt(0, 0);
    c.historySize = 16;
    SequenceRewriter r(c);
    r.rewrite(kA, 0, 0, 0);  // out 0
    // Every other packet skipped, far more often than the bound.
    std::uint16_t expected = 1;
    for (std::uint16_t s = 1; s < 400; s += 2) {
        ASSERT_TRUE(r.skip(kA, s));
        auto out = r.rewrite(kA, static_cast<std::uint16_t>(s + 1), 0, 0);
        ASSERT_TRUE(out);
        ASSERT_EQ(out->seq, expected++);
    }
    // Recent retransmissions map where they were sent; ones from before the folded skips drop.
    EXPECT_EQ(r.rewrite(kA, 398, 0, 0)->seq, expected - 2);
    EXPECT_FALSE(r.rewrite(kA, 2, 0, 0));
}

// Random forwarding (switches among three sources, pauses, loss, reordering, duplicates,
// skips, wrap on both sides): an outgoing seq never names two different source packets, a
// source packet forwarded twice in one stretch keeps its seq, the reverse map agrees, and each
// new packet's seq is the last one + 1 + the packets lost upstream since (skips and resyncs
// leave no gap).
TEST(SequenceRewriter, RandomTrafficNeverGivesTwoPacketsOneSeq) {
    SequenceRewriter r(videoStartingAt(65000, 0));
    std::uint32_t x = 2463534242u;
    const auto next = [&x](std::uint32_t n) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        return x % n;
    };
    const std::uint32_t sources[] = {kA, kB, 0xCCCC0003};
    std::uint16_t sourceSeq[] = {65400, 100, 30000};
    std::size_t current = 0;
    std::map<std::uint16_t, std::pair<std::uint32_t, std::uint16_t>> byOutgoing;
    std::map<std::pair<std::uint32_t, std::uint16_t>, std::uint16_t> stretch;  // since the last resync
    std::vector<std::uint16_t> recent;  // recent seqs of the current source, for reordering/duplicates
    std::int64_t now = 0;
    std::size_t forwarded = 0;
    std::optional<std::uint16_t> lastOut;
    int lost = 0;
    for (int step = 0; step < 30000; ++step) {
        now += next(20);
        const std::uint32_t dice = next(1000);
        if (dice < 3) {
            current = next(3);
            recent.clear();
            continue;
        }
        if (dice < 5) {
            r.pause();
            recent.clear();
            continue;
        }
        std::uint16_t seq;
        const bool fresh = !(dice < 100 && !recent.empty());
        if (!fresh) {
            seq = recent[next(static_cast<std::uint32_t>(recent.size()))];  // late or duplicate
        } else {
            const std::uint32_t lostHere = next(10) == 0 ? next(5) : 0;
            lost += static_cast<int>(lostHere);
            sourceSeq[current] = static_cast<std::uint16_t>(sourceSeq[current] + 1 + lostHere);
            seq = sourceSeq[current];
            if (next(20) == 0) {
                r.skip(sources[current], seq);
                continue;
            }
            recent.push_back(seq);
            if (recent.size() > 30) recent.erase(recent.begin());
        }
        auto out = r.rewrite(sources[current], seq, 0, now);
        if (!out) continue;
        ++forwarded;
        if (out->resynced) stretch.clear();
        if (fresh) {
            if (lastOut) {
                const int gap = out->resynced ? 0 : lost;
                ASSERT_EQ(out->seq, static_cast<std::uint16_t>(*lastOut + 1 + gap)) << "step " << step;
            }
            lastOut = out->seq;
            lost = 0;
        }
        const auto packet = std::make_pair(sources[current], seq);
        auto [it, added] = byOutgoing.try_emplace(out->seq, packet);
        ASSERT_EQ(it->second, packet) << "step " << step;
        auto [st, first] = stretch.try_emplace(packet, out->seq);
        ASSERT_EQ(st->second, out->seq) << "step " << step;
        auto back = r.incomingFor(out->seq);
        ASSERT_TRUE(back);
        ASSERT_EQ(back->sourceSsrc, packet.first);
        ASSERT_EQ(back->sourceSeq, packet.second);
    }
    EXPECT_GT(forwarded, 20000u);
    EXPECT_LT(byOutgoing.size(), 65536u);  // no wrap of the outgoing space, so the map is exact
}

#include "media/nack_generator.hpp"

#include <gtest/gtest.h>

using parley::media::NackGenerator;
using parley::media::NackGeneratorConfig;
using Seqs = std::vector<std::uint16_t>;

TEST(NackGenerator, InOrderPacketsNeedNothing) {
    NackGenerator n;
    for (std::uint16_t s = 0; s < 100; ++s) EXPECT_FALSE(n.onPacket(s, s));
    auto batch = n.poll(100);
    EXPECT_TRUE(batch.seqs.empty());
    EXPECT_FALSE(batch.requestKeyframe);
    EXPECT_FALSE(n.nextPollMs());
}

TEST(NackGenerator, AGapIsNackedAtOnceThenEveryRtt) {
    NackGenerator n;  // no RTT known: 100 ms
    n.onPacket(10, 0);
    n.onPacket(13, 5);
    EXPECT_EQ(n.missingCount(), 2u);
    EXPECT_EQ(n.nextPollMs(), 5);
    EXPECT_EQ(n.poll(5).seqs, (Seqs{11, 12}));
    EXPECT_TRUE(n.poll(6).seqs.empty());
    EXPECT_EQ(n.nextPollMs(), 105);
    EXPECT_TRUE(n.poll(104).seqs.empty());
    EXPECT_EQ(n.poll(105).seqs, (Seqs{11, 12}));
    n.setRttMs(40);
    EXPECT_TRUE(n.poll(144).seqs.empty());
    EXPECT_EQ(n.poll(145).seqs, (Seqs{11, 12}));
}

TEST(NackGenerator, AVerySmallRttStillSpacesTheRequests) {
    NackGenerator n;
    n.setRttMs(1);
    n.onPacket(1, 0);
    n.onPacket(3, 0);
    EXPECT_EQ(n.poll(0).seqs, (Seqs{2}));
    EXPECT_TRUE(n.poll(19).seqs.empty());
    EXPECT_EQ(n.poll(20).seqs, (Seqs{2}));
}

TEST(NackGenerator, LateOrRetransmittedPacketClearsItsEntry) {
    NackGenerator n;
    n.onPacket(1, 0);
    n.onPacket(5, 0);
    n.poll(0);
    EXPECT_TRUE(n.onPacket(3, 20));   // the retransmission arrived
    EXPECT_FALSE(n.onPacket(3, 21));  // and again: a duplicate, nothing to clear
    EXPECT_FALSE(n.onPacket(5, 22));  // duplicate of the newest
    EXPECT_EQ(n.poll(100).seqs, (Seqs{2, 4}));
}

TEST(NackGenerator, GivesUpAfterMaxRetriesAndAsksForAKeyframe) {
    NackGeneratorConfig c;
    c.maxRetries = 3;
    NackGenerator n(c);
    n.onPacket(1, 0);
    n.onPacket(3, 0);
    EXPECT_EQ(n.poll(0).seqs, (Seqs{2}));
    EXPECT_EQ(n.poll(100).seqs, (Seqs{2}));
    EXPECT_EQ(n.poll(200).seqs, (Seqs{2}));
    auto last = n.poll(300);
    EXPECT_TRUE(last.seqs.empty());
    EXPECT_TRUE(last.requestKeyframe);
    EXPECT_EQ(n.missingCount(), 0u);
    EXPECT_FALSE(n.poll(400).requestKeyframe);  // said once
}

TEST(NackGenerator, GapAcrossTheWrap) {
    NackGenerator n;
    n.onPacket(65533, 0);
    n.onPacket(2, 0);
    EXPECT_EQ(n.poll(0).seqs, (Seqs{65534, 65535, 0, 1}));
    EXPECT_TRUE(n.onPacket(65535, 10));
    EXPECT_TRUE(n.onPacket(0, 10));
    EXPECT_EQ(n.poll(100).seqs, (Seqs{65534, 1}));
}

TEST(NackGenerator, AHugeGapResetsInsteadOfNackingThousands) {
    NackGenerator n;
    n.onPacket(100, 0);
    n.onPacket(102, 0);
    n.onPacket(5000, 10);
    EXPECT_EQ(n.missingCount(), 0u);
    auto batch = n.poll(10);
    EXPECT_TRUE(batch.seqs.empty());
    EXPECT_TRUE(batch.requestKeyframe);
    // Counting goes on from the new place.
    n.onPacket(5002, 20);
    EXPECT_EQ(n.poll(20).seqs, (Seqs{5001}));
}

TEST(NackGenerator, AGapAtTheLimitIsStillNacked) {
    NackGeneratorConfig c;
    c.maxGap = 50;
    NackGenerator n(c);
    n.onPacket(0, 0);
    n.onPacket(50, 0);
    EXPECT_EQ(n.poll(0).seqs.size(), 49u);
    n.onPacket(101, 0);
    EXPECT_EQ(n.missingCount(), 0u);
}

TEST(NackGenerator, AKeyframeMakesOlderLossesMoot) {
    NackGenerator n;
    n.onPacket(1, 0);
    n.onPacket(10, 0);
    n.onPacket(20, 0, true);  // a keyframe starts at 20
    EXPECT_EQ(n.missingCount(), 0u);
    auto batch = n.poll(0);
    EXPECT_TRUE(batch.seqs.empty());
    EXPECT_FALSE(batch.requestKeyframe);
}

TEST(NackGenerator, MissingSeqsAreBounded) {
    NackGeneratorConfig c;
    c.maxMissing = 10;
    NackGenerator n(c);
    n.onPacket(0, 0);
    n.onPacket(16, 0);  // 15 missing, only the newest 10 kept
    EXPECT_EQ(n.missingCount(), 10u);
    auto batch = n.poll(0);
    EXPECT_EQ(batch.seqs.front(), 6);
    EXPECT_EQ(batch.seqs.back(), 15);
    EXPECT_TRUE(batch.requestKeyframe);
    // Steady loss never grows it beyond the bound.
    for (std::uint16_t s = 18; s < 2000; s += 2) {
        n.onPacket(s, s);
        ASSERT_LE(n.missingCount(), 10u);
    }
}

TEST(NackGenerator, OldEntriesFallOutOnceTooFarBehind) {
    NackGeneratorConfig c;
    c.maxGap = 100;
    c.maxRetries = 1000;
    NackGenerator n(c);
    n.onPacket(0, 0);
    n.onPacket(2, 0);  // 1 missing
    for (std::uint16_t s = 3; s <= 101; ++s) n.onPacket(s, 0);
    EXPECT_EQ(n.missingCount(), 1u);
    n.onPacket(102, 0);  // 1 is now more than 100 behind
    EXPECT_EQ(n.missingCount(), 0u);
    EXPECT_TRUE(n.poll(0).requestKeyframe);
}

TEST(NackGenerator, AFarBackwardsSeqIsARestartToo) {
    NackGenerator n;
    n.onPacket(30000, 0);
    n.onPacket(30002, 0);
    n.onPacket(10, 5);  // the publisher's numbering started again
    EXPECT_EQ(n.missingCount(), 0u);
    EXPECT_TRUE(n.poll(5).requestKeyframe);
    n.onPacket(12, 6);
    EXPECT_EQ(n.poll(6).seqs, (Seqs{11}));
}

#include "media/transport_cc_feedback.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "media/rtcp_packet.hpp"

using namespace parley::media;

namespace {

using TwccBytes = std::vector<std::uint8_t>;

struct TwccReport {
    std::map<std::uint16_t, std::int64_t> received;  // seq → arrival µs as reported
    std::vector<std::uint16_t> lost;
    std::vector<TransportCcFeedback> packets;
};

// Parses every packet (each must parse, be word-aligned, within the size bound and be seen as
// transport-cc by the compound parser) and merges what they say.
TwccReport readTwcc(const std::vector<TwccBytes>& packets, std::size_t maxSize = 1200) {
    TwccReport report;
    for (const auto& bytes : packets) {
        EXPECT_EQ(bytes.size() % 4, 0u);
        EXPECT_LE(bytes.size(), maxSize);
        const auto compound = parseRtcpCompound(bytes);
        EXPECT_TRUE(compound && compound->items.size() == 1 &&
                    std::holds_alternative<RtcpTransportCc>(compound->items[0]));
        const auto fb = parseTransportCcFeedback(bytes);
        EXPECT_TRUE(fb);
        if (!fb) continue;
        for (const auto& p : fb->packets) {
            if (p.received) {
                report.received[p.sequenceNumber] = p.arrivalUs;
            } else {
                report.lost.push_back(p.sequenceNumber);
            }
        }
        report.packets.push_back(*fb);
    }
    return report;
}

std::int64_t onTick(std::int64_t us) { return us / 250 * 250; }

}  // namespace

TEST(TransportCcFeedback, BuildsTheHandWrittenLayout) {
    TransportCcFeedbackBuilder builder(0x01020304, 0x0a0b0c0d);
    builder.onPacketReceived(10, 321'000);  // reference time 5 (320 ms), delta 4 × 250 µs
    builder.onPacketReceived(12, 321'500);  // 11 lost, delta 2
    const auto out = builder.buildFeedback(330'000);
    ASSERT_EQ(out.size(), 1u);
    const TwccBytes expected{0x8f, 0xcd, 0x00, 0x05,  // FMT 15 RTPFB, 6 words, no padding
                             0x01, 0x02, 0x03, 0x04, 0x0a, 0x0b, 0x0c, 0x0d,
                             0x00, 0x0a, 0x00, 0x03,  // base 10, 3 statuses
                             0x00, 0x00, 0x05, 0x00,  // reference time 5, feedback count 0
                             0xa8, 0x00,              // 1-bit vector: received, lost, received
                             0x04, 0x02};
    EXPECT_EQ(out[0], expected);
}

TEST(TransportCcFeedback, PadsToAWordWithTheCountInTheLastByte) {
    TransportCcFeedbackBuilder builder(1, 2);
    builder.onPacketReceived(7, 64'000);
    const auto out = builder.buildFeedback(70'000);
    ASSERT_EQ(out.size(), 1u);
    // 20 + 2 (run of one "small") + 1 delta = 23: one byte of padding, and the P bit.
    const TwccBytes expected{0xaf, 0xcd, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0, 7, 0, 1, 0, 0, 1, 0, 0x20, 0x01, 0x00, 0x01};
    EXPECT_EQ(out[0], expected);
}

TEST(TransportCcFeedback, ParsesAHandWrittenTwoBitVectorWithANegativeDelta) {
    const TwccBytes bytes{0xaf, 0xcd, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 2,
                          0xff, 0xfe, 0x00, 0x03,  // base 65534, 3 statuses
                          0x00, 0x00, 0x01, 0x07,  // reference time 1 (64 ms), count 7
                          0xd8, 0x00,              // 2-bit vector: small, large, lost
                          0x10, 0xff, 0xfc,        // +4 ms, -1 ms
                          0x00, 0x00, 0x03};
    const auto fb = parseTransportCcFeedback(bytes);
    ASSERT_TRUE(fb);
    EXPECT_EQ(fb->senderSsrc, 1u);
    EXPECT_EQ(fb->mediaSsrc, 2u);
    EXPECT_EQ(fb->referenceTime, 1u);
    EXPECT_EQ(fb->feedbackPacketCount, 7);
    ASSERT_EQ(fb->packets.size(), 3u);
    EXPECT_EQ(fb->packets[0].sequenceNumber, 65534);
    EXPECT_EQ(fb->packets[0].arrivalUs, 68'000);
    EXPECT_EQ(fb->packets[1].sequenceNumber, 65535);
    EXPECT_EQ(fb->packets[1].arrivalUs, 67'000);
    EXPECT_EQ(fb->packets[2].sequenceNumber, 0);
    EXPECT_FALSE(fb->packets[2].received);
}

TEST(TransportCcFeedback, ParserRefusesMalformedPackets) {
    const TwccBytes good{0x8f, 0xcd, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0, 10, 0, 3, 0, 0, 5, 0, 0xa8, 0x00, 4, 2};
    ASSERT_TRUE(parseTransportCcFeedback(good));
    auto broken = [&](std::size_t at, std::uint8_t value) {
        TwccBytes b = good;
        b[at] = value;
        return parseTransportCcFeedback(b).has_value();
    };
    EXPECT_FALSE(broken(0, 0x81));  // a NACK's FMT
    EXPECT_FALSE(broken(1, 0xce));  // PSFB
    EXPECT_FALSE(broken(0, 0x4f));  // version 1
    EXPECT_FALSE(broken(3, 0x04));  // length shorter than the packet
    EXPECT_FALSE(broken(3, 0x06));  // longer
    EXPECT_FALSE(broken(15, 0));    // no statuses
    EXPECT_FALSE(broken(20, 0x60)); // run of the reserved status
    EXPECT_FALSE(broken(20, 0xf0)); // 2-bit vector with the reserved status first
    EXPECT_FALSE(broken(15, 15));   // 15 statuses: the deltas would be read as a second chunk
    // Two large deltas where two single bytes are.
    EXPECT_FALSE(broken(20, 0xe8));
    for (std::size_t n = 0; n < good.size(); ++n) {
        EXPECT_FALSE(parseTransportCcFeedback(TwccBytes(good.begin(), good.begin() + n))) << n;
    }
    // More than padding after the deltas.
    TwccBytes trailing = good;
    trailing.insert(trailing.end(), {0, 0, 0, 0});
    trailing[3] = 0x06;
    EXPECT_FALSE(parseTransportCcFeedback(trailing));
    // P bit with a count of 0 or more than the body.
    TwccBytes padded = good;
    padded[0] = 0xaf;
    padded.back() = 0;
    EXPECT_FALSE(parseTransportCcFeedback(padded));
    padded.back() = 21;
    EXPECT_FALSE(parseTransportCcFeedback(padded));
}

TEST(TransportCcFeedback, RoundtripsLossesReorderingAndTheSequenceWrap) {
    std::mt19937 rng(11);
    for (int round = 0; round < 50; ++round) {
        TransportCcFeedbackBuilder builder(1, 2);
        std::uint16_t seq = static_cast<std::uint16_t>(65000 + rng() % 1000);  // wraps within the round
        std::int64_t now = 1'000'000 + rng() % 1'000'000;
        std::map<std::uint16_t, std::int64_t> sent;  // what arrived
        std::vector<std::pair<int, std::uint16_t>> missing;  // (order sent, seq)
        std::set<std::uint16_t> reportedLost;
        int order = 0;
        int firstArrivalOrder = -1;
        int lastArrivalOrder = 0;
        int feedbackCount = 0;
        for (int interval = 0; interval < 20; ++interval) {
            std::vector<std::pair<std::uint16_t, std::int64_t>> batch;
            for (int i = 0; i < 60; ++i, ++seq, ++order) {
                now += rng() % 3000;
                if (rng() % 10 == 0) {
                    missing.emplace_back(order, seq);
                    continue;
                }
                batch.emplace_back(seq, now);
                if (firstArrivalOrder < 0) firstArrivalOrder = order;
                lastArrivalOrder = order;
            }
            // Swap neighbours now and then: the arrival order is not the sequence order.
            for (std::size_t i = 1; i < batch.size(); ++i) {
                if (rng() % 8 == 0) std::swap(batch[i - 1].first, batch[i].first);
            }
            for (const auto& [s, t] : batch) {
                builder.onPacketReceived(s, t);
                sent[s] = t;
            }
            now += 50'000;
            const auto report = readTwcc(builder.buildFeedback(now));
            for (const auto& fb : report.packets) EXPECT_EQ(fb.feedbackPacketCount, feedbackCount++ % 256);
            for (const auto& [s, t] : report.received) {
                ASSERT_TRUE(sent.contains(s)) << s;
                EXPECT_EQ(t, onTick(sent[s])) << s;
            }
            for (std::uint16_t s : report.lost) {
                EXPECT_FALSE(sent.contains(s)) << s;
                reportedLost.insert(s);
            }
            for (const auto& [s, t] : batch) EXPECT_TRUE(report.received.contains(s)) << s;
        }
        // Every loss between two arrivals was reported as a loss (before the first arrival the
        // receiver cannot know the sequence has started).
        ASSERT_FALSE(missing.empty());
        for (const auto& [when, s] : missing) {
            if (when > firstArrivalOrder && when < lastArrivalOrder) {
                EXPECT_TRUE(reportedLost.contains(s)) << s;
            }
        }
    }
}

TEST(TransportCcFeedback, LateArrivalIsReportedAgainWithItsNeighbours) {
    TransportCcFeedbackBuilder builder(1, 2);
    builder.onPacketReceived(100, 1'000'000);
    builder.onPacketReceived(102, 1'001'000);
    auto report = readTwcc(builder.buildFeedback(1'010'000));
    EXPECT_EQ(report.lost, std::vector<std::uint16_t>{101});
    builder.onPacketReceived(101, 1'020'000);
    builder.onPacketReceived(103, 1'021'000);
    report = readTwcc(builder.buildFeedback(1'030'000));
    ASSERT_EQ(report.packets.size(), 1u);
    EXPECT_EQ(report.packets[0].baseSequenceNumber, 101);
    EXPECT_TRUE(report.lost.empty());
    EXPECT_EQ(report.received.size(), 3u);
    EXPECT_EQ(report.received[101], 1'020'000);
    EXPECT_EQ(report.received[102], 1'001'000);  // a negative delta after 101
    // A duplicate of something reported does not send the window back.
    builder.onPacketReceived(103, 1'040'000);
    builder.onPacketReceived(104, 1'041'000);
    report = readTwcc(builder.buildFeedback(1'050'000));
    EXPECT_EQ(report.packets.at(0).baseSequenceNumber, 104);
    EXPECT_EQ(report.packets.at(0).packets.size(), 1u);
}

TEST(TransportCcFeedback, LateArrivalOlderThanTheHistoryIsDropped) {
    TransportCcFeedbackBuilder builder(1, 2);
    builder.onPacketReceived(10, 1'000'000);
    builder.onPacketReceived(12, 1'001'000);
    readTwcc(builder.buildFeedback(1'010'000));
    builder.onPacketReceived(13, 2'000'000);
    readTwcc(builder.buildFeedback(2'010'000));  // ages 10 and 12 out of the history
    builder.onPacketReceived(11, 2'020'000);
    builder.onPacketReceived(14, 2'021'000);
    const auto report = readTwcc(builder.buildFeedback(2'030'000));
    EXPECT_EQ(report.packets.at(0).baseSequenceNumber, 14);
    EXPECT_FALSE(report.received.contains(11));
}

TEST(TransportCcFeedback, ADeltaTooLargeForSixteenBitsStartsANewPacket) {
    TransportCcFeedbackBuilder builder(1, 2);
    builder.onPacketReceived(1, 1'000'000);
    builder.onPacketReceived(2, 1'000'000 + 8'191'750);  // the largest delta that fits
    builder.onPacketReceived(3, 1'000'000 + 8'191'750 + 8'192'000);  // one that does not
    const auto packets = builder.buildFeedback(20'000'000);
    ASSERT_EQ(packets.size(), 2u);
    const auto report = readTwcc(packets);
    EXPECT_EQ(report.packets[0].packets.size(), 2u);
    EXPECT_EQ(report.packets[1].baseSequenceNumber, 3);
    EXPECT_EQ(report.packets[1].feedbackPacketCount, 1);
    EXPECT_EQ(report.received.at(2) - report.received.at(1), 8'191'750);
    EXPECT_EQ(report.received.at(3), 1'000'000 + 8'191'750 + 8'192'000);
}

TEST(TransportCcFeedback, ManyPacketsAreSplitToTheSizeBound) {
    TransportCcFeedbackBuilder builder(1, 2, 200);
    std::mt19937 rng(3);
    std::int64_t t = 5'000'000;
    for (std::uint16_t s = 0; s < 3000; ++s) {
        t += (rng() % 20 == 0) ? 100'000 : 300;  // some large deltas mixed in
        if (s % 17 != 0) builder.onPacketReceived(s, t);
    }
    const auto packets = builder.buildFeedback(t + 1000);
    EXPECT_GT(packets.size(), 10u);
    const auto report = readTwcc(packets, 200);
    EXPECT_EQ(report.received.size() + report.lost.size(), 2999u);  // 0 was never received
    // Consecutive packets cover consecutive ranges.
    for (std::size_t i = 1; i < report.packets.size(); ++i) {
        const auto& prev = report.packets[i - 1];
        EXPECT_EQ(report.packets[i].baseSequenceNumber,
                  static_cast<std::uint16_t>(prev.baseSequenceNumber + prev.packets.size()));
    }
}

TEST(TransportCcFeedback, AHugeGapKeepsOnlyTheLossesThatFitBeforeTheNextArrival) {
    TransportCcFeedbackBuilder builder(1, 2);
    builder.onPacketReceived(0, 1'000'000);
    readTwcc(builder.buildFeedback(1'000'000));
    builder.onPacketReceived(20000, 1'100'000);
    const auto packets = builder.buildFeedback(1'200'000);
    ASSERT_EQ(packets.size(), 1u);
    const auto report = readTwcc(packets);
    EXPECT_TRUE(report.received.contains(20000));
    EXPECT_GT(report.lost.size(), 1000u);
    EXPECT_LT(report.lost.size(), 19999u);
}

TEST(TransportCcFeedback, RunsOfLossesAndLargeDeltasUseEveryChunkKind) {
    // 30 lost (a run), 10 received with large deltas (a run of "large"), a mix of small and
    // large (2-bit vectors), 20 small (a run or 1-bit vectors).
    TransportCcFeedbackBuilder builder(1, 2);
    std::int64_t t = 10'000'000;
    std::map<std::uint16_t, std::int64_t> arrived;
    auto arrive = [&](std::uint16_t s, std::int64_t step) {
        t += step;
        builder.onPacketReceived(s, t);
        arrived[s] = t;
    };
    arrive(0, 0);
    for (std::uint16_t s = 31; s < 41; ++s) arrive(s, 70'000);
    for (std::uint16_t s = 41; s < 55; ++s) arrive(s, s % 2 ? 1000 : 90'000);
    for (std::uint16_t s = 55; s < 75; ++s) arrive(s, 500);
    const auto report = readTwcc(builder.buildFeedback(t));
    EXPECT_EQ(report.lost.size(), 30u);
    ASSERT_EQ(report.received.size(), arrived.size());
    for (const auto& [s, at] : arrived) EXPECT_EQ(report.received.at(s), onTick(at)) << s;
}

TEST(TransportCcFeedback, NothingArrivedNothingSent) {
    TransportCcFeedbackBuilder builder(1, 2);
    EXPECT_TRUE(builder.buildFeedback(0).empty());
    builder.onPacketReceived(1, 0);
    EXPECT_EQ(builder.buildFeedback(10).size(), 1u);
    EXPECT_TRUE(builder.buildFeedback(20).empty());
}

TEST(TransportCcFeedback, RandomArrivalsAlwaysGiveConsistentParseableFeedback) {
    // Jumps forward and back, duplicates, time running backwards and leaping ahead, random size
    // bounds and intervals: whatever is reported must match the first arrival of that number,
    // and nothing reported lost may have arrived. The walk stays within 60000 numbers so no
    // 16-bit value is reused.
    std::mt19937 rng(5);
    for (int round = 0; round < 20; ++round) {
        const std::size_t maxSize = 64 + rng() % 1500;
        TransportCcFeedbackBuilder builder(1, 2, maxSize);
        std::map<std::uint16_t, std::int64_t> firstArrival;
        std::size_t reportedReceived = 0;
        std::size_t reportedLost = 0;
        std::int64_t base = static_cast<std::int64_t>(rng() % 65536);
        std::int64_t offset = 0;
        std::int64_t t = static_cast<std::int64_t>(rng() % 1'000'000'000);
        for (int step = 0; step < 3000; ++step) {
            const unsigned kind = rng() % 100;
            if (kind < 3) {
                offset -= rng() % 100;  // a late one
            } else if (kind < 4) {
                offset += 1000 + rng() % 3000;  // a burst of losses
            } else if (kind > 5) {
                offset += 1 + rng() % 3;
            }  // else the same number again
            offset = std::clamp<std::int64_t>(offset, 0, 59'999);
            const unsigned when = rng() % 100;
            t += when < 2 ? -static_cast<std::int64_t>(rng() % 10'000'000)
                          : (when < 4 ? static_cast<std::int64_t>(rng() % 20'000'000) : rng() % 5000);
            const auto seq = static_cast<std::uint16_t>(base + offset);
            builder.onPacketReceived(seq, t);
            firstArrival.emplace(seq, t);
            if (rng() % 40 == 0) {
                const auto report = readTwcc(builder.buildFeedback(t), maxSize);
                for (const auto& [s, at] : report.received) {
                    ASSERT_TRUE(firstArrival.contains(s)) << s;
                    EXPECT_EQ(at, onTick(firstArrival[s])) << s;
                }
                for (std::uint16_t s : report.lost) EXPECT_FALSE(firstArrival.contains(s)) << s;
                reportedReceived += report.received.size();
                reportedLost += report.lost.size();
            }
        }
        EXPECT_GT(reportedReceived, 1000u);
        EXPECT_GT(reportedLost, 100u);
    }
}

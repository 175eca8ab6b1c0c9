// The pure parts the SFU benchmark's figures rest on: the stamp every payload ends with, the
// publisher's packets (bitrate, keyframes, packetization), and the tally of what arrived.
#include <gtest/gtest.h>

#include <map>

#include "media/rtp_packet.hpp"
#include "receive_tally.hpp"
#include "stamp.hpp"
#include "workload.hpp"

namespace parley::bench::sfu {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

TEST(SfuStamp, RoundTripsAtTheEndOfAPayload) {
    std::vector<std::uint8_t> payload(100, 0x11);
    writeStamp(payload, {7, 123456, 0x0102030405060708ull});
    EXPECT_EQ(payload[0], 0x11);  // only the tail is written
    EXPECT_EQ(payload[79], 0x11);
    const auto s = readStamp(payload);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->stream, 7u);
    EXPECT_EQ(s->index, 123456u);
    EXPECT_EQ(s->sendNs, 0x0102030405060708ull);
}

TEST(SfuStamp, RefusesShortOrForeignPayloads) {
    std::vector<std::uint8_t> shortOne(kStampSize - 1, 0);
    EXPECT_FALSE(readStamp(shortOne));
    std::vector<std::uint8_t> foreign(64, 0);
    EXPECT_FALSE(readStamp(foreign));
}

WorkloadSpec spec() {
    WorkloadSpec s;
    s.audioSsrc = 11;
    s.layers = {VideoLayer{22, 1500, 30, 1280, 720}};
    return s;
}

struct Parsed {
    std::uint32_t ssrc;
    bool marker;
    std::uint16_t seq;
    std::uint32_t timestamp;
    std::vector<std::uint8_t> payload;
};
Parsed parse(std::vector<std::uint8_t>& bytes) {
    auto p = media::RtpPacket::parse(bytes);
    EXPECT_TRUE(p);
    auto payload = p->payload();
    return {p->ssrc(), p->marker(), p->sequenceNumber(), p->timestamp(), {payload.begin(), payload.end()}};
}
bool isKeyframeStart(const std::vector<std::uint8_t>& payload) {
    // X and S set, PictureID, then a VP8 header with P clear and the start code.
    return (payload[0] & 0x10) && (payload[4] & 0x01) == 0 && payload[7] == 0x9d && payload[8] == 0x01 &&
           payload[9] == 0x2a;
}

TEST(SfuWorkload, SendsTheBitrateFrameRateAndAudioRateAsked) {
    PublisherWorkload w(spec(), 3, 0);
    std::vector<OutgoingPacket> out;
    // Six keyframe intervals, stepping the clock a millisecond at a time like the tool's loop.
    for (std::int64_t t = 0; t < 18 * kSecond; t += 1'000'000) w.collectDue(t, out);
    std::uint64_t videoBytes = 0, audio = 0, frames = 0, keyframes = 0;
    std::map<std::uint32_t, std::uint32_t> nextIndex;
    for (auto& packet : out) {
        auto p = parse(packet.rtp);
        const auto stamp = readStamp(p.payload);
        ASSERT_TRUE(stamp);
        EXPECT_EQ(stamp->stream, packet.stream);
        EXPECT_EQ(publisherOf(stamp->stream), 3u);
        EXPECT_EQ(stamp->index, nextIndex[stamp->stream]++) << "indexes run 0, 1, 2 per stream";
        EXPECT_LE(p.payload.size(), 1160u);
        if (p.ssrc == 11) {
            ++audio;
            EXPECT_EQ(trackOf(stamp->stream), kAudioTrack);
        } else {
            EXPECT_EQ(p.ssrc, 22u);
            EXPECT_EQ(trackOf(stamp->stream), 1u);
            videoBytes += p.payload.size();
            if (p.marker) ++frames;
            if (isKeyframeStart(p.payload)) ++keyframes;
        }
    }
    EXPECT_EQ(audio, 18u * 50u);
    EXPECT_EQ(frames, 18u * 30u);
    EXPECT_EQ(keyframes, 6u);
    EXPECT_EQ(w.keyframesSent(), 6u);
    const double kbps = double(videoBytes) * 8 / 18 / 1000;
    EXPECT_NEAR(kbps, 1500, 1500 * 0.03);
    EXPECT_EQ(w.keyframeBytes(0), 5 * w.deltaFrameBytes(0));
}

TEST(SfuWorkload, CutsEachFrameIntoNearEqualPacketsWithTheMarkerOnTheLast) {
    PublisherWorkload w(spec(), 0, 0);
    std::vector<OutgoingPacket> out;
    w.collectDue(0, out);  // the first audio packet and the first frame: a keyframe
    std::vector<Parsed> video;
    for (auto& packet : out) {
        auto p = parse(packet.rtp);
        if (p.ssrc == 22) video.push_back(p);
    }
    const std::size_t expected = (std::size_t(w.keyframeBytes(0)) + 1159) / 1160;
    ASSERT_EQ(video.size(), expected);
    EXPECT_TRUE(isKeyframeStart(video.front().payload));
    for (std::size_t i = 0; i < video.size(); ++i) {
        EXPECT_EQ(video[i].marker, i + 1 == video.size());
        EXPECT_EQ(video[i].timestamp, video.front().timestamp);
        EXPECT_EQ(video[i].seq, std::uint16_t(video.front().seq + i));
        EXPECT_EQ((video[i].payload[0] & 0x10) != 0, i == 0) << "S only on the frame's first packet";
        EXPECT_LE(video.front().payload.size() - video[i].payload.size(), 1u);
    }
}

TEST(SfuWorkload, AKeyframeRequestMakesTheNextFrameAKeyframeMergedWithinTheGap) {
    auto s = spec();
    s.keyframeRequestMinGapMs = 500;
    PublisherWorkload w(s, 0, 0);
    std::vector<OutgoingPacket> out;
    w.collectDue(0, out);
    EXPECT_EQ(w.keyframesSent(), 1u);
    w.requestKeyframe(kSecond);
    w.collectDue(kSecond, out);
    EXPECT_EQ(w.keyframesSent(), 2u);
    w.requestKeyframe(kSecond + 100'000'000);  // within 500 ms of the last request: merged
    w.collectDue(kSecond + 200'000'000, out);
    EXPECT_EQ(w.keyframesSent(), 2u);
    w.requestKeyframe(2 * kSecond);
    w.collectDue(2 * kSecond, out);
    EXPECT_EQ(w.keyframesSent(), 3u);
}

TEST(SfuWorkload, ByDefaultEveryRequestBetweenTwoFramesMakesOneKeyframe) {
    PublisherWorkload w(spec(), 0, 0);
    std::vector<OutgoingPacket> out;
    w.collectDue(0, out);
    w.requestKeyframe(10'000'000);
    w.requestKeyframe(20'000'000);  // the same frame interval: one keyframe
    w.collectDue(40'000'000, out);
    EXPECT_EQ(w.keyframesSent(), 2u);
    w.requestKeyframe(50'000'000);
    w.collectDue(80'000'000, out);
    EXPECT_EQ(w.keyframesSent(), 3u);
}

TEST(SfuSequenceTally, CountsTheSpanOfSequenceNumbersThatArrivedInTheWindow) {
    SequenceTally t;
    t.setWindow({100, 200});
    t.onHeader(1, 65534, 50);  // before the window
    t.onHeader(1, 65535, 100);
    t.onHeader(1, 1, 110);      // across the wrap: 0 is missing
    t.onHeader(1, 1, 120);      // a duplicate
    t.onHeader(1, 2, 130);
    t.onHeader(2, 10, 140);
    t.onHeader(2, 12, 150);     // 11 missing
    t.onHeader(2, 11, 160);     // late, reordered: counted
    t.onHeader(2, 13, 200);     // after the window
    EXPECT_EQ(t.streams(), 2u);
    EXPECT_EQ(t.received(), 3u + 3u);
    EXPECT_EQ(t.expected(), 4u + 3u);
}

std::vector<std::uint8_t> stamped(std::uint32_t stream, std::uint32_t index, std::uint64_t sendNs) {
    std::vector<std::uint8_t> payload(60, 0);
    writeStamp(payload, {stream, index, sendNs});
    return payload;
}

TEST(SfuReceiveTally, CountsOnlyPacketsSentInTheWindowOnceEach) {
    ReceiveTally tally;
    LatencySinks sinks;
    tally.subscribed(50);
    tally.setWindow({1000, 2000});
    EXPECT_TRUE(tally.onPayload(stamped(streamId(0, 0), 0, 900), 950, sinks));    // before the window
    EXPECT_TRUE(tally.onPayload(stamped(streamId(0, 1), 0, 1000), 1300, sinks));  // in: 300 ns
    EXPECT_TRUE(tally.onPayload(stamped(streamId(0, 0), 1, 1500), 1600, sinks));  // in: 100 ns
    EXPECT_TRUE(tally.onPayload(stamped(streamId(0, 0), 1, 1500), 1700, sinks));  // again: a duplicate
    EXPECT_TRUE(tally.onPayload(stamped(streamId(0, 1), 1, 2000), 2100, sinks));  // after the window
    std::vector<std::uint8_t> foreign(60, 0);
    EXPECT_FALSE(tally.onPayload(foreign, 2200, sinks));
    EXPECT_EQ(tally.receivedInWindow(), 2u);
    EXPECT_EQ(tally.duplicates(), 1u);
    EXPECT_EQ(tally.unstamped(), 1u);
    EXPECT_EQ(tally.received(), 5u);
    EXPECT_DOUBLE_EQ(tally.lossPercent(4), 50.0);
    EXPECT_DOUBLE_EQ(tally.lossPercent(2), 0.0);
    EXPECT_EQ(sinks.all.count(), 2u);
    EXPECT_EQ(sinks.audio.count(), 1u);
    EXPECT_EQ(sinks.video.count(), 1u);
    EXPECT_EQ(tally.maxLatencyNs(), 300u);
    EXPECT_EQ(*tally.firstPacketNs(), 950 - 50);
    EXPECT_EQ(*tally.firstVideoNs(), 1300 - 50);
}

}  // namespace
}  // namespace parley::bench::sfu

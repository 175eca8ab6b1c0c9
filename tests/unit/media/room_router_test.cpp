// One room's forwarding with real transports and test peers, wired in memory: what a publisher
// sends reaches each subscriber on its own SSRC with continuous numbering, NACKs are answered
// from the shared buffer, keyframe requests reach the publisher merged, and nobody can send on
// a stream that is not theirs.
#include "media/room_router.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "media/port_demux.hpp"
#include "media/rtcp_builder.hpp"
#include "media/rtcp_packet.hpp"
#include "media/rtp_packet.hpp"
#include "media/rtx.hpp"
#include "media/transport_cc_feedback.hpp"
#include "webrtc_test_peer.hpp"

using namespace parley::media;
using parley::media::testing::WebRtcTestPeer;

struct RoomPerson : WebRtcTestPeer::Listener {
    std::string id;
    TransportAddress address;
    IceCredentials ice = generateIceCredentials();
    DtlsCertificate cert = *DtlsCertificate::generate(1'800'000'000);
    std::unique_ptr<WebRtcTestPeer> peer;
    std::unique_ptr<WebRtcTransport> transport;
    std::deque<std::vector<std::uint8_t>> toServer;
    std::vector<std::vector<std::uint8_t>> rtp, rtcp;
    bool lose = false;  // drop what the server sends (a bad downlink)

    void sendDatagram(std::span<const std::uint8_t> d) override { toServer.emplace_back(d.begin(), d.end()); }
    void onRtp(std::vector<std::uint8_t>& p) override { rtp.push_back(p); }
    void onRtcp(std::vector<std::uint8_t>& p) override { rtcp.push_back(p); }

    template <typename T>
    std::vector<T> received() const {
        std::vector<T> out;
        for (const auto& packet : rtcp) {
            const auto compound = parseRtcpCompound(packet);
            if (!compound) continue;
            for (const auto& item : compound->items) {
                if (auto* found = std::get_if<T>(&item)) out.push_back(*found);
            }
        }
        return out;
    }

    std::vector<RtcpPli> plis() const { return received<RtcpPli>(); }
};

struct RoomRouting : ::testing::Test, WebRtcTransport::Listener {
    std::int64_t now = 5'000'000;
    DtlsCertificate serverCert = *DtlsCertificate::generate(1'800'000'000);
    PortDemux demux;
    RoomRouter router;
    std::vector<std::unique_ptr<RoomPerson>> people;
    std::deque<std::pair<TransportAddress, std::vector<std::uint8_t>>> toPeers;

    void TearDown() override {
        for (auto& p : people) {
            router.detach(p->id);
            demux.remove(*p->transport);
        }
    }

    // connect = false: the transport is made but the peer starts nothing until
    // `people.back()->peer->start(now)` (a subscriber whose tracks came before it connected).
    RoomPerson& join(const std::string& id, bool connect = true) {
        auto person = std::make_unique<RoomPerson>();
        person->id = id;
        person->address = TransportAddress::ipv4({127, 0, 0, 1}, static_cast<std::uint16_t>(40000 + people.size()));
        const IceCredentials server = generateIceCredentials();
        person->transport =
            WebRtcTransport::create(id, server, person->ice.ufrag, serverCert, person->cert.fingerprint(), *this, now);
        person->peer = WebRtcTestPeer::create(person->ice, server, person->cert, serverCert.fingerprint(), *person);
        demux.add(*person->transport);
        router.attach(id, *person->transport);
        if (connect) person->peer->start(now);
        people.push_back(std::move(person));
        pump();
        EXPECT_EQ(people.back()->peer->connected(), connect);
        return *people.back();
    }

    void pump() {
        for (int i = 0; i < 10000; ++i) {
            bool moved = false;
            for (auto& p : people) {
                while (!p->toServer.empty()) {
                    auto d = std::move(p->toServer.front());
                    p->toServer.pop_front();
                    demux.route(d, p->address, now);
                    moved = true;
                }
            }
            while (!toPeers.empty()) {
                auto [to, d] = std::move(toPeers.front());
                toPeers.pop_front();
                for (auto& p : people) {
                    if (p->address == to && !p->lose) p->peer->receive(d, now);
                }
                moved = true;
            }
            if (!moved) return;
        }
        FAIL() << "the exchange never settled";
    }

    RoomPerson& person(const WebRtcTransport& t) {
        for (auto& p : people) {
            if (p->transport.get() == &t) return *p;
        }
        throw std::logic_error("unknown transport");
    }

    // The server side of every transport.
    void sendDatagram(std::span<const std::uint8_t> d, const TransportAddress& to) override {
        toPeers.emplace_back(to, std::vector<std::uint8_t>(d.begin(), d.end()));
    }
    void onAddressAuthenticated(WebRtcTransport& t, const TransportAddress& from) override { demux.learn(t, from); }
    void onConnected(WebRtcTransport& t) override { router.subscriberConnected(person(t).id, now); }
    void onRtp(WebRtcTransport& t, std::vector<std::uint8_t>& p) override { router.onRtp(person(t).id, p, now); }
    void onRtcp(WebRtcTransport& t, std::vector<std::uint8_t>& p) override { router.onRtcp(person(t).id, p, now); }
    void onClosed(WebRtcTransport&, std::string_view) override {}

    // One VP8 packet of `from`'s stream `ssrc`, numbered `seq` (which moves on), taken through.
    void sendVideo(RoomPerson& from, std::uint32_t ssrc, std::uint16_t& seq, bool keyframe) {
        ASSERT_TRUE(from.peer->sendRtp(videoPacket(ssrc, seq, seq * 3000u, 0x55, keyframe)));
        ++seq;
        pump();
    }

    // Every packet starts a keyframe unless `keyframe` is false (then it is the middle of a frame).
    static std::vector<std::uint8_t> videoPacket(std::uint32_t ssrc, std::uint16_t seq, std::uint32_t ts,
                                                 std::uint8_t fill, bool keyframe = true) {
        RtpHeaderFields header;
        header.payloadType = 120;
        header.sequenceNumber = seq;
        header.timestamp = ts;
        header.ssrc = ssrc;
        const std::vector<RtpExtensionValue> extensions{{3, {0x12, 0x34}}};  // the publisher's ids
        std::vector<std::uint8_t> payload{0x90, 0x80, 0x01, 0x00};        // VP8: X, S, PictureID
        if (!keyframe) payload[0] = 0x80;                                    // not the frame's start
        payload.insert(payload.end(), 200, fill);
        return *buildRtpPacket(header, extensions, payload);
    }
};

TEST_F(RoomRouting, EachSubscriberGetsThePublishersStreamOnItsOwnContinuousSsrc) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    auto& cat = join("cat");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    router.subscribe({"cat", 1111, 6001, 97}, now);
    pump();

    for (std::uint16_t i = 0; i < 10; ++i) {
        ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, static_cast<std::uint16_t>(65530 + i), 3000 * i, 0xa0)));
    }
    pump();
    ASSERT_EQ(ben.rtp.size(), 10u);
    ASSERT_EQ(cat.rtp.size(), 10u);
    for (auto* who : {&ben, &cat}) {
        std::optional<std::uint16_t> previous;
        for (auto& bytes : who->rtp) {
            auto packet = RtpPacket::parse(bytes);
            ASSERT_TRUE(packet);
            EXPECT_EQ(packet->ssrc(), who == &ben ? 5001u : 6001u);
            EXPECT_EQ(packet->payloadType(), who == &ben ? 96 : 97);
            EXPECT_EQ(packet->extensionForm(), RtpExtensionForm::None);  // the publisher's ids stay behind
            EXPECT_EQ(packet->payloadSize(), 204u);
            EXPECT_EQ(packet->payload()[10], 0xa0);
            if (previous) {
                EXPECT_EQ(packet->sequenceNumber(), static_cast<std::uint16_t>(*previous + 1));
            }
            previous = packet->sequenceNumber();
        }
    }
    EXPECT_EQ(router.counters().forwarded, 20u);
    EXPECT_TRUE(ann.rtp.empty());  // nobody gets their own media back
}

TEST_F(RoomRouting, KeyframeRequestsReachThePublisherMergedToOneEveryHalfSecond) {
    auto& ann = join("ann");
    join("ben");
    auto& cat = join("cat");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);  // a new subscriber asks for a keyframe
    router.subscribe({"cat", 1111, 6001, 96}, now);  // and so does this one, merged
    pump();
    ASSERT_EQ(ann.plis().size(), 1u);
    EXPECT_EQ(ann.plis()[0].mediaSsrc, 1111u);  // named by the publisher's own SSRC

    ASSERT_TRUE(cat.peer->sendRtcp(buildPli(0xcafe, 6001)));
    pump();
    EXPECT_EQ(ann.plis().size(), 1u);  // held back, not dropped
    ASSERT_TRUE(router.nextTimeoutMs());
    now = *router.nextTimeoutMs();
    router.handleTimeout(now);
    pump();
    EXPECT_EQ(ann.plis().size(), 2u);
    EXPECT_EQ(router.counters().keyframeRequestsIn, 1u);
}

TEST_F(RoomRouting, ANackIsAnsweredFromTheSharedBufferWithTheSameBytes) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    auto& cat = join("cat");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    router.subscribe({"cat", 1111, 6001, 96}, now);
    for (std::uint16_t i = 0; i < 5; ++i) {
        ben.lose = i == 2;  // Ben's downlink drops the third packet (SRTP would refuse a replay)
        ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 100 + i, 0, static_cast<std::uint8_t>(0x10 + i))));
        pump();
    }
    ben.lose = false;
    ASSERT_EQ(ben.rtp.size(), 4u);
    ASSERT_EQ(cat.rtp.size(), 5u);
    const std::uint16_t first = RtpPacket::parse(ben.rtp[0])->sequenceNumber();
    const std::uint16_t lost = static_cast<std::uint16_t>(first + 2);
    EXPECT_EQ(RtpPacket::parse(ben.rtp[2])->sequenceNumber(), lost + 1);  // Ben sees the gap

    ASSERT_TRUE(ben.peer->sendRtcp(buildNack(0xbeef, 5001, std::vector<std::uint16_t>{lost})));
    pump();
    ASSERT_EQ(ben.rtp.size(), 5u);
    auto again = RtpPacket::parse(ben.rtp.back());
    EXPECT_EQ(again->sequenceNumber(), lost);
    EXPECT_EQ(again->ssrc(), 5001u);
    EXPECT_EQ(again->payload()[10], 0x12);  // the third packet's payload
    EXPECT_EQ(router.counters().retransmitted, 1u);
    EXPECT_EQ(cat.rtp.size(), 5u);  // only who asked gets it

    // A packet never forwarded, and a NACK for someone else's stream, get nothing.
    ASSERT_TRUE(ben.peer->sendRtcp(buildNack(0xbeef, 5001, std::vector<std::uint16_t>{
                                                              static_cast<std::uint16_t>(lost + 100)})));
    ASSERT_TRUE(ann.peer->sendRtcp(buildNack(0xa11, 5001, std::vector<std::uint16_t>{lost})));
    pump();
    EXPECT_EQ(ben.rtp.size(), 5u);
    EXPECT_TRUE(ann.rtp.empty());
    EXPECT_EQ(router.counters().retransmitMissed, 1u);
}

TEST_F(RoomRouting, NobodySendsOnAStreamThatIsNotTheirs) {
    join("ann");
    auto& ben = join("ben");
    auto& cat = join("cat");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"cat", 1111, 6001, 96}, now);
    ASSERT_TRUE(ben.peer->sendRtp(videoPacket(1111, 1, 0, 0xee)));  // Ben forges Ann's SSRC
    pump();
    EXPECT_TRUE(cat.rtp.empty());
    EXPECT_EQ(router.counters().unknownSsrc, 1u);
}

TEST_F(RoomRouting, AHeldStreamReachesNobodyAndResumesWithoutAGap) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    auto& cat = join("cat");
    router.publish({"ann", 2222, MediaCodec::Opus, 48000, false});
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 2222, 5002, 111}, now);
    router.subscribe({"cat", 2222, 6002, 111}, now);
    router.subscribe({"ben", 1111, 5001, 96}, now);
    pump();
    std::uint16_t seq = 100;
    std::uint32_t ts = 0;
    auto speak = [&](int packets) {
        for (int i = 0; i < packets; ++i) {
            now += 20;  // 20 ms of Opus a packet
            ASSERT_TRUE(ann.peer->sendRtp(videoPacket(2222, seq++, ts, 0x11)));
            ts += 960;
            pump();
        }
    };
    struct Header {
        std::uint16_t seq;
        std::uint32_t timestamp;
    };
    auto audioAt = [](RoomPerson& who, std::uint32_t ssrc) {
        std::vector<Header> out;
        for (auto& bytes : who.rtp) {
            auto packet = RtpPacket::parse(bytes);
            if (packet && packet->ssrc() == ssrc) out.push_back({packet->sequenceNumber(), packet->timestamp()});
        }
        return out;
    };

    speak(5);
    router.setHeld(2222, true);
    EXPECT_TRUE(router.held(2222));
    EXPECT_FALSE(router.held(1111));
    speak(50);  // a second while muted: none of it goes out
    EXPECT_EQ(audioAt(ben, 5002).size(), 5u);
    EXPECT_EQ(audioAt(cat, 6002).size(), 5u);
    EXPECT_EQ(router.counters().held, 50u);
    // The camera is not held.
    ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 7, 0, 0x22)));
    pump();
    EXPECT_EQ(audioAt(ben, 5001).size(), 1u);

    router.setHeld(2222, false);
    speak(5);
    for (auto [who, ssrc] : {std::pair{&ben, 5002u}, std::pair{&cat, 6002u}}) {
        const auto audio = audioAt(*who, ssrc);
        ASSERT_EQ(audio.size(), 10u);
        for (std::size_t i = 1; i < audio.size(); ++i) {
            // One continuous sequence: the held second is no loss to NACK.
            EXPECT_EQ(audio[i].seq, static_cast<std::uint16_t>(audio[i - 1].seq + 1));
        }
        // ... while the timestamps kept pace with the time that passed (a second and 20 ms).
        EXPECT_EQ(audio[5].timestamp - audio[4].timestamp, 51u * 960u);
    }
}

TEST_F(RoomRouting, PublishingAgainStartsAStreamLetGo) {
    join("ann");
    join("ben");
    router.publish({"ann", 2222, MediaCodec::Opus, 48000, false});
    router.setHeld(2222, true);
    router.setHeld(3333, true);  // nobody publishes it: nothing to hold
    EXPECT_FALSE(router.held(3333));
    router.publish({"ann", 2222, MediaCodec::Opus, 48000, false});
    EXPECT_FALSE(router.held(2222));
}

TEST_F(RoomRouting, WhenThePublisherLeavesItsStreamsAndTheirSubscriptionsGo) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    EXPECT_EQ(router.subscriptions(), 1u);
    router.detach("ann");
    EXPECT_EQ(router.streams(), 0u);
    EXPECT_EQ(router.subscriptions(), 0u);
    ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 1, 0, 1)));
    pump();
    EXPECT_TRUE(ben.rtp.empty());
    router.attach("ann", *ann.transport);  // so TearDown's detach finds it as it was
}

TEST_F(RoomRouting, APublisherGetsTransportCcFeedbackForWhatArrived) {
    auto& ann = join("ann");
    join("ben");
    PublishedStream stream{"ann", 1111, MediaCodec::Vp8, 90000, true};
    stream.transportCcExtension = 3;  // videoPacket() carries id 3: transport-wide seq 0x1234
    router.publish(stream);
    router.subscribe({"ben", 1111, 5001, 96}, now);
    ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 1, 0, 1)));
    // A bandwidth probe: padding on a stream nobody announced (the browser's RTX), numbered in
    // the same transport-wide sequence. It must be reported as received, not as lost.
    RtpHeaderFields probe;
    probe.payloadType = 97;
    probe.ssrc = 9999;
    const std::vector<RtpExtensionValue> probeSeq{{3, {0x12, 0x35}}};
    ASSERT_TRUE(ann.peer->sendRtp(*buildRtpPacket(probe, probeSeq, {}, 200)));
    pump();
    ASSERT_TRUE(router.nextTimeoutMs());
    now += RoomRouter::kTransportCcIntervalMs;
    router.handleTimeout(now);
    pump();
    std::vector<TransportCcFeedback> feedback;
    for (const auto& packet : ann.rtcp) {
        const auto compound = parseRtcpCompound(packet);
        if (!compound) continue;
        for (const auto& item : compound->items) {
            if (const auto* tcc = std::get_if<RtcpTransportCc>(&item)) {
                if (auto parsed = parseTransportCcFeedback(tcc->packet)) feedback.push_back(*parsed);
            }
        }
    }
    ASSERT_EQ(feedback.size(), 1u);
    EXPECT_EQ(feedback[0].baseSequenceNumber, 0x1234);
    ASSERT_EQ(feedback[0].packets.size(), 2u);
    EXPECT_TRUE(feedback[0].packets[0].received);
    EXPECT_TRUE(feedback[0].packets[1].received);  // the probe too
    EXPECT_EQ(router.counters().transportCcFeedback, 1u);
}

TEST_F(RoomRouting, APublishersSenderReportReachesEachSubscriberOnItsOwnTimeline) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    for (std::uint16_t i = 0; i < 5; ++i) {
        ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 100 + i, 3000u * i, 1)));
    }
    pump();
    // The publisher restarts its numbering (a new encoder): Ben's stream resyncs, so from here
    // its timestamps differ from Ann's by an offset the SR must be moved by too.
    now += 33;
    ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 30000, 9'000'000, 1)));
    pump();
    ASSERT_EQ(ben.rtp.size(), 6u);
    const std::uint32_t lastOut = RtpPacket::parse(ben.rtp.back())->timestamp();
    ASSERT_NE(lastOut, 9'000'000u);

    RtcpSenderReport sr;
    sr.senderSsrc = 1111;
    sr.ntpTimestamp = ntpFromUnixMicros(1'765'000'000'000'000);
    sr.rtpTimestamp = 9'000'900;
    sr.packetCount = 999;
    sr.octetCount = 99999;
    ASSERT_TRUE(ann.peer->sendRtcp(buildSenderReport(sr)));
    pump();
    const auto srs = ben.received<RtcpSenderReport>();
    ASSERT_EQ(srs.size(), 1u);
    EXPECT_EQ(srs[0].senderSsrc, 5001u);
    EXPECT_EQ(srs[0].ntpTimestamp, sr.ntpTimestamp);
    EXPECT_EQ(srs[0].rtpTimestamp, lastOut + 900);  // the same instant on Ben's timeline
    EXPECT_EQ(srs[0].packetCount, 6u);             // what Ben was sent, not what Ann sent
    EXPECT_EQ(srs[0].octetCount, 6u * 204u);
    EXPECT_EQ(router.counters().senderReportsOut, 1u);

    // Nobody else's SR is passed on: Ben cannot report for Ann's stream.
    sr.senderSsrc = 1111;
    ASSERT_TRUE(ben.peer->sendRtcp(buildSenderReport(sr)));
    pump();
    EXPECT_EQ(ben.received<RtcpSenderReport>().size(), 1u);
}

TEST_F(RoomRouting, ASubscribersReportGivesTheRoundTripTimeAndItsLoss) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 1, 0, 1)));
    pump();
    RtcpSenderReport sr;
    sr.senderSsrc = 1111;
    sr.ntpTimestamp = ntpFromUnixMicros(1'765'000'000'000'000);
    ASSERT_TRUE(ann.peer->sendRtcp(buildSenderReport(sr)));
    pump();
    EXPECT_FALSE(router.subscriptionStats(5001)->rttMs);  // no report yet

    // Ben answers 150 ms later, having held the SR 100 ms: 50 ms on the wire both ways.
    now += 150;
    RtcpReceiverReport rr;
    rr.senderSsrc = 0xbeef;
    RtcpReportBlock block;
    block.ssrc = 5001;
    block.fractionLost = 25;
    block.cumulativeLost = 3;
    block.lastSr = compactNtp(sr.ntpTimestamp);
    block.delaySinceLastSr = 65536 / 10;
    rr.reports.push_back(block);
    ASSERT_TRUE(ben.peer->sendRtcp(buildReceiverReport(rr)));
    pump();
    const auto stats = router.subscriptionStats(5001);
    ASSERT_TRUE(stats && stats->rttMs);
    EXPECT_NEAR(static_cast<double>(*stats->rttMs), 50.0, 1.0);
    EXPECT_EQ(stats->fractionLost, 25);
    EXPECT_EQ(stats->cumulativeLost, 3);
    EXPECT_EQ(stats->packetsSent, 1u);
    EXPECT_FALSE(router.subscriptionStats(4242));

    // The media report (diagnostics) carries them: Ben's loss and round trip on his subscription,
    // and how Ann's stream arrives.
    const auto report = router.report(now);
    ASSERT_EQ(report.streams.size(), 1u);
    ASSERT_EQ(report.streams[0].subscriptions.size(), 1u);
    const auto& sub = report.streams[0].subscriptions[0];
    ASSERT_TRUE(sub.rttMs && sub.lossPercent);
    EXPECT_NEAR(*sub.rttMs, 50.0, 1.0);
    EXPECT_NEAR(*sub.lossPercent, 25 * 100.0 / 256, 0.01);
    ASSERT_TRUE(report.streams[0].lossPercent);
    EXPECT_EQ(*report.streams[0].lossPercent, 0.0);
}

TEST_F(RoomRouting, APublisherGetsAReceiverReportAboutItsStreamsEverySecond) {
    auto& ann = join("ann");
    join("ben");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    for (std::uint16_t seq : {1, 2, 4, 5}) {  // 3 is lost
        ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, seq, 3000u * seq, 1)));
    }
    RtcpSenderReport sr;
    sr.senderSsrc = 1111;
    sr.ntpTimestamp = ntpFromUnixMicros(1'765'000'000'000'000);
    ASSERT_TRUE(ann.peer->sendRtcp(buildSenderReport(sr)));
    pump();
    EXPECT_TRUE(ann.received<RtcpReceiverReport>().empty());
    ASSERT_TRUE(router.nextTimeoutMs());
    now += 250;
    router.handleTimeout(now);  // not yet due
    now = *router.nextTimeoutMs();
    router.handleTimeout(now);
    pump();
    const auto rrs = ann.received<RtcpReceiverReport>();
    ASSERT_EQ(rrs.size(), 1u);
    ASSERT_EQ(rrs[0].reports.size(), 1u);
    const auto& block = rrs[0].reports[0];
    EXPECT_EQ(block.ssrc, 1111u);
    EXPECT_EQ(block.extendedHighestSeq, 5u);
    EXPECT_EQ(block.cumulativeLost, 1);
    EXPECT_EQ(block.fractionLost, 256 / 5);
    EXPECT_EQ(block.lastSr, compactNtp(sr.ntpTimestamp));
    EXPECT_EQ(block.delaySinceLastSr, 65536u);  // the SR came a second before
    const auto stats = router.publishedStats(1111);
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->packets, 4u);
    EXPECT_EQ(stats->lost, 1);
    EXPECT_EQ(router.counters().receiverReportsOut, 1u);
}

TEST_F(RoomRouting, APublishersLossIsNackedButReorderingIsNot) {
    auto& ann = join("ann");
    join("ben");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    pump();
    for (std::uint16_t seq : {1, 2, 4, 6, 5}) {  // 3 lost; 5 merely late
        ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, seq, 0, 1, seq == 1)));
    }
    pump();
    ASSERT_TRUE(router.nextTimeoutMs());
    EXPECT_LE(*router.nextTimeoutMs(), now);  // asked at once, from the next tick
    router.handleTimeout(now);
    pump();
    const auto nacks = ann.received<RtcpNack>();
    ASSERT_EQ(nacks.size(), 1u);
    EXPECT_EQ(nacks[0].mediaSsrc, 1111u);
    EXPECT_EQ(nacks[0].lostSequenceNumbers, std::vector<std::uint16_t>{3});
    EXPECT_EQ(router.counters().nacksSent, 1u);

    // Once it arrives nothing more is asked.
    ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 3, 0, 1, false)));
    pump();
    now += 500;
    router.handleTimeout(now);
    pump();
    EXPECT_EQ(ann.received<RtcpNack>().size(), 1u);
}

TEST_F(RoomRouting, APublishersRtxIsUnwrappedAndForwardedIntoTheGap) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    PublishedStream stream{"ann", 1111, MediaCodec::Vp8, 90000, true};
    stream.payloadType = 120;
    stream.rtxSsrc = 2222;
    stream.rtxPayloadType = 121;
    router.publish(stream);
    router.subscribe({"ben", 1111, 5001, 96}, now);
    for (std::uint16_t seq : {1, 2, 4}) {
        ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, seq, 3000u * seq, static_cast<std::uint8_t>(seq))));
    }
    pump();
    ASSERT_EQ(ben.rtp.size(), 3u);
    const std::uint16_t first = RtpPacket::parse(ben.rtp[0])->sequenceNumber();

    auto lostBytes = videoPacket(1111, 3, 9000, 3);
    auto rtx = buildRtxPacket(*RtpPacket::parse(lostBytes), 121, 2222, 700);
    ASSERT_TRUE(ann.peer->sendRtp(rtx));
    // Sent again (a probe padded with it): forwarded once.
    ASSERT_TRUE(ann.peer->sendRtp(buildRtxPacket(*RtpPacket::parse(lostBytes), 121, 2222, 702)));
    RtpHeaderFields probe;
    probe.payloadType = 121;
    probe.ssrc = 2222;
    probe.sequenceNumber = 701;
    ASSERT_TRUE(ann.peer->sendRtp(*buildRtpPacket(probe, {}, {}, 200)));  // padding only
    pump();
    ASSERT_EQ(ben.rtp.size(), 4u);
    auto repaired = RtpPacket::parse(ben.rtp.back());
    EXPECT_EQ(repaired->ssrc(), 5001u);
    EXPECT_EQ(repaired->payloadType(), 96);
    EXPECT_EQ(repaired->sequenceNumber(), static_cast<std::uint16_t>(first + 2));  // into the gap
    EXPECT_EQ(repaired->timestamp(), RtpPacket::parse(ben.rtp[0])->timestamp() + 6000);
    EXPECT_EQ(repaired->payloadSize(), 204u);
    EXPECT_EQ(repaired->payload()[10], 3);
    EXPECT_EQ(router.counters().rtxReceived, 2u);
    EXPECT_EQ(router.counters().probesDropped, 1u);
    EXPECT_EQ(router.counters().unknownSsrc, 0u);
    const auto stats = router.publishedStats(1111);
    EXPECT_EQ(stats->lost, 0);
    EXPECT_EQ(stats->retransmissions, 1u);
}

TEST_F(RoomRouting, ASubscribersNackIsAnsweredAsRtxWhereItNegotiatedIt) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96, 5002, 97}, now);
    for (std::uint16_t i = 0; i < 5; ++i) {
        ben.lose = i == 2;
        ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 100 + i, 0, static_cast<std::uint8_t>(0x10 + i))));
        pump();
    }
    ben.lose = false;
    ASSERT_EQ(ben.rtp.size(), 4u);
    const auto lost = static_cast<std::uint16_t>(RtpPacket::parse(ben.rtp[0])->sequenceNumber() + 2);
    for (int round = 0; round < 2; ++round) {
        ASSERT_TRUE(ben.peer->sendRtcp(buildNack(0xbeef, 5001, std::vector<std::uint16_t>{lost})));
        pump();
    }
    ASSERT_EQ(ben.rtp.size(), 6u);
    for (int round = 0; round < 2; ++round) {
        auto rtx = RtpPacket::parse(ben.rtp[4 + round]);
        EXPECT_EQ(rtx->ssrc(), 5002u);
        EXPECT_EQ(rtx->payloadType(), 97);
        EXPECT_EQ(rtx->sequenceNumber(), round);  // the RTX stream's own numbering
        const auto unwrapped = parseRtxPayload(*rtx);
        ASSERT_TRUE(unwrapped);
        EXPECT_EQ(unwrapped->originalSequenceNumber, lost);
        ASSERT_EQ(unwrapped->originalPayload.size(), 204u);
        EXPECT_EQ(unwrapped->originalPayload[10], 0x12);
    }
    EXPECT_EQ(router.subscriptionStats(5001)->retransmitted, 2u);
}

TEST_F(RoomRouting, ThePublishersOwnRoundTripPacesTheNacksItGets) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.publish({"ben", 2222, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    ASSERT_TRUE(ann.peer->sendRtp(videoPacket(1111, 1, 0, 1)));
    RtcpSenderReport sr;
    sr.senderSsrc = 1111;
    sr.ntpTimestamp = ntpFromUnixMicros(1'765'000'000'000'000);
    ASSERT_TRUE(ann.peer->sendRtcp(buildSenderReport(sr)));
    pump();
    now += 50;  // Ben's report about Ann's stream, straight back: a 50 ms round trip to Ben
    RtcpReceiverReport rr;
    rr.senderSsrc = 0xbeef;
    rr.reports.push_back({5001, 0, 0, 0, 0, compactNtp(sr.ntpTimestamp), 0});
    ASSERT_TRUE(ben.peer->sendRtcp(buildReceiverReport(rr)));
    pump();
    ASSERT_EQ(router.subscriptionStats(5001)->rttMs, 50);

    // Ben's own camera loses a packet: asked at once, then again after his 50 ms round trip
    // (not the 100 ms used while it is unknown).
    ASSERT_TRUE(ben.peer->sendRtp(videoPacket(2222, 1, 0, 1)));
    ASSERT_TRUE(ben.peer->sendRtp(videoPacket(2222, 3, 0, 1, false)));
    pump();
    router.handleTimeout(now);
    pump();
    EXPECT_EQ(ben.received<RtcpNack>().size(), 1u);
    now += 30;
    router.handleTimeout(now);
    pump();
    EXPECT_EQ(ben.received<RtcpNack>().size(), 1u);
    now += 30;
    router.handleTimeout(now);
    pump();
    ASSERT_EQ(ben.received<RtcpNack>().size(), 2u);
    EXPECT_EQ(ben.received<RtcpNack>()[1].lostSequenceNumbers, std::vector<std::uint16_t>{2});
}

namespace {

std::vector<std::uint16_t> routedSeqsOf(const std::vector<std::vector<std::uint8_t>>& packets) {
    std::vector<std::uint16_t> out;
    for (auto p : packets) out.push_back(RtpPacket::parse(p)->sequenceNumber());
    return out;
}

}  // namespace

TEST_F(RoomRouting, APausedSubscriptionGetsNothingAndResumesContinuousFromAKeyframe) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    auto& cat = join("cat");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    router.subscribe({"cat", 1111, 6001, 96}, now);
    std::uint16_t seq = 100;
    auto send = [&](bool keyframe) { sendVideo(ann, 1111, seq, keyframe); };
    send(true);
    send(false);
    ASSERT_EQ(ben.rtp.size(), 2u);

    router.setPaused(5001, true, now);
    EXPECT_TRUE(router.paused(5001));
    for (int i = 0; i < 20; ++i) send(false);
    EXPECT_EQ(ben.rtp.size(), 2u);   // nothing while paused
    EXPECT_EQ(cat.rtp.size(), 22u);  // the others get everything
    EXPECT_EQ(router.counters().pausedDropped, 20u);

    const auto plisBefore = ann.plis().size();
    now += 1000;  // past the keyframe throttle
    router.setPaused(5001, false, now);
    pump();
    EXPECT_EQ(ann.plis().size(), plisBefore + 1);  // the picture is to start at once
    send(false);  // the rest of a frame Ben's decoder could not use: held back
    EXPECT_EQ(ben.rtp.size(), 2u);
    send(true);
    send(false);
    ASSERT_EQ(ben.rtp.size(), 4u);
    const auto seqs = routedSeqsOf(ben.rtp);
    for (std::size_t i = 1; i < seqs.size(); ++i) {
        EXPECT_EQ(seqs[i], static_cast<std::uint16_t>(seqs[i - 1] + 1)) << "no gap for Ben to NACK";
    }
    // Audio and other subscriptions are untouched; pausing an unknown SSRC does nothing.
    router.setPaused(4242, true, now);
    EXPECT_EQ(cat.rtp.size(), 25u);
}

TEST_F(RoomRouting, ASubscriptionMadePausedAsksForNoKeyframeUntilResumed) {
    auto& ann = join("ann");
    join("ben");
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    Subscription paused{"ben", 1111, 5001, 96};
    paused.paused = true;
    router.subscribe(paused, now);
    pump();
    EXPECT_TRUE(ann.plis().empty());
    router.setPaused(5001, false, now);
    pump();
    EXPECT_EQ(ann.plis().size(), 1u);
}

TEST_F(RoomRouting, ASubscriberStillConnectingGetsVideoFromAKeyframeAskedForOnceItIsConnected) {
    auto& ann = join("ann");
    auto& ben = join("ben", false);
    router.publish({"ann", 1111, MediaCodec::Vp8, 90000, true});
    router.subscribe({"ben", 1111, 5001, 96}, now);
    pump();
    EXPECT_TRUE(ann.plis().empty()) << "a keyframe now would reach nobody";
    std::uint16_t seq = 100;
    auto send = [&](bool keyframe) { sendVideo(ann, 1111, seq, keyframe); };
    send(true);
    send(false);
    EXPECT_EQ(router.counters().forwarded, 0u);

    ben.peer->start(now);
    pump();
    ASSERT_TRUE(ben.peer->connected());
    EXPECT_EQ(ann.plis().size(), 1u) << "asked for as Ben connects";
    send(false);  // the middle of a frame Ben could not decode
    EXPECT_TRUE(ben.rtp.empty());
    send(true);
    send(false);
    ASSERT_EQ(ben.rtp.size(), 2u);
    const auto seqs = routedSeqsOf(ben.rtp);
    EXPECT_EQ(seqs[1], static_cast<std::uint16_t>(seqs[0] + 1));
}

TEST_F(RoomRouting, AudioLevelsInThePublishersPacketsPickTheActiveSpeaker) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    std::vector<std::string> speakers;
    router.onActiveSpeaker([&](const std::string& who) { speakers.push_back(who); });
    for (auto [who, ssrc] : {std::pair{"ann", 2221u}, std::pair{"ben", 2222u}}) {
        PublishedStream audio{who, ssrc, MediaCodec::Opus, 48000, false};
        audio.audioLevelExtension = 1;
        router.publish(audio);
    }
    auto talk = [&](RoomPerson& p, std::uint32_t ssrc, std::uint8_t level, int packets) {
        for (int i = 0; i < packets; ++i) {
            RtpHeaderFields header;
            header.payloadType = 111;
            header.sequenceNumber = static_cast<std::uint16_t>(now / 20);
            header.timestamp = static_cast<std::uint32_t>(now * 48);
            header.ssrc = ssrc;
            const std::vector<RtpExtensionValue> level1{{1, {static_cast<std::uint8_t>(0x80 | level)}}};
            ASSERT_TRUE(p.peer->sendRtp(*buildRtpPacket(header, level1, std::vector<std::uint8_t>(40, 1))));
            pump();
            now += 20;
        }
    };
    talk(ann, 2221, 127, 50);  // silence picks nobody
    EXPECT_TRUE(speakers.empty());
    talk(ben, 2222, 20, 50);  // a second of speech
    ASSERT_EQ(speakers, std::vector<std::string>{"ben"});
    EXPECT_EQ(router.activeSpeaker(), "ben");
    router.detach("ben");  // gone: no longer the speaker
    EXPECT_FALSE(router.activeSpeaker());
    router.attach("ben", *ben.transport);
}

// The media report (what diagnostics show): per stream what reached the server, per subscription
// what went to that subscriber and what it asked for, bit rates over the interval between two
// reports on the injected clock.
TEST_F(RoomRouting, TheReportCountsEachStreamAndEachSubscriptionWithBitRatesOverTheInterval) {
    auto& ann = join("ann");
    auto& ben = join("ben");
    join("cat");
    PublishedStream camera{"ann", 1111, MediaCodec::Vp8, 90000, true};
    camera.source = "camera";
    router.publish(camera);
    router.subscribe({"ben", 1111, 5001, 96}, now);
    pump();
    const std::int64_t start = now;
    std::uint64_t sentBytes = 0;
    for (std::uint16_t i = 0; i < 10; ++i) {
        const auto packet = videoPacket(1111, 100 + i, 3000 * i, 0x20);
        sentBytes += packet.size();
        ASSERT_TRUE(ann.peer->sendRtp(packet));
    }
    pump();
    ASSERT_TRUE(ben.peer->sendRtcp(buildNack(0xbeef, 5001, std::vector<std::uint16_t>{
                                                              RtpPacket::parse(ben.rtp[3])->sequenceNumber()})));
    ASSERT_TRUE(ben.peer->sendRtcp(buildPli(0xbeef, 5001)));
    pump();

    now = start + 500;
    auto report = router.report(now);
    ASSERT_EQ(report.streams.size(), 1u);
    const auto& stream = report.streams[0];
    EXPECT_EQ(stream.publisher, "ann");
    EXPECT_EQ(stream.source, "camera");
    EXPECT_EQ(stream.kind, "video");
    EXPECT_EQ(stream.ssrc, 1111u);
    EXPECT_EQ(stream.packets, 10u);
    EXPECT_EQ(stream.bytes, sentBytes);  // as they arrived, before the extensions are stripped
    EXPECT_EQ(stream.bitsPerSecond, sentBytes * 8 * 1000 / 500);
    EXPECT_EQ(stream.keyframeRequestsSent, 1u);  // Ben's subscription asked; his PLI was merged into it
    EXPECT_EQ(stream.subscribers, 1u);
    ASSERT_TRUE(stream.lossPercent);  // measured on the way in: ten in a row, none lost
    EXPECT_EQ(*stream.lossPercent, 0.0);
    ASSERT_EQ(stream.subscriptions.size(), 1u);
    const auto& toBen = stream.subscriptions[0];
    EXPECT_EQ(toBen.subscriber, "ben");
    EXPECT_EQ(toBen.ssrc, 5001u);
    EXPECT_EQ(toBen.packets, 10u);  // forwarded; the resend is counted as retransmitted
    EXPECT_EQ(toBen.nacksReceived, 1u);
    EXPECT_EQ(toBen.retransmitted, 1u);
    EXPECT_EQ(toBen.plisReceived, 1u);
    EXPECT_EQ(toBen.firsReceived, 0u);
    // Ten forwarded without the 8-byte extension block; the resend is not counted as forwarded bytes.
    EXPECT_EQ(toBen.bytes, sentBytes - 10 * 8);
    EXPECT_EQ(toBen.bitsPerSecond, toBen.bytes * 8 * 1000 / 500);

    // Nothing more arrives: the next interval's rate is zero while the totals stay.
    now += 500;
    report = router.report(now);
    EXPECT_EQ(report.streams[0].packets, 10u);
    EXPECT_EQ(report.streams[0].bitsPerSecond, 0u);
    EXPECT_EQ(report.streams[0].subscriptions[0].bitsPerSecond, 0u);
}

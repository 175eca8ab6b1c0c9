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

    std::vector<RtcpPli> plis() const {
        std::vector<RtcpPli> out;
        for (const auto& packet : rtcp) {
            const auto compound = parseRtcpCompound(packet);
            if (!compound) continue;
            for (const auto& item : compound->items) {
                if (auto* pli = std::get_if<RtcpPli>(&item)) out.push_back(*pli);
            }
        }
        return out;
    }
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

    RoomPerson& join(const std::string& id) {
        auto person = std::make_unique<RoomPerson>();
        person->id = id;
        person->address = TransportAddress::ipv4({127, 0, 0, 1}, static_cast<std::uint16_t>(40000 + people.size()));
        const IceCredentials server = generateIceCredentials();
        person->transport =
            WebRtcTransport::create(id, server, person->ice.ufrag, serverCert, person->cert.fingerprint(), *this, now);
        person->peer = WebRtcTestPeer::create(person->ice, server, person->cert, serverCert.fingerprint(), *person);
        demux.add(*person->transport);
        router.attach(id, *person->transport);
        person->peer->start(now);
        people.push_back(std::move(person));
        pump();
        EXPECT_TRUE(people.back()->peer->connected());
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
    void onConnected(WebRtcTransport&) override {}
    void onRtp(WebRtcTransport& t, std::vector<std::uint8_t>& p) override { router.onRtp(person(t).id, p, now); }
    void onRtcp(WebRtcTransport& t, std::vector<std::uint8_t>& p) override { router.onRtcp(person(t).id, p, now); }
    void onClosed(WebRtcTransport&, std::string_view) override {}

    static std::vector<std::uint8_t> videoPacket(std::uint32_t ssrc, std::uint16_t seq, std::uint32_t ts,
                                                 std::uint8_t fill) {
        RtpHeaderFields header;
        header.payloadType = 120;
        header.sequenceNumber = seq;
        header.timestamp = ts;
        header.ssrc = ssrc;
        const std::vector<RtpExtensionValue> extensions{{3, {0x12, 0x34}}};  // the publisher's ids
        std::vector<std::uint8_t> payload{0x90, 0x80, 0x01, 0x00};        // VP8: X, S, PictureID
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
    EXPECT_FALSE(stream.lossPercent);  // not measured here: absent, not zero
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

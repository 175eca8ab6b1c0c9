// The media plane over real UDP on 127.0.0.1: worker threads with their own ports, transports
// opened by posted commands, and test peers (playing browsers) that connect with ICE, DTLS and
// SRTP and exchange media through the server. Runs under ThreadSanitizer too.
#include "media/media_plane.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "media/rtp_packet.hpp"
#include "udp_test_peer.hpp"

using namespace parley::media;
namespace asio = boost::asio;
using asio::ip::udp;

namespace {

using parley::media::testing::serveUntil;
using parley::media::testing::UdpTestPeer;

std::vector<std::uint8_t> videoPacket(std::uint16_t seq) {
    RtpHeaderFields header;
    header.payloadType = 120;
    header.sequenceNumber = seq;
    header.timestamp = seq * 3000u;
    header.ssrc = 1111;
    std::vector<std::uint8_t> payload{0x10, 0x00, 0x9d, 0x01, 0x2a};
    payload.insert(payload.end(), 300, static_cast<std::uint8_t>(seq));
    return *buildRtpPacket(header, {}, payload);
}

}  // namespace

TEST(MediaPlane, PeersOnRealUdpConnectAndMediaGoesThroughTheServer) {
    MediaPlaneConfig config;
    config.bindAddress = "127.0.0.1";
    config.workers = 2;
    MediaPlane plane(config);
    plane.start();
    ASSERT_NE(plane.portOf(0), plane.portOf(1));

    UdpTestPeer ann, ben;
    const IceCredentials annServer = generateIceCredentials(), benServer = generateIceCredentials();
    const std::uint16_t port = plane.pin("r1");
    plane.openTransport("r1", "ann", annServer, ann.ice().ufrag, ann.certificate().fingerprint());
    plane.openTransport("r1", "ben", benServer, ben.ice().ufrag, ben.certificate().fingerprint());
    plane.publish("r1", {"ann", 1111, MediaCodec::Vp8, 90000, true});
    plane.subscribe("r1", {"ben", 1111, 5001, 96});
    ann.connect(port, annServer, plane.certificate().fingerprint());
    ben.connect(port, benServer, plane.certificate().fingerprint());
    ASSERT_TRUE(serveUntil({&ann, &ben}, [&] { return ann.connected() && ben.connected(); }));

    for (std::uint16_t seq = 0; seq < 50; ++seq) ASSERT_TRUE(ann.peer().sendRtp(videoPacket(seq)));
    ASSERT_TRUE(serveUntil({&ann, &ben}, [&] { return ben.rtp.size() >= 50; })) << ben.rtp.size();
    std::optional<std::uint16_t> previous;
    for (auto& bytes : ben.rtp) {
        auto packet = RtpPacket::parse(bytes);
        ASSERT_TRUE(packet);
        EXPECT_EQ(packet->ssrc(), 5001u);
        if (previous) {
            EXPECT_EQ(packet->sequenceNumber(), static_cast<std::uint16_t>(*previous + 1));
        }
        previous = packet->sequenceNumber();
    }
    // The workers report their counters within half a second.
    EXPECT_TRUE(serveUntil({&ann, &ben}, [&] { return plane.counters().forwarded >= 50; }));
    const auto counters = plane.counters();
    EXPECT_EQ(counters.connectedTransports, 2u);
    EXPECT_EQ(counters.streams, 1u);
    EXPECT_EQ(counters.subscriptions, 1u);
    EXPECT_GE(counters.keyframeRequests, 1u);  // Ben's subscription asked Ann for a keyframe
    // So do they the room's media report, read here without waiting for the worker.
    EXPECT_FALSE(plane.report("no-such-room"));
    EXPECT_TRUE(serveUntil({&ann, &ben}, [&] {
        const auto report = plane.report("r1");
        return report && report->streams.size() == 1 && report->streams[0].packets == 50 &&
               !report->streams[0].subscriptions.empty() && report->streams[0].subscriptions[0].packets == 50;
    }));
    const auto report = *plane.report("r1");
    EXPECT_EQ(report.intervalMs, 500);
    ASSERT_EQ(report.participants.size(), 2u);
    EXPECT_EQ(report.participants[0].participant, "ann");
    EXPECT_EQ(report.participants[0].state, "connected");
    EXPECT_TRUE(report.participants[0].remoteAddress.starts_with("127.0.0.1:"));
    EXPECT_EQ(report.streams[0].subscriptions[0].subscriber, "ben");

    plane.closeTransport("r1", "ann");
    EXPECT_TRUE(serveUntil({&ben}, [&] { return plane.counters().transports == 1; }));
    plane.stop();
}

TEST(MediaPlane, RoomsAreSpreadOverTheWorkersAndEachStaysOnItsOwn) {
    MediaPlaneConfig config;
    config.bindAddress = "127.0.0.1";
    config.workers = 2;
    MediaPlane plane(config);
    const std::uint16_t first = plane.pin("a");
    const std::uint16_t second = plane.pin("b");
    EXPECT_NE(first, second);
    EXPECT_EQ(plane.pin("a"), first);
    plane.unpin("a");
    EXPECT_EQ(plane.pin("c"), first);
}

// The media plane over real UDP on 127.0.0.1: worker threads with their own ports, transports
// opened by posted commands, and test peers (playing browsers) that connect with ICE, DTLS and
// SRTP and exchange media through the server. Runs under ThreadSanitizer too.
#include "media/media_plane.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <gtest/gtest.h>
#include <poll.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "media/rtp_packet.hpp"
#include "webrtc_test_peer.hpp"

using namespace parley::media;
using parley::media::testing::WebRtcTestPeer;
namespace asio = boost::asio;
using asio::ip::udp;

namespace {

std::int64_t steadyMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// A test peer on its own UDP socket, talking to one server port.
struct UdpPeer : WebRtcTestPeer::Listener {
    asio::io_context io;
    udp::socket socket{io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
    udp::endpoint server;
    IceCredentials ice = generateIceCredentials();
    IceCredentials serverIce = generateIceCredentials();
    DtlsCertificate cert = *DtlsCertificate::generate(1'800'000'000);
    std::unique_ptr<WebRtcTestPeer> peer;
    std::vector<std::vector<std::uint8_t>> rtp;

    void connectTo(std::uint16_t port, const CertificateFingerprint& serverFingerprint) {
        server = udp::endpoint(asio::ip::make_address("127.0.0.1"), port);
        peer = WebRtcTestPeer::create(ice, serverIce, cert, serverFingerprint, *this);
        peer->start(steadyMs());
    }
    void sendDatagram(std::span<const std::uint8_t> d) override {
        socket.send_to(asio::buffer(d.data(), d.size()), server);
    }
    void onRtp(std::vector<std::uint8_t>& p) override { rtp.push_back(p); }

    // Reads what has arrived (waiting up to `waitMs` for the first datagram) and runs timers.
    void serve(int waitMs) {
        pollfd fd{socket.native_handle(), POLLIN, 0};
        if (::poll(&fd, 1, waitMs) > 0) {
            std::array<std::uint8_t, 2048> buffer{};
            while (socket.available() > 0) {
                udp::endpoint from;
                const std::size_t n = socket.receive_from(asio::buffer(buffer), from);
                peer->receive(std::span<const std::uint8_t>(buffer.data(), n), steadyMs());
            }
        }
        if (auto due = peer->nextTimeoutMs(); due && *due <= steadyMs()) peer->handleTimeout(steadyMs());
    }
};

// Serves every peer until `done` holds, for at most 10 s (a bound, not a pace: each round
// waits only until a datagram arrives).
template <class Done>
bool serveUntil(std::vector<UdpPeer*> peers, Done done) {
    const std::int64_t deadline = steadyMs() + 10'000;
    while (steadyMs() < deadline) {
        if (done()) return true;
        for (UdpPeer* p : peers) p->serve(5);
    }
    return done();
}

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

    UdpPeer ann, ben;
    const std::uint16_t port = plane.pin("r1");
    plane.openTransport("r1", "ann", ann.serverIce, ann.ice.ufrag, ann.cert.fingerprint());
    plane.openTransport("r1", "ben", ben.serverIce, ben.ice.ufrag, ben.cert.fingerprint());
    plane.publish("r1", {"ann", 1111, MediaCodec::Vp8, 90000, true});
    plane.subscribe("r1", {"ben", 1111, 5001, 96});
    ann.connectTo(port, plane.certificate().fingerprint());
    ben.connectTo(port, plane.certificate().fingerprint());
    ASSERT_TRUE(serveUntil({&ann, &ben}, [&] { return ann.peer->connected() && ben.peer->connected(); }));

    for (std::uint16_t seq = 0; seq < 50; ++seq) ASSERT_TRUE(ann.peer->sendRtp(videoPacket(seq)));
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

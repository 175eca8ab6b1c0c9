// A server transport and the C++ test peer that plays a browser, wired together in memory
// through the port demultiplexer: ICE-lite, DTLS and SRTP end to end, then the ways it must
// refuse (a stranger's address, a wrong certificate, a wrong password) and let go (consent).
#include "media/webrtc_transport.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <string>
#include <vector>

#include "media/port_demux.hpp"
#include "webrtc_test_peer.hpp"

using namespace parley::media;
using parley::media::testing::WebRtcTestPeer;

namespace {

constexpr std::int64_t kStartMs = 1'000'000;

std::vector<std::uint8_t> plainRtp(std::uint16_t seq, std::uint32_t ssrc, std::uint8_t fill) {
    std::vector<std::uint8_t> p{0x80, 96, static_cast<std::uint8_t>(seq >> 8), static_cast<std::uint8_t>(seq),
                                0, 0, 0x12, 0x34,
                                static_cast<std::uint8_t>(ssrc >> 24), static_cast<std::uint8_t>(ssrc >> 16),
                                static_cast<std::uint8_t>(ssrc >> 8), static_cast<std::uint8_t>(ssrc)};
    p.insert(p.end(), 100, fill);
    return p;
}

TransportAddress loopback(std::uint16_t port) { return TransportAddress::ipv4({127, 0, 0, 1}, port); }

}  // namespace

struct TransportPair : ::testing::Test, WebRtcTransport::Listener, WebRtcTestPeer::Listener {
    std::int64_t now = kStartMs;
    DtlsCertificate serverCert = *DtlsCertificate::generate(1'800'000'000);
    DtlsCertificate peerCert = *DtlsCertificate::generate(1'800'000'000);
    IceCredentials serverIce = generateIceCredentials();
    IceCredentials peerIce = generateIceCredentials();
    TransportAddress peerAddress = loopback(50000);
    PortDemux demux;
    std::unique_ptr<WebRtcTransport> server;
    std::unique_ptr<WebRtcTestPeer> peer;

    std::deque<std::vector<std::uint8_t>> toServer, toPeer;
    std::vector<TransportAddress> serverSentTo;
    std::vector<std::vector<std::uint8_t>> serverRtp, peerRtp;
    bool serverConnected = false, peerConnected = false;
    std::string serverClosed, peerFailed;

    void SetUp() override {}
    void TearDown() override {
        if (server) demux.remove(*server);
    }

    void open(std::optional<CertificateFingerprint> expected = std::nullopt, std::string serverPwdForPeer = {}) {
        server = WebRtcTransport::create("t1", serverIce, peerIce.ufrag, serverCert,
                                         expected ? *expected : peerCert.fingerprint(), *this, now);
        ASSERT_TRUE(server);
        demux.add(*server);
        IceCredentials seenByPeer = serverIce;
        if (!serverPwdForPeer.empty()) seenByPeer.pwd = serverPwdForPeer;
        peer = WebRtcTestPeer::create(peerIce, seenByPeer, peerCert, serverCert.fingerprint(), *this);
        ASSERT_TRUE(peer);
        peer->start(now);
    }
    // Delivers queued datagrams until none are left (bounded: a loop would be a bug).
    void pump(TransportAddress from) {
        for (int i = 0; i < 1000 && (!toServer.empty() || !toPeer.empty()); ++i) {
            if (!toServer.empty()) {
                auto d = std::move(toServer.front());
                toServer.pop_front();
                demux.route(d, from, now);
            }
            if (!toPeer.empty()) {
                auto d = std::move(toPeer.front());
                toPeer.pop_front();
                peer->receive(d, now);
            }
        }
        ASSERT_TRUE(toServer.empty() && toPeer.empty()) << "the exchange never settled";
    }
    void pump() { pump(peerAddress); }

    // Server side.
    void sendDatagram(std::span<const std::uint8_t> d, const TransportAddress& to) override {
        serverSentTo.push_back(to);
        toPeer.emplace_back(d.begin(), d.end());
    }
    void onAddressAuthenticated(WebRtcTransport& t, const TransportAddress& from) override { demux.learn(t, from); }
    void onConnected(WebRtcTransport&) override { serverConnected = true; }
    void onRtp(WebRtcTransport&, std::vector<std::uint8_t>& p) override { serverRtp.push_back(p); }
    void onRtcp(WebRtcTransport&, std::vector<std::uint8_t>&) override {}
    void onClosed(WebRtcTransport&, std::string_view reason) override { serverClosed = reason; }
    // Peer side.
    void sendDatagram(std::span<const std::uint8_t> d) override { toServer.emplace_back(d.begin(), d.end()); }
    void onConnected() override { peerConnected = true; }
    void onRtp(std::vector<std::uint8_t>& p) override { peerRtp.push_back(p); }
    void onFailed(std::string_view reason) override { peerFailed = reason; }
};

TEST_F(TransportPair, ConnectsAndCarriesMediaBothWays) {
    open();
    pump();
    ASSERT_TRUE(serverConnected);
    ASSERT_TRUE(peerConnected);
    EXPECT_EQ(server->selectedAddress(), peerAddress);

    const auto sent = plainRtp(7, 0x11223344, 0xab);
    ASSERT_TRUE(peer->sendRtp(sent));
    pump();
    ASSERT_EQ(serverRtp.size(), 1u);
    EXPECT_EQ(serverRtp[0], sent);  // decrypted to exactly what the peer protected

    auto back = plainRtp(9, 0x55667788, 0xcd);
    const auto original = back;
    ASSERT_TRUE(server->sendRtp(back));
    EXPECT_NE(back, original);  // encrypted in place before it left
    pump();
    ASSERT_EQ(peerRtp.size(), 1u);
    EXPECT_EQ(peerRtp[0], original);
    EXPECT_EQ(server->counters().rtpIn, 1u);
    EXPECT_EQ(server->counters().rtpOut, 1u);
    EXPECT_EQ(serverSentTo.back(), peerAddress);
}

TEST_F(TransportPair, MediaFromAnAddressNoCheckVouchedForIsDropped) {
    open();
    pump();
    ASSERT_TRUE(serverConnected);
    ASSERT_TRUE(peer->sendRtp(plainRtp(1, 1, 1)));
    pump(loopback(40000));  // the right keys, from a port that never passed a check
    EXPECT_TRUE(serverRtp.empty());
    EXPECT_EQ(demux.counters().unknownAddress, 1u);
}

TEST_F(TransportPair, AForgedPacketFromTheRightAddressFailsAuthentication) {
    open();
    pump();
    auto forged = plainRtp(2, 1, 1);
    forged.insert(forged.end(), 10, 0);  // the length of an auth tag, but no key behind it
    toServer.push_back(forged);
    pump();
    EXPECT_TRUE(serverRtp.empty());
    EXPECT_EQ(server->counters().srtpFailures, 1u);
}

TEST_F(TransportPair, ACertificateOtherThanTheSdpSaidEndsTheTransport) {
    open(serverCert.fingerprint());  // the server expects a fingerprint the peer does not have
    pump();
    EXPECT_FALSE(serverConnected);
    EXPECT_FALSE(serverClosed.empty());
    EXPECT_TRUE(server->closed());
    std::vector<std::uint8_t> media = plainRtp(1, 1, 1);
    EXPECT_FALSE(server->sendRtp(media));
}

TEST_F(TransportPair, ChecksWithTheWrongPasswordGetNoPath) {
    open(std::nullopt, "not-the-servers-password-at-all");
    pump();
    EXPECT_FALSE(serverConnected);
    EXPECT_FALSE(server->selectedAddress().has_value());
    // The 401 went back to the source, but the address was never vouched for.
    ASSERT_TRUE(peer->sendRtp(plainRtp(1, 1, 1)) == false);
    toServer.push_back(plainRtp(1, 1, 1));
    pump();
    EXPECT_EQ(demux.counters().unknownAddress, 1u);
}

TEST_F(TransportPair, ConsentLapsesWhenThePeerFallsSilent) {
    open();
    pump();
    ASSERT_TRUE(serverConnected);
    // The peer keeps consent fresh while it runs its timers.
    for (int i = 0; i < 40; ++i) {
        now += 1000;
        peer->handleTimeout(now);
        server->handleTimeout(now);
        pump();
    }
    EXPECT_TRUE(serverClosed.empty());
    // Then it goes quiet (a closed laptop): after 30 s the server lets the transport go.
    for (int i = 0; i < 31 && serverClosed.empty(); ++i) {
        now += 1000;
        server->handleTimeout(now);
    }
    EXPECT_NE(serverClosed.find("consent"), std::string::npos) << serverClosed;
}

TEST_F(TransportPair, ALostServerFlightIsSentAgainOnTheInjectedClock) {
    open();
    auto take = [](std::deque<std::vector<std::uint8_t>>& q) {
        auto d = std::move(q.front());
        q.pop_front();
        return d;
    };
    demux.route(take(toServer), peerAddress, now);  // the check
    peer->receive(take(toPeer), now);                // its answer: the peer starts DTLS
    demux.route(take(toServer), peerAddress, now);  // the ClientHello
    ASSERT_FALSE(toPeer.empty());
    toPeer.clear();  // the server's flight is lost on the way
    pump();
    ASSERT_FALSE(peerConnected);
    for (int i = 0; i < 40 && !(peerConnected && serverConnected); ++i) {
        now += 250;
        server->handleTimeout(now);
        peer->handleTimeout(now);
        pump();
    }
    EXPECT_TRUE(peerConnected);
    EXPECT_TRUE(serverConnected);
}

TEST_F(TransportPair, OverTcpTheConnectionIsThePathAndUdpFromTheSameNumbersIsAStranger) {
    peerAddress = loopback(50000).withProtocol(TransportAddress::Protocol::Tcp);
    open();
    pump();
    ASSERT_TRUE(serverConnected);
    EXPECT_EQ(server->selectedAddress(), peerAddress);
    EXPECT_EQ(serverSentTo.back(), peerAddress);  // replies go back on the connection
    // The same IP and port over UDP never passed a check: its media is dropped.
    ASSERT_TRUE(peer->sendRtp(plainRtp(1, 1, 1)));
    pump(loopback(50000));
    EXPECT_TRUE(serverRtp.empty());
    EXPECT_EQ(demux.counters().unknownAddress, 1u);
    ASSERT_TRUE(peer->sendRtp(plainRtp(2, 1, 1)));
    pump();
    EXPECT_EQ(serverRtp.size(), 1u);
}

TEST_F(TransportPair, AClosedTcpConnectionEndsThePath) {
    peerAddress = loopback(50000).withProtocol(TransportAddress::Protocol::Tcp);
    open();
    pump();
    ASSERT_TRUE(serverConnected);
    EXPECT_EQ(demux.forget(peerAddress), server.get());
    EXPECT_EQ(demux.forget(peerAddress), nullptr);
    demux.learn(*server, peerAddress);
    // Removing a transport names the paths it had (its TCP connections are then closed).
    EXPECT_EQ(demux.remove(*server), std::vector<TransportAddress>{peerAddress});
    demux.add(*server);
    server->pathClosed(peerAddress, now);
    EXPECT_FALSE(server->selectedAddress());
    std::vector<std::uint8_t> media = plainRtp(3, 1, 1);
    EXPECT_FALSE(server->sendRtp(media));  // nowhere to send: not queued for a dead path
    ASSERT_TRUE(peer->sendRtp(plainRtp(4, 1, 1)));
    pump();
    EXPECT_TRUE(serverRtp.empty());  // a new connection from the same numbers is not vouched for
}

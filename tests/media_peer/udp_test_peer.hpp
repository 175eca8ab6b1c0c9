#pragma once
// A WebRtcTestPeer on a UDP socket of its own, talking to one server port on 127.0.0.1, and a
// bounded loop that serves several of them until a condition holds. For tests of the media
// plane in-process and of the real server process.
//
// With Path::Tcp it plays a browser on a network that blocks UDP: it connects to the server's
// TCP port of the same number (the passive ICE-TCP candidate) and frames its STUN, DTLS, SRTP
// and SRTCP as RFC 4571 says.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/udp.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "media/dtls_certificate.hpp"
#include "media/ice_credentials.hpp"
#include "media/tcp_framing.hpp"
#include "webrtc_test_peer.hpp"

namespace parley::media::testing {

std::int64_t steadyNowMs();

class UdpTestPeer : private WebRtcTestPeer::Listener {
public:
    enum class Path { Udp, Tcp };
    explicit UdpTestPeer(Path path = Path::Udp);

    // The peer's own ICE credentials and certificate (what its SDP says).
    const IceCredentials& ice() const { return ice_; }
    const DtlsCertificate& certificate() const { return certificate_; }

    // Starts ICE towards the server's media port, with the server's credentials and fingerprint.
    void connect(std::uint16_t port, const IceCredentials& server, const CertificateFingerprint& serverFingerprint);
    bool connected() const { return peer_ && peer_->connected(); }
    WebRtcTestPeer& peer() { return *peer_; }

    // Reads what has arrived (waiting up to `waitMs` for it) and runs the peer's timers.
    void serve(int waitMs);

    // Tcp only: writes raw bytes on the connection (after connect()), unframed.
    void sendRaw(std::span<const std::uint8_t> bytes);
    // Tcp only: the server closed the connection (or it broke).
    bool tcpClosed() const { return tcpClosed_; }

    // What arrived, decrypted.
    std::vector<std::vector<std::uint8_t>> rtp;
    std::vector<std::vector<std::uint8_t>> rtcp;
    // A lossy downlink: a datagram from the server for which this says true is dropped before
    // the peer sees it (so SRTP never counts it as received, as with a real loss).
    std::function<bool(std::span<const std::uint8_t>)> dropIncoming;

private:
    void sendDatagram(std::span<const std::uint8_t> datagram) override;
    void onRtp(std::vector<std::uint8_t>& packet) override { rtp.push_back(packet); }
    void onRtcp(std::vector<std::uint8_t>& packet) override { rtcp.push_back(packet); }

    boost::asio::io_context io_;
    boost::asio::ip::udp::socket socket_;
    boost::asio::ip::udp::endpoint server_;
    Path path_;
    boost::asio::ip::tcp::socket tcp_;
    TcpFrameReassembler frames_;
    bool tcpClosed_ = false;
    IceCredentials ice_;
    DtlsCertificate certificate_;
    std::unique_ptr<WebRtcTestPeer> peer_;
};

// Serves the peers until `done()` holds, for at most `limitMs` (a bound, not a pace: each
// round waits only until a datagram arrives, 5 ms at most). Returns done().
bool serveUntil(const std::vector<UdpTestPeer*>& peers, const std::function<bool()>& done,
                std::int64_t limitMs = 10'000);

}  // namespace parley::media::testing

#include "udp_test_peer.hpp"

#include <poll.h>

#include <array>
#include <chrono>

namespace parley::media::testing {

namespace asio = boost::asio;
using asio::ip::udp;

std::int64_t steadyNowMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

namespace {
DtlsCertificate freshCertificate() {
    using namespace std::chrono;
    return std::move(*DtlsCertificate::generate(duration_cast<seconds>(system_clock::now().time_since_epoch()).count()));
}
}  // namespace

UdpTestPeer::UdpTestPeer()
    : socket_(io_, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      ice_(generateIceCredentials()),
      certificate_(freshCertificate()) {}

void UdpTestPeer::connect(std::uint16_t port, const IceCredentials& server,
                          const CertificateFingerprint& serverFingerprint) {
    server_ = udp::endpoint(asio::ip::make_address("127.0.0.1"), port);
    peer_ = WebRtcTestPeer::create(ice_, server, certificate_, serverFingerprint, *this);
    peer_->start(steadyNowMs());
}

void UdpTestPeer::sendDatagram(std::span<const std::uint8_t> datagram) {
    boost::system::error_code ignored;
    socket_.send_to(asio::buffer(datagram.data(), datagram.size()), server_, 0, ignored);
}

void UdpTestPeer::serve(int waitMs) {
    if (!peer_) return;
    pollfd fd{socket_.native_handle(), POLLIN, 0};
    if (::poll(&fd, 1, waitMs) > 0) {
        std::array<std::uint8_t, 2048> buffer{};
        while (socket_.available() > 0) {
            udp::endpoint from;
            const std::size_t n = socket_.receive_from(asio::buffer(buffer), from);
            const std::span<const std::uint8_t> datagram(buffer.data(), n);
            if (!dropIncoming || !dropIncoming(datagram)) peer_->receive(datagram, steadyNowMs());
        }
    }
    if (auto due = peer_->nextTimeoutMs(); due && *due <= steadyNowMs()) peer_->handleTimeout(steadyNowMs());
}

bool serveUntil(const std::vector<UdpTestPeer*>& peers, const std::function<bool()>& done, std::int64_t limitMs) {
    const std::int64_t deadline = steadyNowMs() + limitMs;
    while (steadyNowMs() < deadline) {
        if (done()) return true;
        for (UdpTestPeer* p : peers) p->serve(5);
    }
    return done();
}

}  // namespace parley::media::testing

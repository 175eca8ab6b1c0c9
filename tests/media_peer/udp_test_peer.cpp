#include "udp_test_peer.hpp"

#include <poll.h>

#include <boost/asio/write.hpp>

#include <array>
#include <chrono>

namespace parley::media::testing {

namespace asio = boost::asio;
using asio::ip::tcp;
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

UdpTestPeer::UdpTestPeer(Path path)
    : socket_(io_, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)),
      path_(path),
      tcp_(io_),
      ice_(generateIceCredentials()),
      certificate_(freshCertificate()) {}

void UdpTestPeer::connect(std::uint16_t port, const IceCredentials& server,
                          const CertificateFingerprint& serverFingerprint) {
    server_ = udp::endpoint(asio::ip::make_address("127.0.0.1"), port);
    if (path_ == Path::Tcp) tcp_.connect(tcp::endpoint(server_.address(), port));  // throws if refused
    peer_ = WebRtcTestPeer::create(ice_, server, certificate_, serverFingerprint, *this);
    peer_->start(steadyNowMs());
}

void UdpTestPeer::sendDatagram(std::span<const std::uint8_t> datagram) {
    boost::system::error_code ignored;
    if (path_ == Path::Tcp) {
        std::vector<std::uint8_t> frame;
        if (appendTcpFrame(frame, datagram)) sendRaw(frame);
        return;
    }
    socket_.send_to(asio::buffer(datagram.data(), datagram.size()), server_, 0, ignored);
}

void UdpTestPeer::sendRaw(std::span<const std::uint8_t> bytes) {
    boost::system::error_code ignored;
    if (!tcpClosed_) asio::write(tcp_, asio::buffer(bytes.data(), bytes.size()), ignored);
}

void UdpTestPeer::serve(int waitMs) {
    if (!peer_) return;
    if (path_ == Path::Tcp) {
        pollfd fd{tcp_.native_handle(), POLLIN, 0};
        // Once closed, only wait (the socket would read as ready forever).
        if (::poll(tcpClosed_ ? nullptr : &fd, tcpClosed_ ? 0 : 1, waitMs) > 0) {
            std::array<std::uint8_t, 4096> buffer{};
            boost::system::error_code ec;
            const std::size_t n = tcp_.read_some(asio::buffer(buffer), ec);
            if (ec) {
                tcpClosed_ = true;  // an orderly close reads as eof
            } else {
                frames_.push(std::span<const std::uint8_t>(buffer.data(), n));
                while (auto frame = frames_.next()) {
                    if (!dropIncoming || !dropIncoming(*frame)) peer_->receive(*frame, steadyNowMs());
                }
            }
        }
        if (auto due = peer_->nextTimeoutMs(); due && *due <= steadyNowMs()) peer_->handleTimeout(steadyNowMs());
        return;
    }
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

#include "bench_peer.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstring>
#include <stdexcept>

#include "media/packet_kind.hpp"
#include "media/transport_address.hpp"

namespace parley::bench::sfu {
namespace {

constexpr std::size_t kBatch = 32;
constexpr std::size_t kDatagramBytes = 2048;
// One set of receive buffers for every peer: the tool is one thread, and a peer hands each
// datagram on before the next read.
struct ReadBuffers {
    std::array<std::array<std::uint8_t, kDatagramBytes>, kBatch> data;
    std::array<iovec, kBatch> iov;
    std::array<sockaddr_in, kBatch> from;
    std::array<mmsghdr, kBatch> msgs;
};
ReadBuffers& readBuffers() {
    static ReadBuffers buffers;
    return buffers;
}

sockaddr_in loopback(std::uint16_t port) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

media::DtlsCertificate freshCertificate() {
    using namespace std::chrono;
    auto c = media::DtlsCertificate::generate(duration_cast<seconds>(system_clock::now().time_since_epoch()).count());
    if (!c) throw std::runtime_error("cannot generate a DTLS certificate");
    return std::move(*c);
}

}  // namespace

BenchPeer::BenchPeer(std::array<std::uint8_t, 4> address)
    : localAddress_(address), ice_(media::generateIceCredentials()), certificate_(freshCertificate()) {
    fd_ = ::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error(std::string("socket: ") + std::strerror(errno));
    // Room for a keyframe burst to every subscriber while the tool is busy elsewhere.
    const int size = 1 << 20;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    ::setsockopt(fd_, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    sockaddr_in local = loopback(0);
    std::memcpy(&local.sin_addr.s_addr, address.data(), 4);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
        const std::string why = std::strerror(errno);
        ::close(fd_);
        throw std::runtime_error("bind: " + why);
    }
    socklen_t len = sizeof local;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len);
    localPort_ = ntohs(local.sin_port);
    RAND_bytes(reinterpret_cast<unsigned char*>(&tieBreaker_), sizeof tieBreaker_);
    scratch_.reserve(kDatagramBytes);
}

BenchPeer::~BenchPeer() {
    channel_.reset();
    if (fd_ >= 0) ::close(fd_);
}

void BenchPeer::connect(const RemoteEnd& remote, std::int64_t nowMs) {
    remote_ = remote;
    remoteAddress_ = remote.address;
    remotePort_ = remote.port;
    channel_ = media::DtlsSrtpChannel::create(remote.ourDtlsRole, *certificate_, remote.fingerprint, *this);
    if (!channel_) {
        failed_ = true;
        failure_ = "DTLS set-up failed";
        return;
    }
    sendCheck(nowMs);
}

void BenchPeer::connectPlain(std::uint16_t port) {
    plain_ = true;
    remotePort_ = port;
}

void BenchPeer::send(std::span<const std::uint8_t> datagram) {
    sockaddr_in to = loopback(remotePort_);
    std::memcpy(&to.sin_addr.s_addr, remoteAddress_.data(), 4);
    sendTo(datagram, to);
}

void BenchPeer::sendTo(std::span<const std::uint8_t> datagram, const sockaddr_in& to) {
    if (::sendto(fd_, datagram.data(), datagram.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof to) < 0) {
        ++counters_.sendFailures;
    }
}

void BenchPeer::sendRaw(std::span<const std::uint8_t> bytes) { send(bytes); }

void BenchPeer::sendCheck(std::int64_t nowMs) {
    pendingCheck_ = media::randomTransactionId();
    media::BindingRequestParams check;
    check.username = remote_.ice.ufrag + ":" + ice_.ufrag;
    check.password = remote_.ice.pwd;
    check.priority = 2130706431;  // a host candidate's priority (RFC 8445 5.1.2.1)
    check.controlling = remote_.controlling;
    check.tieBreaker = tieBreaker_;
    check.useCandidate = remote_.controlling;
    ++counters_.checksSent;
    nextCheckMs_ = nowMs + (answered_ ? kConsentIntervalMs : kCheckRetryMs);
    send(media::buildBindingRequest(*pendingCheck_, check));
}

void BenchPeer::onStun(std::span<const std::uint8_t> datagram, const sockaddr_in& from, std::int64_t nowMs) {
    const auto message = media::parseStunMessage(datagram);
    if (!message || message->method != media::kStunMethodBinding) return;
    if (message->messageClass == media::StunClass::Request) {
        // The server's own check (a full agent): "our-ufrag:its-ufrag", keyed with our pwd.
        if (!message->username || message->username->rfind(ice_.ufrag + ":", 0) != 0 ||
            !media::verifyMessageIntegrity(datagram, ice_.pwd)) {
            return;
        }
        ++counters_.checksReceived;
        std::array<std::uint8_t, 4> address{};
        std::memcpy(address.data(), &from.sin_addr.s_addr, 4);
        const auto mapped = media::TransportAddress::ipv4(address, ntohs(from.sin_port));
        sendTo(media::buildBindingSuccess(message->transactionId, mapped, ice_.pwd), from);
        return;
    }
    if (!pendingCheck_ || message->transactionId != *pendingCheck_) return;
    if (message->messageClass != media::StunClass::SuccessResponse ||
        !media::verifyMessageIntegrity(datagram, remote_.ice.pwd)) {
        return;  // an error answer: the check is repeated
    }
    pendingCheck_.reset();
    ++counters_.checksAnswered;
    if (!answered_) nextCheckMs_ = nowMs + kConsentIntervalMs;
    answered_ = true;
    if (!dtlsStarted_) {
        dtlsStarted_ = true;
        channel_->start(nowMs);
    }
}

void BenchPeer::onDatagram(std::span<const std::uint8_t> datagram, const sockaddr_in& from, std::int64_t nowMs) {
    ++counters_.datagramsIn;
    if (plain_) {
        // The floor relays the publisher's bytes: RTP with the stand-in tag behind it.
        if (datagram.size() <= kSrtpTagBytes) return;
        ++counters_.rtpIn;
        if (onRtp) onRtp(datagram.first(datagram.size() - kSrtpTagBytes), nowMs);
        return;
    }
    if (failed_ || !channel_) return;
    switch (media::classifyPacket(datagram)) {
        case media::PacketKind::Stun: onStun(datagram, from, nowMs); return;
        case media::PacketKind::Dtls: channel_->receiveDtls(datagram, nowMs); return;
        case media::PacketKind::Rtp:
        case media::PacketKind::Rtcp: {
            const bool rtcp = media::classifyPacket(datagram) == media::PacketKind::Rtcp;
            if (!rtcp && onEncryptedRtp) {
                ++counters_.rtpIn;
                onEncryptedRtp(datagram);
                return;
            }
            scratch_.assign(datagram.begin(), datagram.end());
            const auto status = rtcp ? channel_->unprotectRtcp(scratch_) : channel_->unprotectRtp(scratch_);
            if (status != media::SrtpStatus::Ok) {
                ++counters_.srtpFailures;
                return;
            }
            if (rtcp) {
                ++counters_.rtcpIn;
                if (onRtcp) onRtcp(scratch_);
            } else {
                ++counters_.rtpIn;
                if (onRtp) onRtp(scratch_, nowMs);
            }
            return;
        }
        case media::PacketKind::Unknown: return;
    }
}

void BenchPeer::readAll(std::int64_t nowMs) {
    ReadBuffers& b = readBuffers();
    for (;;) {
        for (std::size_t i = 0; i < kBatch; ++i) {
            b.iov[i] = {b.data[i].data(), kDatagramBytes};
            b.msgs[i].msg_hdr = {};
            b.msgs[i].msg_hdr.msg_iov = &b.iov[i];
            b.msgs[i].msg_hdr.msg_iovlen = 1;
            b.msgs[i].msg_hdr.msg_name = &b.from[i];
            b.msgs[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
        }
        const int n = ::recvmmsg(fd_, b.msgs.data(), kBatch, MSG_DONTWAIT, nullptr);
        if (n <= 0) return;
        for (int i = 0; i < n; ++i) {
            onDatagram(std::span<const std::uint8_t>(b.data[std::size_t(i)].data(), b.msgs[std::size_t(i)].msg_len),
                       b.from[std::size_t(i)], nowMs);
        }
        if (std::size_t(n) < kBatch) return;
    }
}

std::optional<std::int64_t> BenchPeer::nextTimeoutMs() const {
    if (plain_ || failed_ || !channel_) return std::nullopt;
    const auto dtls = channel_->nextTimeoutMs();
    return dtls ? std::min(*dtls, nextCheckMs_) : nextCheckMs_;
}

void BenchPeer::handleTimeout(std::int64_t nowMs) {
    if (plain_ || failed_ || !channel_) return;
    if (auto due = channel_->nextTimeoutMs(); due && *due <= nowMs) channel_->handleTimeout(nowMs);
    if (!failed_ && nowMs >= nextCheckMs_) sendCheck(nowMs);
}

bool BenchPeer::sendRtp(std::vector<std::uint8_t>& packet) {
    if (plain_) {
        packet.resize(packet.size() + kSrtpTagBytes, 0);
    } else if (!channel_ || channel_->protectRtp(packet) != media::SrtpStatus::Ok) {
        return false;
    }
    send(packet);
    return true;
}

bool BenchPeer::sendRtcp(std::vector<std::uint8_t>& packet) {
    if (plain_ || !channel_ || channel_->protectRtcp(packet) != media::SrtpStatus::Ok) return false;
    send(packet);
    return true;
}

void BenchPeer::onChannelEnded(std::string_view reason) {
    failed_ = true;
    failure_ = std::string(reason);
}

}  // namespace parley::bench::sfu

#include "webrtc_test_peer.hpp"

#include <openssl/rand.h>

#include <algorithm>

#include "media/packet_kind.hpp"

namespace parley::media::testing {

std::unique_ptr<WebRtcTestPeer> WebRtcTestPeer::create(IceCredentials local, IceCredentials server,
                                                       const DtlsCertificate& certificate,
                                                       CertificateFingerprint serverFingerprint, Listener& listener) {
    std::unique_ptr<WebRtcTestPeer> peer(new WebRtcTestPeer(std::move(local), std::move(server), listener));
    peer->channel_ = DtlsSrtpChannel::create(DtlsRole::Client, certificate, std::move(serverFingerprint), *peer);
    if (!peer->channel_) return nullptr;
    return peer;
}

WebRtcTestPeer::WebRtcTestPeer(IceCredentials local, IceCredentials server, Listener& listener)
    : local_(std::move(local)), server_(std::move(server)), listener_(listener) {
    RAND_bytes(reinterpret_cast<unsigned char*>(&tieBreaker_), sizeof tieBreaker_);
}

WebRtcTestPeer::~WebRtcTestPeer() = default;

void WebRtcTestPeer::start(std::int64_t nowMs) { sendCheck(nowMs); }

void WebRtcTestPeer::sendCheck(std::int64_t nowMs) {
    pendingCheck_ = randomTransactionId();
    BindingRequestParams check;
    check.username = server_.ufrag + ":" + local_.ufrag;
    check.password = server_.pwd;
    check.priority = 2130706431;  // a host candidate's priority, as RFC 8445 5.1.2.1 computes it
    check.controlling = true;
    check.tieBreaker = tieBreaker_;
    check.useCandidate = true;
    const auto bytes = buildBindingRequest(*pendingCheck_, check);
    ++counters_.checksSent;
    nextCheckMs_ = nowMs + (answered_ ? kConsentIntervalMs : kCheckRetryMs);
    listener_.sendDatagram(bytes);
}

void WebRtcTestPeer::receive(std::span<const std::uint8_t> datagram, std::int64_t nowMs) {
    if (failed_) return;
    switch (classifyPacket(datagram)) {
        case PacketKind::Stun: {
            const auto message = parseStunMessage(datagram);
            if (!message || !pendingCheck_ || message->transactionId != *pendingCheck_) return;
            if (message->messageClass != StunClass::SuccessResponse ||
                !verifyMessageIntegrity(datagram, server_.pwd)) {
                return;  // an error answer: the check is repeated, as a browser would
            }
            pendingCheck_.reset();
            ++counters_.checksAnswered;
            if (!answered_) nextCheckMs_ = nowMs + kConsentIntervalMs;
            answered_ = true;
            if (!dtlsStarted_) {
                dtlsStarted_ = true;
                channel_->start(nowMs);
            }
            return;
        }
        case PacketKind::Dtls: channel_->receiveDtls(datagram, nowMs); return;
        case PacketKind::Rtp:
        case PacketKind::Rtcp: {
            const bool rtcp = classifyPacket(datagram) == PacketKind::Rtcp;
            std::vector<std::uint8_t> packet(datagram.begin(), datagram.end());
            const SrtpStatus status = rtcp ? channel_->unprotectRtcp(packet) : channel_->unprotectRtp(packet);
            if (status != SrtpStatus::Ok) {
                ++counters_.srtpFailures;
                return;
            }
            if (rtcp) {
                ++counters_.rtcpIn;
                listener_.onRtcp(packet);
            } else {
                ++counters_.rtpIn;
                listener_.onRtp(packet);
            }
            return;
        }
        case PacketKind::Unknown: return;
    }
}

std::optional<std::int64_t> WebRtcTestPeer::nextTimeoutMs() const {
    if (failed_) return std::nullopt;
    const auto dtls = channel_->nextTimeoutMs();
    return dtls ? std::min(*dtls, nextCheckMs_) : nextCheckMs_;
}

void WebRtcTestPeer::handleTimeout(std::int64_t nowMs) {
    if (failed_) return;
    if (auto due = channel_->nextTimeoutMs(); due && *due <= nowMs) channel_->handleTimeout(nowMs);
    if (!failed_ && nowMs >= nextCheckMs_) sendCheck(nowMs);
}

bool WebRtcTestPeer::sendRtp(std::vector<std::uint8_t> packet) {
    if (channel_->protectRtp(packet) != SrtpStatus::Ok) return false;
    listener_.sendDatagram(packet);
    return true;
}

bool WebRtcTestPeer::sendRtcp(std::vector<std::uint8_t> packet) {
    if (channel_->protectRtcp(packet) != SrtpStatus::Ok) return false;
    listener_.sendDatagram(packet);
    return true;
}

void WebRtcTestPeer::restartIce(IceCredentials local, IceCredentials server, std::int64_t nowMs) {
    local_ = std::move(local);
    server_ = std::move(server);
    sendCheck(nowMs);
}

void WebRtcTestPeer::onChannelEnded(std::string_view reason) {
    failed_ = true;
    listener_.onFailed(reason);
}

}  // namespace parley::media::testing

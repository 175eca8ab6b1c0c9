#include "media/webrtc_transport.hpp"

#include <algorithm>

namespace parley::media {

std::unique_ptr<WebRtcTransport> WebRtcTransport::create(std::string id, IceCredentials local,
                                                         std::string remoteUfrag,
                                                         const DtlsCertificate& certificate,
                                                         CertificateFingerprint remoteFingerprint,
                                                         Listener& listener, std::int64_t nowMs) {
    std::unique_ptr<WebRtcTransport> transport(
        new WebRtcTransport(std::move(id), std::move(local), std::move(remoteUfrag), listener, nowMs));
    // The browser answers a=setup:passive by being the DTLS client (RFC 5763 section 5), so the
    // server waits for its ClientHello.
    transport->channel_ =
        DtlsSrtpChannel::create(DtlsRole::Server, certificate, std::move(remoteFingerprint), *transport);
    if (!transport->channel_) return nullptr;
    transport->channel_->start(nowMs);
    return transport;
}

WebRtcTransport::WebRtcTransport(std::string id, IceCredentials local, std::string remoteUfrag, Listener& listener,
                                 std::int64_t nowMs)
    : id_(std::move(id)),
      listener_(listener),
      ice_(std::move(local), std::move(remoteUfrag), nowMs),
      nextIceCheckMs_(nowMs + kIceCheckIntervalMs) {}

WebRtcTransport::~WebRtcTransport() = default;

void WebRtcTransport::receiveStun(const StunMessage& message, std::span<const std::uint8_t> datagram,
                                  const TransportAddress& from, std::int64_t nowMs) {
    if (closed_) return;
    const auto outcome = ice_.handle(message, datagram, from, nowMs);
    if (!outcome.reply.empty()) listener_.sendDatagram(outcome.reply, from);
    if (outcome.authenticated) listener_.onAddressAuthenticated(*this, from);
    if (outcome.nominated && channel_->secured() && !announcedConnected_) onSecured();
}

void WebRtcTransport::receiveDtls(std::span<const std::uint8_t> datagram, const TransportAddress& from,
                                  std::int64_t nowMs) {
    if (closed_) return;
    dtlsPeer_ = from;
    channel_->receiveDtls(datagram, nowMs);
}

void WebRtcTransport::receiveRtp(std::span<const std::uint8_t> datagram) {
    if (closed_ || !channel_->secured()) return;
    std::vector<std::uint8_t> packet(datagram.begin(), datagram.end());
    if (channel_->unprotectRtp(packet) != SrtpStatus::Ok) {
        ++counters_.srtpFailures;
        return;
    }
    ++counters_.rtpIn;
    counters_.bytesIn += datagram.size();
    listener_.onRtp(*this, packet);
}

void WebRtcTransport::receiveRtcp(std::span<const std::uint8_t> datagram) {
    if (closed_ || !channel_->secured()) return;
    std::vector<std::uint8_t> packet(datagram.begin(), datagram.end());
    if (channel_->unprotectRtcp(packet) != SrtpStatus::Ok) {
        ++counters_.srtpFailures;
        return;
    }
    ++counters_.rtcpIn;
    counters_.bytesIn += datagram.size();
    listener_.onRtcp(*this, packet);
}

bool WebRtcTransport::sendRtp(std::vector<std::uint8_t>& packet) { return send(packet, false); }
bool WebRtcTransport::sendRtcp(std::vector<std::uint8_t>& packet) { return send(packet, true); }

bool WebRtcTransport::send(std::vector<std::uint8_t>& packet, bool rtcp) {
    const auto& to = ice_.selectedAddress();
    if (closed_ || !to || !channel_->secured()) {
        ++counters_.notSent;
        return false;
    }
    const SrtpStatus status = rtcp ? channel_->protectRtcp(packet) : channel_->protectRtp(packet);
    if (status != SrtpStatus::Ok) {
        ++counters_.notSent;
        return false;
    }
    ++(rtcp ? counters_.rtcpOut : counters_.rtpOut);
    counters_.bytesOut += packet.size();
    listener_.sendDatagram(packet, *to);
    return true;
}

void WebRtcTransport::sendDtls(std::span<const std::uint8_t> datagram) {
    if (const auto& to = ice_.selectedAddress()) {
        listener_.sendDatagram(datagram, *to);
    } else if (dtlsPeer_) {
        listener_.sendDatagram(datagram, *dtlsPeer_);
    }
}

void WebRtcTransport::onSecured() {
    everSecured_ = true;
    if (announcedConnected_ || !ice_.selectedAddress()) return;
    announcedConnected_ = true;
    listener_.onConnected(*this);
}

std::optional<std::int64_t> WebRtcTransport::nextTimeoutMs() const {
    if (closed_) return std::nullopt;
    const auto dtls = channel_->nextTimeoutMs();
    return dtls ? std::min(*dtls, nextIceCheckMs_) : nextIceCheckMs_;
}

void WebRtcTransport::handleTimeout(std::int64_t nowMs) {
    if (closed_) return;
    if (auto due = channel_->nextTimeoutMs(); due && *due <= nowMs) channel_->handleTimeout(nowMs);
    if (closed_ || nowMs < nextIceCheckMs_) return;
    nextIceCheckMs_ = nowMs + kIceCheckIntervalMs;
    if (ice_.connectTimedOut(nowMs)) {
        close("ICE did not connect in time");
    } else if (ice_.consentExpired(nowMs)) {
        close("ICE consent expired: the browser stopped answering");
    }
}

void WebRtcTransport::close(std::string_view reason) {
    if (closed_) return;
    closed_ = true;
    channel_->close();
    listener_.onClosed(*this, reason);
}

void WebRtcTransport::pathClosed(const TransportAddress& address, std::int64_t nowMs) {
    ice_.pathClosed(address, nowMs);
    if (dtlsPeer_ == address) dtlsPeer_.reset();
}

void WebRtcTransport::onChannelEnded(std::string_view reason) {
    // From inside a DTLS callback: the channel has already ended itself and must not be told
    // to close from within its own call.
    dtlsEnded_ = true;
    if (closed_) return;
    closed_ = true;
    listener_.onClosed(*this, reason);
}

}  // namespace parley::media

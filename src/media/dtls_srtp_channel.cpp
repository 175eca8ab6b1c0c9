#include "media/dtls_srtp_channel.hpp"

namespace parley::media {

std::unique_ptr<DtlsSrtpChannel> DtlsSrtpChannel::create(DtlsRole role, const DtlsCertificate& certificate,
                                                         CertificateFingerprint remoteFingerprint,
                                                         Listener& listener) {
    std::unique_ptr<DtlsSrtpChannel> channel(new DtlsSrtpChannel(listener));
    channel->dtls_ = DtlsTransport::create(role, certificate, std::move(remoteFingerprint), *channel);
    if (!channel->dtls_) return nullptr;
    return channel;
}

DtlsSrtpChannel::~DtlsSrtpChannel() = default;

void DtlsSrtpChannel::close() {
    if (dtls_) dtls_->close();
    inbound_.reset();
    outbound_.reset();
    ended_ = true;
}

std::optional<SrtpProfile> DtlsSrtpChannel::profile() const {
    if (!outbound_) return std::nullopt;
    return outbound_->profile();
}

void DtlsSrtpChannel::onDtlsConnected(const SrtpKeyingMaterial& keys) {
    const bool client = dtls_->role() == DtlsRole::Client;
    inbound_ = SrtpSession::create(SrtpSession::Direction::Inbound, keys, client);
    outbound_ = SrtpSession::create(SrtpSession::Direction::Outbound, keys, client);
    if (!inbound_ || !outbound_) {
        inbound_.reset();
        outbound_.reset();
        end("SRTP could not use the keys DTLS agreed");
        return;
    }
    listener_.onSecured();
}

void DtlsSrtpChannel::end(std::string_view reason) {
    if (ended_) return;
    ended_ = true;
    inbound_.reset();
    outbound_.reset();
    listener_.onChannelEnded(reason);
}

SrtpStatus DtlsSrtpChannel::protectRtp(std::vector<std::uint8_t>& packet) {
    return outbound_ ? outbound_->protectRtp(packet) : SrtpStatus::Error;
}
SrtpStatus DtlsSrtpChannel::protectRtcp(std::vector<std::uint8_t>& packet) {
    return outbound_ ? outbound_->protectRtcp(packet) : SrtpStatus::Error;
}
SrtpStatus DtlsSrtpChannel::unprotectRtp(std::vector<std::uint8_t>& packet) {
    return inbound_ ? inbound_->unprotectRtp(packet) : SrtpStatus::Error;
}
SrtpStatus DtlsSrtpChannel::unprotectRtcp(std::vector<std::uint8_t>& packet) {
    return inbound_ ? inbound_->unprotectRtcp(packet) : SrtpStatus::Error;
}

}  // namespace parley::media

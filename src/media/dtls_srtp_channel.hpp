#pragma once
// What each end of a WebRTC transport does once ICE has found the path: a DTLS handshake to
// agree keys (RFC 5763/5764), then SRTP and SRTCP both ways with them. The server's transport
// (web_rtc_transport.hpp) uses it as the DTLS server; the test peer that plays a browser uses it
// as the client. Datagrams and time in, datagrams out: no sockets, no clock.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/dtls_certificate.hpp"
#include "media/dtls_transport.hpp"
#include "media/srtp_session.hpp"

namespace parley::media {

class DtlsSrtpChannel final : private DtlsTransport::Listener {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        // A DTLS datagram for the peer.
        virtual void sendDtls(std::span<const std::uint8_t> datagram) = 0;
        // Keys agreed: protect and unprotect work from now on.
        virtual void onSecured() = 0;
        // The handshake failed or timed out, the peer's certificate did not match, or the peer
        // closed. Once; nothing is protected or accepted afterwards.
        virtual void onChannelEnded(std::string_view reason) = 0;
    };

    // nullptr when OpenSSL cannot set up the endpoint. The certificate and the listener must
    // outlive the channel.
    static std::unique_ptr<DtlsSrtpChannel> create(DtlsRole role, const DtlsCertificate& certificate,
                                                   CertificateFingerprint remoteFingerprint, Listener& listener);
    ~DtlsSrtpChannel() override;

    void start(std::int64_t nowMs) { dtls_->start(nowMs); }
    void receiveDtls(std::span<const std::uint8_t> datagram, std::int64_t nowMs) { dtls_->receive(datagram, nowMs); }
    std::optional<std::int64_t> nextTimeoutMs() const { return dtls_->nextTimeoutMs(); }
    void handleTimeout(std::int64_t nowMs) { dtls_->handleTimeout(nowMs); }
    // Sends close_notify if connected.
    void close();

    bool secured() const { return inbound_.has_value(); }
    bool ended() const { return ended_; }
    std::optional<SrtpProfile> profile() const;

    // In place; SrtpStatus::Error before the keys are agreed or after the end.
    SrtpStatus protectRtp(std::vector<std::uint8_t>& packet);
    SrtpStatus protectRtcp(std::vector<std::uint8_t>& packet);
    SrtpStatus unprotectRtp(std::vector<std::uint8_t>& packet);
    SrtpStatus unprotectRtcp(std::vector<std::uint8_t>& packet);

private:
    explicit DtlsSrtpChannel(Listener& listener) : listener_(listener) {}

    void onDtlsSend(std::span<const std::uint8_t> datagram) override { listener_.sendDtls(datagram); }
    void onDtlsConnected(const SrtpKeyingMaterial& keys) override;
    void onDtlsFailed(std::string_view reason) override { end(reason); }
    void onDtlsClosed() override { end("the peer closed DTLS"); }
    void end(std::string_view reason);

    Listener& listener_;
    std::unique_ptr<DtlsTransport> dtls_;
    std::optional<SrtpSession> inbound_;
    std::optional<SrtpSession> outbound_;
    bool ended_ = false;
};

}  // namespace parley::media

#pragma once
// Plays a browser's end of a WebRTC transport towards Parley's media port, in C++: ICE checks as
// the controlling agent (each one nominates, as a browser towards an ICE-lite server ends up
// doing), the DTLS client, and SRTP with the same libraries the server uses. Datagrams and time
// in, datagrams out, so unit tests wire it to a server transport in memory and integration
// tests (and the load tool) put it on a real UDP socket.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/dtls_srtp_channel.hpp"
#include "media/ice_credentials.hpp"
#include "media/stun_message.hpp"

namespace parley::media::testing {

class WebRtcTestPeer final : private DtlsSrtpChannel::Listener {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void sendDatagram(std::span<const std::uint8_t> datagram) = 0;
        virtual void onConnected() {}
        virtual void onRtp(std::vector<std::uint8_t>& packet) { (void)packet; }
        virtual void onRtcp(std::vector<std::uint8_t>& packet) { (void)packet; }
        virtual void onFailed(std::string_view reason) { (void)reason; }
    };

    struct Counters {
        std::uint64_t checksSent = 0, checksAnswered = 0, rtpIn = 0, rtcpIn = 0, srtpFailures = 0;
    };

    // `local` is the peer's own ICE credentials (its ufrag goes into the server's USERNAME
    // check), `server` the server's ufrag and pwd from its SDP, `serverFingerprint` its
    // a=fingerprint. Null if DTLS cannot be set up.
    static std::unique_ptr<WebRtcTestPeer> create(IceCredentials local, IceCredentials server,
                                                  const DtlsCertificate& certificate,
                                                  CertificateFingerprint serverFingerprint, Listener& listener);
    ~WebRtcTestPeer() override;

    // Sends the first check; DTLS starts when one is answered.
    void start(std::int64_t nowMs);
    void receive(std::span<const std::uint8_t> datagram, std::int64_t nowMs);
    std::optional<std::int64_t> nextTimeoutMs() const;
    // Repeats unanswered checks, keeps consent fresh, drives DTLS retransmissions.
    void handleTimeout(std::int64_t nowMs);

    bool connected() const { return channel_->secured(); }
    bool failed() const { return failed_; }
    bool sendRtp(std::vector<std::uint8_t> packet);
    bool sendRtcp(std::vector<std::uint8_t> packet);
    // Ends the DTLS session (close_notify), as a browser closing its connection does.
    void closeDtls() { channel_->close(); }
    // New credentials on both sides (after a new offer and answer); checks use them from now.
    void restartIce(IceCredentials local, IceCredentials server, std::int64_t nowMs);
    const Counters& counters() const { return counters_; }

    // How often checks repeat before an answer, and consent checks after it (RFC 7675: ~5 s).
    static constexpr std::int64_t kCheckRetryMs = 200;
    static constexpr std::int64_t kConsentIntervalMs = 5000;

private:
    WebRtcTestPeer(IceCredentials local, IceCredentials server, Listener& listener);

    void sendCheck(std::int64_t nowMs);
    void sendDtls(std::span<const std::uint8_t> datagram) override { listener_.sendDatagram(datagram); }
    void onSecured() override { listener_.onConnected(); }
    void onChannelEnded(std::string_view reason) override;

    IceCredentials local_;
    IceCredentials server_;
    Listener& listener_;
    std::unique_ptr<DtlsSrtpChannel> channel_;
    std::uint64_t tieBreaker_;
    std::optional<StunTransactionId> pendingCheck_;
    std::int64_t nextCheckMs_ = 0;
    bool answered_ = false;
    bool dtlsStarted_ = false;
    bool failed_ = false;
    Counters counters_;
};

}  // namespace parley::media::testing

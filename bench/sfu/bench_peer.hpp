#pragma once
// One WebRTC endpoint of the load tool on a UDP socket of its own: grown from the integration
// tests' WebRtcTestPeer (tests/media_peer), with what a benchmark against more than one server
// needs on top:
// - either ICE role: controlling (it offered: checks nominate, as a browser towards an
//   ICE-lite server ends up doing) or controlled (the server offered, as Janus does to its
//   subscribers);
// - it answers the server's own connectivity checks (Janus is a full ICE agent: libnice checks
//   the tool's candidate and will not use a pair it has not checked itself);
// - either DTLS role, the opposite of the server's a=setup;
// - batched reads (recvmmsg) and SRTP in a reused buffer, so the tool stays cheaper than the
//   server it measures;
// - a plain mode for the UDP floor (no ICE, DTLS or SRTP; a 10-byte tail stands for the SRTP
//   tag so packets keep their size).
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "media/dtls_certificate.hpp"
#include "media/dtls_srtp_channel.hpp"
#include "media/ice_credentials.hpp"
#include "media/stun_message.hpp"

struct sockaddr_in;

namespace parley::bench::sfu {

struct RemoteEnd {
    // The server's UDP host candidate: 127.0.0.1 for Parley; Janus skips loopback interfaces
    // when it gathers, so its candidate is one of the machine's own addresses (traffic to a
    // local address goes through the loopback device all the same).
    std::array<std::uint8_t, 4> address{127, 0, 0, 1};
    std::uint16_t port = 0;
    media::IceCredentials ice;
    media::CertificateFingerprint fingerprint;
    media::DtlsRole ourDtlsRole = media::DtlsRole::Client;
    bool controlling = true;
};

class BenchPeer final : private media::DtlsSrtpChannel::Listener {
public:
    struct Counters {
        std::uint64_t checksSent = 0, checksAnswered = 0, checksReceived = 0, rtpIn = 0, rtcpIn = 0,
                      srtpFailures = 0, sendFailures = 0, datagramsIn = 0;
    };

    // Binds a UDP socket on `address` (IPv4, port chosen by the kernel). Throws
    // std::runtime_error when the socket or the certificate cannot be made.
    explicit BenchPeer(std::array<std::uint8_t, 4> address = {127, 0, 0, 1});
    ~BenchPeer() override;
    BenchPeer(const BenchPeer&) = delete;
    BenchPeer& operator=(const BenchPeer&) = delete;

    int fd() const { return fd_; }
    std::uint16_t localPort() const { return localPort_; }
    const std::array<std::uint8_t, 4>& localAddress() const { return localAddress_; }
    const media::IceCredentials& ice() const { return ice_; }
    const media::DtlsCertificate& certificate() const { return *certificate_; }

    // Starts ICE (and DTLS once a check has passed) towards the server.
    void connect(const RemoteEnd& remote, std::int64_t nowMs);
    // Plain UDP towards 127.0.0.1:port (the floor): no ICE, DTLS or SRTP.
    void connectPlain(std::uint16_t port);
    bool connected() const { return plain_ || (channel_ && channel_->secured()); }
    bool failed() const { return failed_; }
    const std::string& failure() const { return failure_; }

    // Reads everything queued on the socket (recvmmsg, never blocks): STUN answered, DTLS fed,
    // RTP and RTCP decrypted and handed to onRtp / onRtcp.
    void readAll(std::int64_t nowMs);
    std::optional<std::int64_t> nextTimeoutMs() const;
    void handleTimeout(std::int64_t nowMs);

    // Protects in place (grows by the tag) and sends.
    bool sendRtp(std::vector<std::uint8_t>& packet);
    bool sendRtcp(std::vector<std::uint8_t>& packet);
    // Sends bytes as they are (the floor's registration).
    void sendRaw(std::span<const std::uint8_t> bytes);

    std::function<void(std::span<const std::uint8_t> rtp, std::int64_t nowMs)> onRtp;
    // When set, RTP is not decrypted: the still-encrypted packet (its header is in the clear)
    // goes here instead of onRtp. The tool is one core against a server's one core, and both
    // would otherwise pay SRTP per subscriber per packet; most subscribers count packets by
    // their headers and a sample of them decrypts (see receive_tally.hpp).
    std::function<void(std::span<const std::uint8_t> srtp)> onEncryptedRtp;
    std::function<void(std::span<const std::uint8_t> rtcp)> onRtcp;
    const Counters& counters() const { return counters_; }

    static constexpr std::int64_t kCheckRetryMs = 200;
    static constexpr std::int64_t kConsentIntervalMs = 5000;
    static constexpr std::size_t kSrtpTagBytes = 10;  // AES_CM_128_HMAC_SHA1_80

private:
    void sendCheck(std::int64_t nowMs);
    void onStun(std::span<const std::uint8_t> datagram, const sockaddr_in& from, std::int64_t nowMs);
    void onDatagram(std::span<const std::uint8_t> datagram, const sockaddr_in& from, std::int64_t nowMs);
    void send(std::span<const std::uint8_t> datagram);
    void sendTo(std::span<const std::uint8_t> datagram, const sockaddr_in& to);
    void sendDtls(std::span<const std::uint8_t> datagram) override { send(datagram); }
    void onSecured() override {}
    void onChannelEnded(std::string_view reason) override;

    int fd_ = -1;
    std::array<std::uint8_t, 4> localAddress_;
    std::uint16_t localPort_ = 0;
    bool plain_ = false;
    std::array<std::uint8_t, 4> remoteAddress_{127, 0, 0, 1};
    std::uint16_t remotePort_ = 0;
    media::IceCredentials ice_;
    std::optional<media::DtlsCertificate> certificate_;
    RemoteEnd remote_;
    std::unique_ptr<media::DtlsSrtpChannel> channel_;
    std::uint64_t tieBreaker_ = 0;
    std::optional<media::StunTransactionId> pendingCheck_;
    std::int64_t nextCheckMs_ = 0;
    bool answered_ = false;
    bool dtlsStarted_ = false;
    bool failed_ = false;
    std::string failure_;
    std::vector<std::uint8_t> scratch_;
    Counters counters_;
};

}  // namespace parley::bench::sfu

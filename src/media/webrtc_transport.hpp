#pragma once
// One browser's peer connection to the server, as the server sees it: ICE-lite finds the path
// (ice_lite_agent.hpp), DTLS agrees keys and SRTP protects the media (dtls_srtp_channel.hpp).
// Datagrams and time in, plain RTP/RTCP and datagrams out: the worker's socket and the room's
// forwarding sit on either side, behind the Listener.
//
// Only a source address that passed an authenticated ICE check may speak DTLS, RTP or RTCP
// (RFC 8445 section 7.3: media follows validated pairs), so a stranger who learns the port
// cannot inject media; the port demultiplexer (port_demux.hpp) routes by that address.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/dtls_srtp_channel.hpp"
#include "media/ice_lite_agent.hpp"
#include "media/stun_message.hpp"
#include "media/transport_address.hpp"

namespace parley::media {

class WebRtcTransport final : private DtlsSrtpChannel::Listener {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void sendDatagram(std::span<const std::uint8_t> datagram, const TransportAddress& to) = 0;
        // `from` passed an authenticated ICE check: datagrams from it belong to this transport.
        virtual void onAddressAuthenticated(WebRtcTransport& transport, const TransportAddress& from) = 0;
        // Keys agreed: media can flow both ways.
        virtual void onConnected(WebRtcTransport& transport) = 0;
        // Decrypted packets from the browser; the listener may keep or change the vector.
        virtual void onRtp(WebRtcTransport& transport, std::vector<std::uint8_t>& packet) = 0;
        virtual void onRtcp(WebRtcTransport& transport, std::vector<std::uint8_t>& packet) = 0;
        // Once: DTLS failed or closed, consent was lost, or nothing connected in time. The
        // transport does nothing more; its owner removes it (not from inside this call).
        virtual void onClosed(WebRtcTransport& transport, std::string_view reason) = 0;
    };

    struct Counters {
        std::uint64_t rtpIn = 0, rtpOut = 0, rtcpIn = 0, rtcpOut = 0;
        std::uint64_t bytesIn = 0, bytesOut = 0;
        std::uint64_t srtpFailures = 0;  // inbound packets that did not authenticate
        std::uint64_t notSent = 0;       // outbound packets with no path or keys yet
    };

    // `local` is what the server's SDP said, `remoteUfrag` and `remoteFingerprint` what the
    // browser's said. Null if DTLS cannot be set up.
    static std::unique_ptr<WebRtcTransport> create(std::string id, IceCredentials local, std::string remoteUfrag,
                                                   const DtlsCertificate& certificate,
                                                   CertificateFingerprint remoteFingerprint, Listener& listener,
                                                   std::int64_t nowMs);
    ~WebRtcTransport() override;

    const std::string& id() const { return id_; }
    const IceCredentials& localCredentials() const { return ice_.localCredentials(); }
    bool connected() const { return channel_->secured() && ice_.selectedAddress().has_value(); }
    bool closed() const { return closed_; }
    // DTLS ended (failed, timed out, a wrong certificate, or closed by the peer) before keys
    // were ever agreed.
    bool dtlsFailed() const { return dtlsEnded_ && !everSecured_; }
    const std::optional<TransportAddress>& selectedAddress() const { return ice_.selectedAddress(); }
    const Counters& counters() const { return counters_; }

    // From the port demultiplexer. `message` is parseStunMessage(datagram).
    void receiveStun(const StunMessage& message, std::span<const std::uint8_t> datagram, const TransportAddress& from,
                     std::int64_t nowMs);
    void receiveDtls(std::span<const std::uint8_t> datagram, const TransportAddress& from, std::int64_t nowMs);
    void receiveRtp(std::span<const std::uint8_t> datagram);
    void receiveRtcp(std::span<const std::uint8_t> datagram);

    // Protects and sends to the selected address. The packet is encrypted in place (callers give
    // each transport its own copy). False when it could not go (no path or keys yet, closed).
    bool sendRtp(std::vector<std::uint8_t>& packet);
    bool sendRtcp(std::vector<std::uint8_t>& packet);

    // DTLS retransmissions and the ICE deadlines (connect timeout, consent freshness).
    std::optional<std::int64_t> nextTimeoutMs() const;
    void handleTimeout(std::int64_t nowMs);

    // An ICE restart from a new offer and answer; media keeps its path until a new nomination.
    void restartIce(IceCredentials local, std::string remoteUfrag, std::int64_t nowMs) {
        ice_.restart(std::move(local), std::move(remoteUfrag), nowMs);
    }
    void close(std::string_view reason);
    // A path to the browser is gone (a TCP connection closed): nothing more is sent there.
    void pathClosed(const TransportAddress& address, std::int64_t nowMs);

private:
    WebRtcTransport(std::string id, IceCredentials local, std::string remoteUfrag, Listener& listener,
                    std::int64_t nowMs);

    void sendDtls(std::span<const std::uint8_t> datagram) override;
    void onSecured() override;
    void onChannelEnded(std::string_view reason) override;
    bool send(std::vector<std::uint8_t>& packet, bool rtcp);

    // How often the ICE deadlines are looked at: consent is judged in seconds, not milliseconds.
    static constexpr std::int64_t kIceCheckIntervalMs = 1000;

    std::string id_;
    Listener& listener_;
    IceLiteAgent ice_;
    std::unique_ptr<DtlsSrtpChannel> channel_;
    std::int64_t nextIceCheckMs_;
    // Where the last DTLS datagram came from (an authenticated address): DTLS may start before
    // the browser nominates a pair, and its answers go back the way it came.
    std::optional<TransportAddress> dtlsPeer_;
    bool announcedConnected_ = false;
    bool everSecured_ = false;
    bool dtlsEnded_ = false;
    bool closed_ = false;
    Counters counters_;
};

}  // namespace parley::media

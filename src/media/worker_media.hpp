#pragma once
// Everything one media worker does, on its thread: its UDP socket, the demultiplexer, the
// transports of the peer connections pinned to it, and the forwarding of its rooms. Commands
// arrive from the signaling thread as posted calls (media_plane.hpp); nothing here is touched
// from another thread.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "media/dtls_certificate.hpp"
#include "media/port_demux.hpp"
#include "media/room_router.hpp"
#include "media/tcp_media_listener.hpp"
#include "media/udp_socket.hpp"
#include "media/webrtc_transport.hpp"

namespace parley::media {

// What a worker reports about its media, for /metrics and diagnostics.
struct WorkerCounters {
    std::uint64_t transports = 0;
    std::uint64_t connectedTransports = 0;
    std::uint64_t transportsClosed = 0;
    std::uint64_t dtlsFailures = 0;
    std::uint64_t packetsIn = 0;
    std::uint64_t packetsOut = 0;
    std::uint64_t bytesIn = 0;
    std::uint64_t bytesOut = 0;
    std::uint64_t forwarded = 0;
    std::uint64_t nacksReceived = 0;
    std::uint64_t retransmitted = 0;
    std::uint64_t keyframeRequests = 0;
    std::uint64_t keyframeRequestsReceived = 0;  // PLIs and FIRs from subscribers
    std::uint64_t transportCcFeedback = 0;
    std::uint64_t nacksSent = 0;         // to publishers, for their own losses
    std::uint64_t rtxReceived = 0;       // publishers' retransmissions unwrapped
    // Datagrams on the port nobody could claim: not STUN/DTLS/RTP/RTCP, a check for no
    // transport here, or media from an address no check vouched for.
    std::uint64_t datagramsDropped = 0;
    // ICE-TCP (tcp_media_listener.hpp): connections open now, refused over the cap, closed for
    // garbage (not RFC 4571, or not STUN before a check passed), closed for sending no valid
    // check in time, and packets dropped because a connection's send queue was full.
    std::uint64_t tcpConnections = 0;
    std::uint64_t tcpConnectionsRefused = 0;
    std::uint64_t tcpClosedGarbage = 0;
    std::uint64_t tcpClosedSilent = 0;
    std::uint64_t tcpFramesDropped = 0;
    std::uint64_t streams = 0;
    std::uint64_t subscriptions = 0;
};

class WorkerMedia final : private UdpSocket::Listener,
                          private TcpMediaListener::Listener,
                          private WebRtcTransport::Listener {
public:
    // Binds the socket at once (throws if the port is taken), and with `tcp` also listens on TCP
    // at the same address and port number (ICE-TCP). The certificate outlives this.
    WorkerMedia(boost::asio::io_context& io, const boost::asio::ip::udp::endpoint& bindTo,
                const DtlsCertificate& certificate, bool tcp = false);
    ~WorkerMedia() override;

    void start();
    void stop();
    std::uint16_t port() const { return port_; }

    // The browser's peer connection to the server: `local` is what the server's answer said,
    // `remoteUfrag` and `remoteFingerprint` what the browser's offer said. A second call for the
    // same participant replaces their transport (a new peer connection).
    void openTransport(const std::string& room, const std::string& participant, IceCredentials local,
                       std::string remoteUfrag, CertificateFingerprint remoteFingerprint);
    void closeTransport(const std::string& participant);
    // An ICE restart of the participant's peer connection: the browser keeps its DTLS session
    // (and so its SRTP keys) through it, so the transport stays and only its ICE credentials
    // change. Nothing happens if the transport is gone.
    void restartIce(const std::string& participant, IceCredentials local, std::string remoteUfrag);

    void publish(const std::string& room, const PublishedStream& stream);
    void unpublish(const std::string& room, std::uint32_t ssrc);
    void subscribe(const std::string& room, const Subscription& subscription);
    void unsubscribe(const std::string& room, std::uint32_t ssrc);
    void setHeld(const std::string& room, std::uint32_t sourceSsrc, bool held);
    void setPaused(const std::string& room, std::uint32_t ssrc, bool paused);

    // Called on the worker's thread when a room's active speaker changes: (room, participant).
    void onActiveSpeaker(std::function<void(const std::string&, const std::string&)> sink) {
        activeSpeakerSink_ = std::move(sink);
    }

    // Called on the worker's thread when a transport closed by itself (DTLS failed or ended, ICE
    // never connected, consent lost) has been dropped with what went through it: (room,
    // participant, the browser's certificate fingerprint of that connection).
    using TransportClosedSink = std::function<void(const std::string&, const std::string&, const CertificateFingerprint&)>;
    void onTransportClosed(TransportClosedSink sink) { transportClosedSink_ = std::move(sink); }

    WorkerCounters counters() const;
    // Called on the worker's thread every half second with the counters, so other threads can
    // read a recent copy without waiting for the worker.
    void onCounters(std::function<void(const WorkerCounters&)> sink) { countersSink_ = std::move(sink); }
    // Each room's media report (core/media_report.hpp), by room, with the counters and as often.
    using RoomReports = std::unordered_map<std::string, core::MediaReport>;
    void onReports(std::function<void(RoomReports)> sink) { reportsSink_ = std::move(sink); }
    // How often counters and reports go out: the window of the reports' bit rates.
    static constexpr std::int64_t kReportIntervalMs = 500;
    // Every room's report as of `nowMs` (bit rates since the previous call).
    RoomReports reports(std::int64_t nowMs);
    // The transport's state for diagnostics: "none", "connecting", "connected", "closed".
    std::string transportState(const std::string& participant) const;

private:
    struct Peer {
        std::string room;
        std::unique_ptr<WebRtcTransport> transport;
        CertificateFingerprint remoteFingerprint;  // the browser's, to say which connection went
    };

    void onDatagram(std::span<const std::uint8_t> datagram, const boost::asio::ip::udp::endpoint& from) override;
    void onFrame(std::span<const std::uint8_t> frame, const boost::asio::ip::tcp::endpoint& from) override;
    void onConnectionClosed(const boost::asio::ip::tcp::endpoint& from) override;
    void sendDatagram(std::span<const std::uint8_t> datagram, const TransportAddress& to) override;
    void onAddressAuthenticated(WebRtcTransport& transport, const TransportAddress& from) override;
    void onConnected(WebRtcTransport& transport) override;
    void onRtp(WebRtcTransport& transport, std::vector<std::uint8_t>& packet) override;
    void onRtcp(WebRtcTransport& transport, std::vector<std::uint8_t>& packet) override;
    void onClosed(WebRtcTransport& transport, std::string_view reason) override;

    RoomRouter& router(const std::string& room);
    // The room of the transport's participant, unless that transport was replaced or removed.
    const Peer* peerOf(const WebRtcTransport& transport) const;
    void dropRoomIfIdle(const std::string& room);
    void remove(const std::string& participant);
    void reap();
    void tick();
    std::int64_t nowMs() const;

    boost::asio::io_context& io_;
    const DtlsCertificate& certificate_;
    UdpSocket socket_;
    std::uint16_t port_;
    std::unique_ptr<TcpMediaListener> tcp_;  // null without ICE-TCP
    boost::asio::steady_timer timer_;
    PortDemux demux_;
    std::unordered_map<std::string, Peer> peers_;  // by participant id (a transport's id() is it)
    std::unordered_map<std::string, RoomRouter> routers_;
    // Transports that closed inside one of their own calls: taken out once that call returns.
    std::vector<std::string> closing_;
    TransportClosedSink transportClosedSink_;
    WorkerCounters closedCounters_;  // what closed transports had counted
    std::function<void(const WorkerCounters&)> countersSink_;
    std::function<void(const std::string&, const std::string&)> activeSpeakerSink_;
    std::function<void(RoomReports)> reportsSink_;
    int ticksSinceCounters_ = 0;
    bool stopped_ = false;
};

}  // namespace parley::media

#include "media/worker_media.hpp"

#include <algorithm>
#include <chrono>

namespace parley::media {

namespace asio = boost::asio;
using asio::ip::tcp;
using asio::ip::udp;

namespace {

// The pure media code names peers without Asio; IPv4-mapped IPv6 is folded to IPv4 so one peer
// is one address whichever socket family saw it.
TransportAddress toTransportAddress(const asio::ip::address& address, std::uint16_t port) {
    if (address.is_v4()) return TransportAddress::ipv4(address.to_v4().to_bytes(), port);
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) {
        return TransportAddress::ipv4(asio::ip::make_address_v4(asio::ip::v4_mapped, v6).to_bytes(), port);
    }
    return TransportAddress::ipv6(v6.to_bytes(), port);
}

TransportAddress toTransportAddress(const udp::endpoint& endpoint) {
    return toTransportAddress(endpoint.address(), endpoint.port());
}

// A TCP connection is a path of its own, never the UDP address with the same numbers.
TransportAddress toTransportAddress(const tcp::endpoint& endpoint) {
    return toTransportAddress(endpoint.address(), endpoint.port()).withProtocol(TransportAddress::Protocol::Tcp);
}

asio::ip::address toAddress(const TransportAddress& address) {
    if (address.isIpv4()) return asio::ip::address_v4(address.ipv4Bytes());
    return asio::ip::address_v6(address.bytes());
}

udp::endpoint toEndpoint(const TransportAddress& address) { return {toAddress(address), address.port()}; }
tcp::endpoint toTcpEndpoint(const TransportAddress& address) { return {toAddress(address), address.port()}; }

// Timers here are coarse on purpose: DTLS retransmissions are counted in hundreds of
// milliseconds, ICE consent in seconds, held-back keyframe requests in half seconds.
constexpr auto kTick = std::chrono::milliseconds(20);

}  // namespace

WorkerMedia::WorkerMedia(asio::io_context& io, const udp::endpoint& bindTo, const DtlsCertificate& certificate,
                         bool tcp)
    : io_(io),
      certificate_(certificate),
      socket_(io, bindTo, *this),
      port_(socket_.localEndpoint().port()),
      timer_(io) {
    // The same port number as the UDP socket, so one candidate address serves both and a
    // firewall opens one number for both protocols.
    if (tcp) tcp_ = std::make_unique<TcpMediaListener>(io, tcp::endpoint(bindTo.address(), port_),
                                                   static_cast<TcpMediaListener::Listener&>(*this));
}

WorkerMedia::~WorkerMedia() = default;

std::int64_t WorkerMedia::nowMs() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

void WorkerMedia::start() {
    socket_.start();
    if (tcp_) tcp_->start();
    tick();
}

void WorkerMedia::stop() {
    stopped_ = true;
    timer_.cancel();
    for (auto& [id, peer] : peers_) {
        demux_.remove(*peer.transport);
        peer.transport->close("the server is stopping");
    }
    routers_.clear();
    peers_.clear();
    closing_.clear();
    socket_.close();
    if (tcp_) tcp_->close();
}

void WorkerMedia::tick() {
    if (stopped_) return;
    const std::int64_t now = nowMs();
    for (auto& [id, peer] : peers_) {
        if (auto due = peer.transport->nextTimeoutMs(); due && *due <= now) peer.transport->handleTimeout(now);
    }
    for (auto& [room, router] : routers_) {
        if (auto due = router.nextTimeoutMs(); due && *due <= now) router.handleTimeout(now);
    }
    reap();
    if (++ticksSinceCounters_ >= kReportIntervalMs / kTick.count()) {
        ticksSinceCounters_ = 0;
        if (countersSink_) countersSink_(counters());
        if (reportsSink_) reportsSink_(reports(now));
    }
    timer_.expires_after(kTick);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) tick();
    });
}

void WorkerMedia::openTransport(const std::string& room, const std::string& participant, IceCredentials local,
                                std::string remoteUfrag, CertificateFingerprint remoteFingerprint) {
    if (peers_.count(participant)) remove(participant);
    CertificateFingerprint fingerprint = remoteFingerprint;
    auto transport = WebRtcTransport::create(participant, std::move(local), std::move(remoteUfrag), certificate_,
                                             std::move(remoteFingerprint), *this, nowMs());
    if (!transport) return;
    demux_.add(*transport);
    router(room).attach(participant, *transport);
    peers_[participant] = Peer{room, std::move(transport), std::move(fingerprint)};
}

void WorkerMedia::closeTransport(const std::string& participant) {
    auto it = peers_.find(participant);
    if (it == peers_.end()) return;
    it->second.transport->close("closed by signaling");
    // Dropped before reap() sees it: signaling asked, so there is nothing to tell it.
    remove(participant);
}

void WorkerMedia::restartIce(const std::string& participant, IceCredentials local, std::string remoteUfrag) {
    auto it = peers_.find(participant);
    if (it == peers_.end()) return;
    it->second.transport->restartIce(std::move(local), std::move(remoteUfrag), nowMs());
    demux_.rekey(*it->second.transport);
}

void WorkerMedia::remove(const std::string& participant) {
    auto it = peers_.find(participant);
    if (it == peers_.end()) return;
    const std::string room = it->second.room;
    WebRtcTransport& transport = *it->second.transport;
    for (const TransportAddress& path : demux_.remove(transport)) {
        if (path.isTcp() && tcp_) tcp_->closeConnection(toTcpEndpoint(path));
    }
    if (auto r = routers_.find(room); r != routers_.end()) r->second.detach(participant);
    const auto& c = transport.counters();
    closedCounters_.packetsIn += c.rtpIn + c.rtcpIn;
    closedCounters_.packetsOut += c.rtpOut + c.rtcpOut;
    closedCounters_.bytesIn += c.bytesIn;
    closedCounters_.bytesOut += c.bytesOut;
    ++closedCounters_.transportsClosed;
    peers_.erase(it);
    dropRoomIfIdle(room);
}

void WorkerMedia::dropRoomIfIdle(const std::string& room) {
    auto r = routers_.find(room);
    if (r == routers_.end() || r->second.streams() != 0 || r->second.subscriptions() != 0) return;
    for (const auto& [id, peer] : peers_) {
        if (peer.room == room) return;
    }
    const auto& c = r->second.counters();
    closedCounters_.forwarded += c.forwarded;
    closedCounters_.nacksReceived += c.nacksReceived;
    closedCounters_.retransmitted += c.retransmitted;
    closedCounters_.keyframeRequests += c.keyframeRequestsOut;
    closedCounters_.keyframeRequestsReceived += c.keyframeRequestsIn;
    closedCounters_.transportCcFeedback += c.transportCcFeedback;
    closedCounters_.nacksSent += c.nacksSent;
    closedCounters_.rtxReceived += c.rtxReceived;
    routers_.erase(r);
}

void WorkerMedia::reap() {
    auto closing = std::move(closing_);
    closing_.clear();
    for (const std::string& participant : closing) {
        // Only if it is still the transport that closed, not a new one opened since.
        auto it = peers_.find(participant);
        if (it == peers_.end() || !it->second.transport->closed()) continue;
        const std::string room = it->second.room;
        const CertificateFingerprint fingerprint = it->second.remoteFingerprint;
        remove(participant);
        if (transportClosedSink_) transportClosedSink_(room, participant, fingerprint);
    }
}

RoomRouter& WorkerMedia::router(const std::string& room) {
    auto [it, fresh] = routers_.try_emplace(room);
    if (fresh) {
        it->second.onActiveSpeaker([this, room](const std::string& participant) {
            if (activeSpeakerSink_) activeSpeakerSink_(room, participant);
        });
    }
    return it->second;
}

void WorkerMedia::publish(const std::string& room, const PublishedStream& stream) { router(room).publish(stream); }

void WorkerMedia::setPaused(const std::string& room, std::uint32_t ssrc, bool paused) {
    if (auto r = routers_.find(room); r != routers_.end()) r->second.setPaused(ssrc, paused, nowMs());
}

void WorkerMedia::unpublish(const std::string& room, std::uint32_t ssrc) {
    if (auto r = routers_.find(room); r != routers_.end()) r->second.unpublish(ssrc);
}

void WorkerMedia::subscribe(const std::string& room, const Subscription& subscription) {
    router(room).subscribe(subscription, nowMs());
}

void WorkerMedia::unsubscribe(const std::string& room, std::uint32_t ssrc) {
    if (auto r = routers_.find(room); r != routers_.end()) r->second.unsubscribe(ssrc);
}

void WorkerMedia::setHeld(const std::string& room, std::uint32_t sourceSsrc, bool held) {
    if (auto r = routers_.find(room); r != routers_.end()) r->second.setHeld(sourceSsrc, held);
}

void WorkerMedia::onDatagram(std::span<const std::uint8_t> datagram, const udp::endpoint& from) {
    demux_.route(datagram, toTransportAddress(from), nowMs());
    reap();
}

void WorkerMedia::onFrame(std::span<const std::uint8_t> frame, const tcp::endpoint& from) {
    demux_.route(frame, toTransportAddress(from), nowMs());
    reap();
}

void WorkerMedia::onConnectionClosed(const tcp::endpoint& from) {
    const TransportAddress path = toTransportAddress(from);
    if (WebRtcTransport* transport = demux_.forget(path)) transport->pathClosed(path, nowMs());
}

void WorkerMedia::sendDatagram(std::span<const std::uint8_t> datagram, const TransportAddress& to) {
    if (to.isTcp()) {
        if (tcp_) tcp_->send(datagram, toTcpEndpoint(to));
        return;
    }
    socket_.send(datagram, toEndpoint(to));
}

void WorkerMedia::onAddressAuthenticated(WebRtcTransport& transport, const TransportAddress& from) {
    demux_.learn(transport, from);
    if (from.isTcp() && tcp_) tcp_->authenticated(toTcpEndpoint(from));
}

void WorkerMedia::onConnected(WebRtcTransport& transport) {
    if (const Peer* peer = peerOf(transport)) router(peer->room).subscriberConnected(transport.id(), nowMs());
}

const WorkerMedia::Peer* WorkerMedia::peerOf(const WebRtcTransport& transport) const {
    auto it = peers_.find(transport.id());
    return it != peers_.end() && it->second.transport.get() == &transport ? &it->second : nullptr;
}

void WorkerMedia::onRtp(WebRtcTransport& transport, std::vector<std::uint8_t>& packet) {
    const Peer* peer = peerOf(transport);
    if (!peer) return;
    using namespace std::chrono;
    const std::int64_t arrivalUs = duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
    router(peer->room).onRtp(transport.id(), packet, arrivalUs / 1000, arrivalUs);
}

void WorkerMedia::onRtcp(WebRtcTransport& transport, std::vector<std::uint8_t>& packet) {
    if (const Peer* peer = peerOf(transport)) router(peer->room).onRtcp(transport.id(), packet, nowMs());
}

void WorkerMedia::onClosed(WebRtcTransport& transport, std::string_view) {
    if (transport.dtlsFailed()) ++closedCounters_.dtlsFailures;
    closing_.push_back(transport.id());
}

WorkerCounters WorkerMedia::counters() const {
    WorkerCounters total = closedCounters_;
    const auto& d = demux_.counters();
    total.datagramsDropped = d.unknownKind + d.badStun + d.unknownUfrag + d.unknownAddress;
    if (tcp_) {
        const auto& t = tcp_->counters();
        total.tcpConnections = t.open;
        total.tcpConnectionsRefused = t.refused;
        total.tcpClosedGarbage = t.closedGarbage;
        total.tcpClosedSilent = t.closedSilent;
        total.tcpFramesDropped = t.framesDropped;
    }
    for (const auto& [id, peer] : peers_) {
        const auto& c = peer.transport->counters();
        ++total.transports;
        if (peer.transport->connected()) ++total.connectedTransports;
        total.packetsIn += c.rtpIn + c.rtcpIn;
        total.packetsOut += c.rtpOut + c.rtcpOut;
        total.bytesIn += c.bytesIn;
        total.bytesOut += c.bytesOut;
    }
    for (const auto& [room, router] : routers_) {
        const auto& c = router.counters();
        total.forwarded += c.forwarded;
        total.nacksReceived += c.nacksReceived;
        total.retransmitted += c.retransmitted;
        total.keyframeRequests += c.keyframeRequestsOut;
        total.keyframeRequestsReceived += c.keyframeRequestsIn;
        total.transportCcFeedback += c.transportCcFeedback;
        total.nacksSent += c.nacksSent;
        total.rtxReceived += c.rtxReceived;
        total.streams += router.streams();
        total.subscriptions += router.subscriptions();
    }
    return total;
}

WorkerMedia::RoomReports WorkerMedia::reports(std::int64_t nowMs) {
    RoomReports out;
    for (auto& [room, router] : routers_) {
        auto& report = out[room] = router.report(nowMs);
        report.intervalMs = kReportIntervalMs;
    }
    for (const auto& [id, peer] : peers_) {
        const WebRtcTransport& transport = *peer.transport;
        core::MediaTransportReport t;
        t.participant = id;
        t.state = transport.closed() ? "closed" : transport.connected() ? "connected" : "connecting";
        if (const auto& selected = transport.selectedAddress()) {
            t.remoteAddress = selected->withProtocol(TransportAddress::Protocol::Udp).toString();
            t.protocol = selected->isTcp() ? "tcp" : "udp";
        }
        const auto& c = transport.counters();
        t.packetsIn = c.rtpIn + c.rtcpIn;
        t.packetsOut = c.rtpOut + c.rtcpOut;
        t.bytesIn = c.bytesIn;
        t.bytesOut = c.bytesOut;
        auto& report = out[peer.room];
        report.intervalMs = kReportIntervalMs;
        report.participants.push_back(std::move(t));
    }
    for (auto& [room, report] : out) {
        std::sort(report.participants.begin(), report.participants.end(),
                  [](const auto& a, const auto& b) { return a.participant < b.participant; });
        // A connection's round trip: what the person's receiver reports gave on any of the
        // streams they receive (one path carries them all).
        for (auto& t : report.participants) {
            for (const auto& stream : report.streams) {
                for (const auto& sub : stream.subscriptions) {
                    if (sub.subscriber == t.participant && sub.rttMs) t.rttMs = sub.rttMs;
                }
            }
        }
    }
    return out;
}

std::string WorkerMedia::transportState(const std::string& participant) const {
    auto it = peers_.find(participant);
    if (it == peers_.end()) return "none";
    if (it->second.transport->closed()) return "closed";
    return it->second.transport->connected() ? "connected" : "connecting";
}

}  // namespace parley::media

#include "media/media_plane.hpp"

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <future>
#include <stdexcept>

namespace parley::media {

namespace asio = boost::asio;

MediaPlane::MediaPlane(MediaPlaneConfig config)
    : config_(std::move(config)), assignment_(config_.workers == 0 ? 1 : config_.workers) {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto certificate = DtlsCertificate::generate(now);
    if (!certificate) throw std::runtime_error("could not make the DTLS certificate");
    certificate_ = std::make_unique<DtlsCertificate>(std::move(*certificate));
    const auto address = asio::ip::make_address(config_.bindAddress);
    for (std::size_t i = 0; i < assignment_.workers(); ++i) {
        auto worker = std::make_unique<Worker>("media-" + std::to_string(i));
        const std::uint16_t port = config_.firstPort == 0 ? 0 : static_cast<std::uint16_t>(config_.firstPort + i);
        // With any free port (tests), the UDP port the kernel picked may be taken on TCP: try
        // another pick a few times before giving up.
        for (int attempt = 0;; ++attempt) {
            try {
                worker->media = std::make_unique<WorkerMedia>(
                    worker->thread.context(), asio::ip::udp::endpoint(address, port), *certificate_, config_.tcp);
                break;
            } catch (const boost::system::system_error&) {
                if (port != 0 || attempt >= 10) throw;
            }
        }
        worker->port = worker->media->port();
        Worker* self = worker.get();
        worker->media->onCounters([self](const WorkerCounters& counters) {
            std::lock_guard lock(self->countersMutex);
            self->counters = counters;
        });
        // listener_ and post_ are set before start(), which starts this thread: read here only.
        worker->media->onActiveSpeaker([this](const std::string& room, const std::string& participant) {
            if (!listener_ || !post_) return;
            post_([listener = listener_, room, participant] { listener->activeSpeakerChanged(room, participant); });
        });
        worker->media->onTransportClosed([this](const std::string& room, const std::string& participant,
                                                const CertificateFingerprint& fingerprint) {
            if (!listener_ || !post_) return;
            post_([listener = listener_, room, participant, fingerprint] {
                listener->transportClosed(room, participant, fingerprint);
            });
        });
        worker->media->onReports([self](WorkerMedia::RoomReports reports) {
            std::lock_guard lock(self->countersMutex);
            self->reports = std::move(reports);
        });
        workers_.push_back(std::move(worker));
    }
}

MediaPlane::~MediaPlane() { stop(); }

void MediaPlane::setListener(MediaPlaneListener* listener, Post post) {
    listener_ = listener;
    post_ = std::move(post);
}

void MediaPlane::start() {
    if (started_) return;
    started_ = true;
    for (auto& worker : workers_) {
        WorkerMedia* media = worker->media.get();
        worker->thread.post([media] { media->start(); });
        worker->thread.start();
    }
}

void MediaPlane::stop() {
    if (!started_) return;
    started_ = false;
    for (auto& worker : workers_) {
        WorkerMedia* media = worker->media.get();
        worker->thread.post([media] { media->stop(); });
        worker->thread.stop();
    }
}

std::uint16_t MediaPlane::pin(const std::string& room) { return workers_.at(assignment_.pin(room))->port; }

void MediaPlane::unpin(const std::string& room) { assignment_.unpin(room); }

template <class Command>
void MediaPlane::onWorkerOf(const std::string& room, Command&& command) {
    Worker& worker = *workers_.at(assignment_.pin(room));
    WorkerMedia* media = worker.media.get();
    worker.thread.post([media, command = std::forward<Command>(command)]() mutable { command(*media); });
}

void MediaPlane::openTransport(const std::string& room, const std::string& participant, IceCredentials local,
                               std::string remoteUfrag, CertificateFingerprint remoteFingerprint) {
    onWorkerOf(room, [room, participant, local = std::move(local), remoteUfrag = std::move(remoteUfrag),
                      remoteFingerprint = std::move(remoteFingerprint)](WorkerMedia& media) mutable {
        media.openTransport(room, participant, std::move(local), std::move(remoteUfrag), std::move(remoteFingerprint));
    });
}

void MediaPlane::closeTransport(const std::string& room, const std::string& participant) {
    onWorkerOf(room, [participant](WorkerMedia& media) { media.closeTransport(participant); });
}

void MediaPlane::restartIce(const std::string& room, const std::string& participant, IceCredentials local,
                            std::string remoteUfrag) {
    onWorkerOf(room, [participant, local = std::move(local), remoteUfrag = std::move(remoteUfrag)](WorkerMedia& media) mutable {
        media.restartIce(participant, std::move(local), std::move(remoteUfrag));
    });
}

void MediaPlane::publish(const std::string& room, const PublishedStream& stream) {
    onWorkerOf(room, [room, stream](WorkerMedia& media) { media.publish(room, stream); });
}

void MediaPlane::unpublish(const std::string& room, std::uint32_t ssrc) {
    onWorkerOf(room, [room, ssrc](WorkerMedia& media) { media.unpublish(room, ssrc); });
}

void MediaPlane::subscribe(const std::string& room, const Subscription& subscription) {
    onWorkerOf(room, [room, subscription](WorkerMedia& media) { media.subscribe(room, subscription); });
}

void MediaPlane::unsubscribe(const std::string& room, std::uint32_t ssrc) {
    onWorkerOf(room, [room, ssrc](WorkerMedia& media) { media.unsubscribe(room, ssrc); });
}

void MediaPlane::setHeld(const std::string& room, std::uint32_t sourceSsrc, bool held) {
    onWorkerOf(room, [room, sourceSsrc, held](WorkerMedia& media) { media.setHeld(room, sourceSsrc, held); });
}

void MediaPlane::setPaused(const std::string& room, std::uint32_t ssrc, bool paused) {
    onWorkerOf(room, [room, ssrc, paused](WorkerMedia& media) { media.setPaused(room, ssrc, paused); });
}

std::optional<core::MediaReport> MediaPlane::report(const std::string& room) const {
    const auto worker = assignment_.workerOf(room);
    if (!worker) return std::nullopt;
    const Worker& w = *workers_.at(*worker);
    std::lock_guard lock(w.countersMutex);
    auto it = w.reports.find(room);
    if (it == w.reports.end()) return std::nullopt;
    return it->second;
}

WorkerCounters MediaPlane::counters() const {
    WorkerCounters total;
    for (const auto& worker : workers_) {
        std::lock_guard lock(worker->countersMutex);
        const WorkerCounters& c = worker->counters;
        total.transports += c.transports;
        total.connectedTransports += c.connectedTransports;
        total.transportsClosed += c.transportsClosed;
        total.dtlsFailures += c.dtlsFailures;
        total.packetsIn += c.packetsIn;
        total.packetsOut += c.packetsOut;
        total.bytesIn += c.bytesIn;
        total.bytesOut += c.bytesOut;
        total.forwarded += c.forwarded;
        total.nacksReceived += c.nacksReceived;
        total.retransmitted += c.retransmitted;
        total.keyframeRequests += c.keyframeRequests;
        total.keyframeRequestsReceived += c.keyframeRequestsReceived;
        total.transportCcFeedback += c.transportCcFeedback;
        total.nacksSent += c.nacksSent;
        total.rtxReceived += c.rtxReceived;
        total.datagramsDropped += c.datagramsDropped;
        total.tcpConnections += c.tcpConnections;
        total.tcpConnectionsRefused += c.tcpConnectionsRefused;
        total.tcpClosedGarbage += c.tcpClosedGarbage;
        total.tcpClosedSilent += c.tcpClosedSilent;
        total.tcpFramesDropped += c.tcpFramesDropped;
        total.streams += c.streams;
        total.subscriptions += c.subscriptions;
    }
    return total;
}

}  // namespace parley::media

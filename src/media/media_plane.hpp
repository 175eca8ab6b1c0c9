#pragma once
// The forwarding server's media, as the signaling thread sees it: the worker threads, each with
// its UDP port (worker i on the first port + i, or any free port when the first is 0), the DTLS
// certificate made at start, and the rooms pinned to workers. Every command is posted to the
// room's worker and runs there; nothing here waits for a worker.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "media/dtls_certificate.hpp"
#include "media/media_worker.hpp"
#include "media/room_router.hpp"
#include "media/worker_assignment.hpp"
#include "media/worker_media.hpp"

namespace parley::media {

struct MediaPlaneConfig {
    std::string bindAddress = "0.0.0.0";
    std::uint16_t firstPort = 0;  // 0: each worker takes a free port (tests)
    std::size_t workers = 1;
    // The addresses browsers reach the media ports on, written into the server's SDP as host
    // candidates (--media-ip: a public address in front of a cloud VM's private one).
    std::vector<std::string> announcedAddresses;
    // Each worker also listens on TCP at its UDP port number, and the server's SDP carries a
    // passive TCP host candidate (ICE-TCP, for networks that block UDP).
    bool tcp = true;
};

// What the workers tell the signaling thread. Its calls arrive on the signaling thread, through
// the executor given with it (MediaPlane::setListener), never on a worker's.
class MediaPlaneListener {
public:
    virtual ~MediaPlaneListener() = default;
    // The room's active speaker changed (from the audio levels its publishers send).
    virtual void activeSpeakerChanged(const std::string& room, const std::string& participant) = 0;
    // A participant's transport closed by itself (DTLS failed or ended, ICE never connected,
    // consent lost for 30 s) and is gone with what went through it; `remoteFingerprint` is the
    // browser's certificate on that connection, to tell it from a newer one.
    virtual void transportClosed(const std::string& room, const std::string& participant,
                                 const CertificateFingerprint& remoteFingerprint) = 0;
};

class MediaPlane {
public:
    // Runs a task on the signaling thread (posts it; callable from any thread).
    using Post = std::function<void(std::function<void()>)>;

    // Makes the certificate and binds every worker's socket, and its TCP listener with
    // config.tcp (throws std::runtime_error or boost::system::system_error when a port is taken).
    explicit MediaPlane(MediaPlaneConfig config);
    ~MediaPlane();

    // Before start(): who hears from the workers, and how their calls reach its thread. The
    // workers never wait for it and hold nothing of theirs while it runs.
    void setListener(MediaPlaneListener* listener, Post post);

    void start();
    void stop();

    const DtlsCertificate& certificate() const { return *certificate_; }
    const std::vector<std::string>& announcedAddresses() const { return config_.announcedAddresses; }
    bool tcp() const { return config_.tcp; }

    // The room's worker (placing the room on first use) and that worker's UDP port.
    std::uint16_t pin(const std::string& room);
    void unpin(const std::string& room);

    void openTransport(const std::string& room, const std::string& participant, IceCredentials local,
                       std::string remoteUfrag, CertificateFingerprint remoteFingerprint);
    void closeTransport(const std::string& room, const std::string& participant);
    void restartIce(const std::string& room, const std::string& participant, IceCredentials local,
                    std::string remoteUfrag);
    void publish(const std::string& room, const PublishedStream& stream);
    void unpublish(const std::string& room, std::uint32_t ssrc);
    void subscribe(const std::string& room, const Subscription& subscription);
    void unsubscribe(const std::string& room, std::uint32_t ssrc);
    // RoomRouter::setHeld on the room's worker.
    void setHeld(const std::string& room, std::uint32_t sourceSsrc, bool held);
    void setPaused(const std::string& room, std::uint32_t ssrc, bool paused);

    // The workers' counters summed, as of their last report (at most half a second old).
    WorkerCounters counters() const;
    // The room's media report from its worker, as of its last report (at most half a second
    // old); nullopt while the worker has reported nothing for it (no transport, no stream yet).
    std::optional<core::MediaReport> report(const std::string& room) const;
    std::size_t workers() const { return workers_.size(); }
    std::uint16_t portOf(std::size_t worker) const { return workers_.at(worker)->port; }

private:
    struct Worker {
        explicit Worker(std::string name) : thread(std::move(name)) {}
        MediaWorker thread;
        std::unique_ptr<WorkerMedia> media;
        std::uint16_t port = 0;
        mutable std::mutex countersMutex;
        WorkerCounters counters;
        WorkerMedia::RoomReports reports;  // under countersMutex too
    };

    template <class Command>
    void onWorkerOf(const std::string& room, Command&& command);

    MediaPlaneConfig config_;
    std::unique_ptr<DtlsCertificate> certificate_;
    std::vector<std::unique_ptr<Worker>> workers_;
    WorkerAssignment assignment_;
    MediaPlaneListener* listener_ = nullptr;
    Post post_;
    bool started_ = false;
};

}  // namespace parley::media

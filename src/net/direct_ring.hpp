#pragma once
// One io_uring whose sockets live in the ring's own table of registered ("direct") descriptors
// instead of the process's file table. RLIMIT_NOFILE bounds each ring's table, but not how
// many rings a process has, so a server with several rings holds more connections than it
// may open files (DirectRings). Every operation on such a socket goes through the ring.
//
// Completions come back on the io_context thread: the ring signals an eventfd that asio
// waits on, and each wake-up reaps all completions inside one DeferredFlush::Scope, then
// submits everything they queued in one system call (and reaps again what that completed).
#include <liburing.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

namespace parley::net {

class DeferredFlush;

class DirectRing {
public:
    // Something in flight. The ring calls complete() for each of its completions; the
    // operation owns itself and decides, at its last completion (no IORING_CQE_F_MORE),
    // whether to go again or to end.
    class Operation {
    public:
        virtual ~Operation() = default;
        virtual void complete(DirectRing& ring, const io_uring_cqe& cqe) = 0;
    };

    // A ring with `slots` registered descriptors. nullptr, with `error` saying why, where the
    // kernel refuses (io_uring disabled, too old, or a seccomp filter).
    static std::unique_ptr<DirectRing> open(boost::asio::io_context& io, DeferredFlush& batch,
                                            unsigned slots, std::string& error);
    ~DirectRing();

    DirectRing(const DirectRing&) = delete;
    DirectRing& operator=(const DirectRing&) = delete;

    // Moves the socket `fd` into a free slot and closes `fd`; nullopt when the table is full
    // (or the kernel refuses: `error`). The slot is free again once close() has completed.
    std::optional<unsigned> adopt(int fd, std::string& error);
    bool full() const { return free_.empty(); }
    unsigned slotsInUse() const { return slots_ - static_cast<unsigned>(free_.size()); }

    // A submission entry, sent to the kernel at the end of this turn. `operation` (or none:
    // the completion is ignored) hears of its completions. nullptr when the submission queue
    // is full and the kernel will not take it yet: the caller treats that as a failed call.
    io_uring_sqe* prepare(Operation* operation);
    boost::asio::io_context::executor_type executor() { return io_.get_executor(); }
    // True while the ring is being torn down: operations end instead of going again.
    bool closing() const { return closing_; }
    // Shuts the socket down and frees its slot: whatever is pending on it ends first.
    void close(unsigned slot);

    // Receive buffers (a provided-buffer ring shared by every socket of this ring).
    unsigned short bufferGroup() const { return kBufferGroup; }
    char* buffer(unsigned id) { return buffers_.get() + std::size_t(id) * kBufferBytes; }
    void recycle(unsigned id);

private:
    static constexpr unsigned short kBufferGroup = 0;
    static constexpr unsigned kBuffers = 128;
    static constexpr std::size_t kBufferBytes = 4096;

    DirectRing(boost::asio::io_context& io, DeferredFlush& batch, unsigned slots);
    bool setUp(std::string& error);
    void waitForCompletions();
    void reap();
    bool reapOnce();  // whether there was anything
    void submitSoon();
    void submitNow();
    void dispatch(const io_uring_cqe& cqe);

    boost::asio::io_context& io_;
    DeferredFlush& batch_;
    io_uring ring_{};
    bool ringReady_ = false;
    boost::asio::posix::stream_descriptor notify_;  // the eventfd the kernel signals
    io_uring_buf_ring* bufferRing_ = nullptr;  // mmap'ed, shared with the kernel
    std::unique_ptr<char[]> buffers_;
    const unsigned slots_;
    std::vector<unsigned> free_;
    std::size_t inFlight_ = 0;  // submissions whose last completion has not come yet
    bool submitPosted_ = false;
    bool reaping_ = false;
    bool closing_ = false;
};

// As many rings as the connections need, each as large as the file limit allows.
class DirectRings {
public:
    DirectRings(boost::asio::io_context& io, DeferredFlush& batch);
    ~DirectRings();

    // Tries to open the first ring; false with `error` where io_uring cannot be used.
    bool start(std::string& error);

    struct Adopted {
        DirectRing* ring;
        unsigned slot;
    };
    // Moves `fd` into some ring, opening a new one when all are full; nullopt (and `fd` left
    // open) when none can take it.
    std::optional<Adopted> adopt(int fd);

    std::size_t rings() const { return rings_.size(); }
    // Connections held in the rings now (slots taken, including ones still closing).
    std::size_t connections() const;

private:
    // The first ring with a free slot, or a new one; nullptr when a new one is refused.
    DirectRing* ringWithRoom();

    boost::asio::io_context& io_;
    DeferredFlush& batch_;
    unsigned slotsPerRing_ = 0;
    std::vector<std::unique_ptr<DirectRing>> rings_;
    bool refused_ = false;  // a new ring was refused once: do not ask on every connection
};

}  // namespace parley::net

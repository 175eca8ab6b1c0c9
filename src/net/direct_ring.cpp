#include "net/direct_ring.hpp"

#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "net/deferred_flush.hpp"

namespace parley::net {

namespace asio = boost::asio;

namespace {

constexpr unsigned kSubmissions = 4096;
constexpr unsigned kCompletions = 4 * kSubmissions;
// Completions handled per look, and looks per wake-up, before other work gets its turn.
constexpr int kMaxCompletionsPerTurn = kCompletions;
constexpr int kReapRounds = 4;
// How long a ring being torn down waits for what is still in flight.
constexpr auto kDrainBound = std::chrono::seconds(2);

// user_data: an Operation*, 0 (nobody listens), or a slot being closed (odd: slot * 2 + 1).
constexpr std::uint64_t closedSlotData(unsigned slot) { return (std::uint64_t(slot) << 1) | 1; }

std::string kernelError(const char* call, int result) {
    return std::string(call) + ": " + std::strerror(-result);
}

}  // namespace

DirectRing::DirectRing(asio::io_context& io, DeferredFlush& batch, unsigned slots)
    : io_(io), batch_(batch), notify_(io), slots_(slots) {}

std::unique_ptr<DirectRing> DirectRing::open(asio::io_context& io, DeferredFlush& batch,
                                             unsigned slots, std::string& error) {
    std::unique_ptr<DirectRing> ring(new DirectRing(io, batch, slots));
    if (!ring->setUp(error)) return nullptr;
    ring->waitForCompletions();
    return ring;
}

bool DirectRing::setUp(std::string& error) {
    io_uring_params params{};
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER;
    params.cq_entries = kCompletions;
    if (int result = io_uring_queue_init_params(kSubmissions, &ring_, &params); result < 0) {
        error = kernelError("io_uring_setup", result);
        return false;
    }
    ringReady_ = true;
    if (int result = io_uring_register_files_sparse(&ring_, slots_); result < 0) {
        error = kernelError("io_uring_register_files_sparse", result);
        return false;
    }

    const int eventFd = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (eventFd < 0) {
        error = std::string("eventfd: ") + std::strerror(errno);
        return false;
    }
    notify_.assign(eventFd);
    if (int result = io_uring_register_eventfd(&ring_, eventFd); result < 0) {
        error = kernelError("io_uring_register_eventfd", result);
        return false;
    }

    void* memory = ::mmap(nullptr, kBuffers * sizeof(io_uring_buf), PROT_READ | PROT_WRITE,
                          MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (memory == MAP_FAILED) {
        error = std::string("mmap: ") + std::strerror(errno);
        return false;
    }
    bufferRing_ = static_cast<io_uring_buf_ring*>(memory);
    io_uring_buf_ring_init(bufferRing_);
    io_uring_buf_reg registration{};
    registration.ring_addr = reinterpret_cast<std::uint64_t>(bufferRing_);
    registration.ring_entries = kBuffers;
    registration.bgid = kBufferGroup;
    if (int result = io_uring_register_buf_ring(&ring_, &registration, 0); result < 0) {
        error = kernelError("io_uring_register_buf_ring", result);
        return false;
    }
    buffers_ = std::make_unique<char[]>(kBuffers * kBufferBytes);
    for (unsigned id = 0; id < kBuffers; ++id) {
        io_uring_buf_ring_add(bufferRing_, buffer(id), kBufferBytes, static_cast<unsigned short>(id),
                              io_uring_buf_ring_mask(kBuffers), static_cast<int>(id));
    }
    io_uring_buf_ring_advance(bufferRing_, static_cast<int>(kBuffers));

    // Lowest slots first: the free list is a stack.
    free_.reserve(slots_);
    for (unsigned slot = slots_; slot > 0; --slot) free_.push_back(slot - 1);
    return true;
}

DirectRing::~DirectRing() {
    closing_ = true;
    if (ringReady_) {
        if (inFlight_ > 0) {
            if (io_uring_sqe* sqe = prepare(nullptr)) {
                io_uring_prep_cancel(sqe, nullptr, IORING_ASYNC_CANCEL_ANY);
            }
            submitNow();
            const auto until = std::chrono::steady_clock::now() + kDrainBound;
            while (inFlight_ > 0 && std::chrono::steady_clock::now() < until) {
                __kernel_timespec wait{0, 100'000'000};
                io_uring_cqe* cqe = nullptr;
                if (io_uring_wait_cqe_timeout(&ring_, &cqe, &wait) < 0) continue;
                reap();
            }
            if (inFlight_ > 0) spdlog::warn("io_uring: {} operations still in flight at exit", inFlight_);
        }
        io_uring_queue_exit(&ring_);
    }
    if (bufferRing_) ::munmap(bufferRing_, kBuffers * sizeof(io_uring_buf));
}

std::optional<unsigned> DirectRing::adopt(int fd, std::string& error) {
    if (free_.empty()) return std::nullopt;
    const unsigned slot = free_.back();
    if (int result = io_uring_register_files_update(&ring_, slot, &fd, 1); result != 1) {
        error = kernelError("io_uring_register_files_update", result < 0 ? result : -EIO);
        return std::nullopt;
    }
    free_.pop_back();
    ::close(fd);  // the ring holds the socket now
    return slot;
}

io_uring_sqe* DirectRing::prepare(Operation* operation) {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring_);
    if (!sqe) {
        submitNow();
        sqe = io_uring_get_sqe(&ring_);
        if (!sqe) return nullptr;
    }
    ++inFlight_;
    io_uring_sqe_set_data64(sqe, reinterpret_cast<std::uint64_t>(operation));
    submitSoon();
    return sqe;
}

void DirectRing::close(unsigned slot) {
    // Cancelling first ends the pending receive (its last completion releases its owner);
    // the socket itself closes when the last request holding it is done.
    if (io_uring_sqe* cancel = prepare(nullptr)) {
        io_uring_prep_cancel_fd(cancel, static_cast<int>(slot),
                                IORING_ASYNC_CANCEL_ALL | IORING_ASYNC_CANCEL_FD_FIXED);
    }
    if (io_uring_sqe* sqe = prepare(nullptr)) {
        io_uring_prep_close_direct(sqe, slot);
        io_uring_sqe_set_data64(sqe, closedSlotData(slot));
    } else {
        spdlog::error("io_uring: no room to close slot {}; it stays taken", slot);
    }
}

void DirectRing::recycle(unsigned id) {
    io_uring_buf_ring_add(bufferRing_, buffer(id), kBufferBytes, static_cast<unsigned short>(id),
                          io_uring_buf_ring_mask(kBuffers), 0);
    io_uring_buf_ring_advance(bufferRing_, 1);
}

void DirectRing::waitForCompletions() {
    notify_.async_wait(asio::posix::stream_descriptor::wait_read,
                       [this](boost::system::error_code error) {
                           if (error) return;  // closed: the ring is gone
                           std::uint64_t count = 0;
                           [[maybe_unused]] auto ignored = ::read(notify_.native_handle(), &count, sizeof count);
                           reap();
                           waitForCompletions();
                       });
    // A completion that came after the last reap but before this wait began raised its edge
    // with nobody waiting: reap it now rather than at the next one.
    if (io_uring_cq_ready(&ring_) > 0) {
        asio::post(io_, [this] { reap(); });
    }
}

void DirectRing::reap() {
    // What completes while reaping, or at once inside the submission that follows (a send
    // the socket takes straight away), is reaped here rather than announced on the eventfd,
    // which would wake this thread once more for it.
    io_uring_cq_eventfd_toggle(&ring_, false);
    reaping_ = true;  // submitNow() below sends what completions queue: no need to post one
    for (int round = 0; round < kReapRounds; ++round) {
        const bool more = reapOnce();
        submitNow();
        if (!more && io_uring_cq_ready(&ring_) == 0) break;
    }
    reaping_ = false;
    io_uring_cq_eventfd_toggle(&ring_, true);
    // Something that came after the last look raised no event: look again soon.
    if (io_uring_cq_ready(&ring_) > 0) asio::post(io_, [this] { reap(); });
}

bool DirectRing::reapOnce() {
    DeferredFlush::Scope writesOnceEach(batch_);
    io_uring_cqe* cqe = nullptr;
    int handled = 0;
    while (handled < kMaxCompletionsPerTurn && io_uring_peek_cqe(&ring_, &cqe) == 0) {
        const io_uring_cqe copy = *cqe;
        io_uring_cqe_seen(&ring_, cqe);
        ++handled;
        dispatch(copy);
    }
    return handled > 0;
}

void DirectRing::dispatch(const io_uring_cqe& cqe) {
    const bool last = !(cqe.flags & IORING_CQE_F_MORE);
    if (last) --inFlight_;
    const std::uint64_t data = io_uring_cqe_get_data64(&cqe);
    if (data == 0) return;
    if (data & 1) {
        const auto slot = static_cast<unsigned>(data >> 1);
        if (cqe.res < 0) spdlog::warn("io_uring: closing slot {}: {}", slot, std::strerror(-cqe.res));
        free_.push_back(slot);
        return;
    }
    reinterpret_cast<Operation*>(data)->complete(*this, cqe);
}

void DirectRing::submitSoon() {
    if (submitPosted_ || reaping_ || closing_) return;
    submitPosted_ = true;
    asio::post(io_, [this] {
        submitPosted_ = false;
        submitNow();
    });
}

void DirectRing::submitNow() {
    if (io_uring_sq_ready(&ring_) == 0) return;
    if (int result = io_uring_submit(&ring_); result < 0 && result != -EBUSY && result != -EAGAIN) {
        spdlog::warn("io_uring: submit: {}", std::strerror(-result));
    }
}

// --- DirectRings ----------------------------------------------------------------------------

DirectRings::DirectRings(asio::io_context& io, DeferredFlush& batch) : io_(io), batch_(batch) {}

DirectRings::~DirectRings() {
    // Newest first; each ring drains what is still in flight on it.
    while (!rings_.empty()) rings_.pop_back();
}

bool DirectRings::start(std::string& error) {
    // One ring's table may be as large as the (soft) file limit, which the server has raised.
    rlimit limit{};
    getrlimit(RLIMIT_NOFILE, &limit);
    const rlim_t cap = limit.rlim_cur == RLIM_INFINITY ? rlim_t(1) << 20 : limit.rlim_cur;
    slotsPerRing_ = static_cast<unsigned>(std::min<rlim_t>(cap, rlim_t(1) << 20));
    auto ring = DirectRing::open(io_, batch_, slotsPerRing_, error);
    if (!ring) return false;
    rings_.push_back(std::move(ring));
    return true;
}

std::size_t DirectRings::connections() const {
    std::size_t held = 0;
    for (const auto& ring : rings_) held += ring->slotsInUse();
    return held;
}

std::optional<DirectRings::Adopted> DirectRings::adopt(int fd) {
    DirectRing* ring = ringWithRoom();
    if (!ring) return std::nullopt;
    std::string error;
    if (auto slot = ring->adopt(fd, error)) return Adopted{ring, *slot};
    spdlog::warn("io_uring: {}", error);
    return std::nullopt;
}

DirectRing* DirectRings::ringWithRoom() {
    for (auto& ring : rings_)
        if (!ring->full()) return ring.get();
    if (refused_ || rings_.empty()) return nullptr;
    std::string error;
    auto ring = DirectRing::open(io_, batch_, slotsPerRing_, error);
    if (!ring) {
        refused_ = true;
        spdlog::warn("io_uring: another ring refused ({}); further connections use the file table",
                     error);
        return nullptr;
    }
    spdlog::info("io_uring: ring {} opened ({} connections each)", rings_.size() + 1, slotsPerRing_);
    rings_.push_back(std::move(ring));
    return rings_.back().get();
}

}  // namespace parley::net

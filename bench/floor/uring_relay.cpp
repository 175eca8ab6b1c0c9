#include "kernel_relay.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#ifdef PARLEY_HAVE_LIBURING
#include <liburing.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#endif

namespace parley::bench {

#ifdef PARLEY_HAVE_LIBURING

namespace {

constexpr unsigned kSubmissions = 1024;
// Received bytes land in buffers the kernel picks from a shared ring (a "provided buffer
// ring"), so one multishot recv per connection stays armed for the whole run and no buffer
// is tied to a connection. A buffer goes back to the ring when its send completes.
constexpr unsigned kBuffers = 4096;  // a power of two, as the ring wants
constexpr std::size_t kBufferBytes = 4096;
constexpr int kBufferGroup = 0;

// user_data: the connection's index, a send bit, and for a send the buffer it sends from.
constexpr std::uint64_t kSendBit = 1;
std::uint64_t recvData(std::size_t connection) { return std::uint64_t(connection) << 1; }
std::uint64_t sendData(std::size_t connection, unsigned buffer) {
    return std::uint64_t(buffer) << 32 | std::uint64_t(connection) << 1 | kSendBit;
}

[[noreturn]] void failWithResult(const char* what, int result) {
    errno = -result;
    failWithErrno(what);
}

void initRing(io_uring& ring, std::size_t connections) {
    io_uring_params params{};
    // Completions are handled only when the relay asks for them, on its own thread: the setup
    // io_uring's authors recommend for a single-threaded event loop (kernel 6.1 and later).
    params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    // Room for a completion per connection and direction, and never fewer than submissions.
    const unsigned completions = std::max(unsigned(2 * connections), 2 * kSubmissions);
    params.cq_entries = completions;
    int result = io_uring_queue_init_params(kSubmissions, &ring, &params);
    if (result == -EINVAL) {  // an older kernel: plain completions
        params = {};
        params.flags = IORING_SETUP_CQSIZE;
        params.cq_entries = completions;
        result = io_uring_queue_init_params(kSubmissions, &ring, &params);
    }
    if (result < 0) failWithResult("io_uring_queue_init_params", result);
}

}  // namespace

bool uringRelayBuilt() { return true; }

void runUringRelay(int listener, std::size_t connections, UringBatch batch) {
    const std::vector<int> fds = acceptAll(listener, connections);
    io_uring ring;
    initRing(ring, connections);

    void* ringMemory = mmap(nullptr, kBuffers * sizeof(io_uring_buf), PROT_READ | PROT_WRITE,
                            MAP_ANONYMOUS | MAP_PRIVATE, -1, 0);
    if (ringMemory == MAP_FAILED) failWithErrno("mmap");
    auto* bufferRing = static_cast<io_uring_buf_ring*>(ringMemory);
    io_uring_buf_ring_init(bufferRing);
    io_uring_buf_reg registration{};
    registration.ring_addr = reinterpret_cast<std::uint64_t>(bufferRing);
    registration.ring_entries = kBuffers;
    registration.bgid = kBufferGroup;
    if (int result = io_uring_register_buf_ring(&ring, &registration, 0); result < 0)
        failWithResult("io_uring_register_buf_ring (kernel 5.19 or later)", result);
    std::vector<char> buffers(kBuffers * kBufferBytes);
    const int mask = io_uring_buf_ring_mask(kBuffers);
    const auto giveBack = [&](unsigned buffer, int offset) {
        io_uring_buf_ring_add(bufferRing, buffers.data() + buffer * kBufferBytes, kBufferBytes,
                              static_cast<unsigned short>(buffer), mask, offset);
    };
    for (unsigned b = 0; b < kBuffers; ++b) giveBack(b, int(b));
    io_uring_buf_ring_advance(bufferRing, int(kBuffers));
    std::vector<int> sending(kBuffers, 0);  // bytes of the send in flight from buffer b

    const auto nextSqe = [&ring] {
        io_uring_sqe* sqe = io_uring_get_sqe(&ring);
        if (sqe == nullptr) {  // the submission queue is full: hand it to the kernel first
            io_uring_submit(&ring);
            sqe = io_uring_get_sqe(&ring);
        }
        return sqe;
    };
    const auto armRecv = [&](std::size_t i) {
        io_uring_sqe* sqe = nextSqe();
        io_uring_prep_recv_multishot(sqe, fds[i], nullptr, 0, 0);
        sqe->flags |= IOSQE_BUFFER_SELECT;
        sqe->buf_group = kBufferGroup;
        io_uring_sqe_set_data64(sqe, recvData(i));
    };
    for (std::size_t i = 0; i < fds.size(); ++i) armRecv(i);

    __kernel_timespec wait{};
    wait.tv_sec = batch.waitUs / 1'000'000;
    wait.tv_nsec = long(batch.waitUs % 1'000'000) * 1000;
    std::size_t open = fds.size();
    while (open > 0) {
        int result = 0;
        if (batch.completions > 1) {
            io_uring_cqe* first = nullptr;
            result = io_uring_submit_and_wait_timeout(&ring, &first, batch.completions, &wait, nullptr);
            if (result == -ETIME) result = 0;
        } else {
            result = io_uring_submit_and_wait(&ring, 1);
        }
        if (result < 0 && result != -EINTR) failWithResult("io_uring_submit_and_wait", result);
        io_uring_cqe* cqe = nullptr;
        unsigned head = 0, seen = 0, returned = 0;
        io_uring_for_each_cqe(&ring, head, cqe) {
            ++seen;
            const std::uint64_t data = io_uring_cqe_get_data64(cqe);
            const std::size_t i = std::size_t(std::uint32_t(data) >> 1);
            if (data & kSendBit) {
                const unsigned buffer = unsigned(data >> 32);
                // The driver reads everything at once, so a short send would be a broken run.
                if (cqe->res < 0) failWithResult("send", cqe->res);
                if (cqe->res != sending[buffer]) {
                    std::fprintf(stderr, "parley-syscall-floor: short send (%d of %d bytes)\n", cqe->res,
                                 sending[buffer]);
                    std::exit(1);
                }
                giveBack(buffer, int(returned++));
                continue;
            }
            if (cqe->res > 0) {
                const unsigned buffer = cqe->flags >> IORING_CQE_BUFFER_SHIFT;
                sending[buffer] = cqe->res;
                io_uring_sqe* sqe = nextSqe();
                io_uring_prep_send(sqe, fds[i ^ 1], buffers.data() + buffer * kBufferBytes, unsigned(cqe->res),
                                   MSG_NOSIGNAL | MSG_WAITALL);
                io_uring_sqe_set_data64(sqe, sendData(i, buffer));
            }
            // A multishot recv ends on end of stream, on an error, or when the ring ran out of
            // buffers (-ENOBUFS): the first two close the connection, the last re-arms it.
            if (cqe->flags & IORING_CQE_F_MORE) continue;
            if (cqe->res > 0 || cqe->res == -ENOBUFS || cqe->res == -EINTR) {
                armRecv(i);
            } else {
                close(fds[i]);
                --open;
            }
        }
        io_uring_cq_advance(&ring, seen);
        io_uring_buf_ring_advance(bufferRing, int(returned));
    }
    std::exit(0);
}

#else

bool uringRelayBuilt() { return false; }

void runUringRelay(int, std::size_t, UringBatch) {
    std::fprintf(stderr, "parley-syscall-floor: built without liburing (script/bootstrap installs liburing-dev)\n");
    std::exit(2);
}

#endif

}  // namespace parley::bench

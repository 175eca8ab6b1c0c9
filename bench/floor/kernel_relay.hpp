// The relays parley-syscall-floor forks. Each accepts `connections` TCP connections, forwards
// whatever connection i receives to connection i ^ 1 with no protocol and no allocation, and
// exits when every connection has closed. They differ only in how they ask the kernel.
#pragma once

#include <cstddef>
#include <vector>

namespace parley::bench {

// Prints "parley-syscall-floor: <what>: <errno text>" and exits 1.
[[noreturn]] void failWithErrno(const char* what);

// O_NONBLOCK on `fd`, or exits as failWithErrno does.
void setNonBlocking(int fd);

// Accepts `connections` connections (TCP_NODELAY, blocking) and closes the listener.
std::vector<int> acceptAll(int listener, std::size_t connections);

// epoll_wait (level-triggered, so no epoll_ctl per message), then recv and send.
[[noreturn]] void runEpollRelay(int listener, std::size_t connections);

// How long an io_uring relay may wait to gather completions: until `completions` have
// arrived or `waitUs` have passed. 1 completion waits for the first, as epoll_wait does.
struct UringBatch {
    unsigned completions = 1;
    unsigned waitUs = 0;
};

// io_uring: one multishot recv armed on every connection for the whole run, into a ring of
// provided buffers; each completed recv becomes a send to the partner, each completed send
// gives its buffer back, and one io_uring_enter per wake-up submits all of them and collects
// the next completions.
[[noreturn]] void runUringRelay(int listener, std::size_t connections, UringBatch batch);

// Whether this build has the io_uring relay (liburing was found).
bool uringRelayBuilt();

}  // namespace parley::bench

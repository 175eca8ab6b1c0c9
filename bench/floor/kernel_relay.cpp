#include "kernel_relay.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace parley::bench {

void failWithErrno(const char* what) {
    std::fprintf(stderr, "parley-syscall-floor: %s: %s\n", what, std::strerror(errno));
    std::exit(1);
}

void setNonBlocking(int fd) {
    if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) failWithErrno("fcntl");
}

std::vector<int> acceptAll(int listener, std::size_t connections) {
    std::vector<int> fds;
    fds.reserve(connections);
    while (fds.size() < connections) {
        const int fd = accept(listener, nullptr, nullptr);
        if (fd < 0) failWithErrno("accept");
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        fds.push_back(fd);
    }
    close(listener);
    return fds;
}

void runEpollRelay(int listener, std::size_t connections) {
    const std::vector<int> fds = acceptAll(listener, connections);
    const int epoll = epoll_create1(0);
    for (std::size_t i = 0; i < fds.size(); ++i) {
        setNonBlocking(fds[i]);
        epoll_event event{};
        event.events = EPOLLIN;
        event.data.u64 = i;
        if (epoll_ctl(epoll, EPOLL_CTL_ADD, fds[i], &event) != 0) failWithErrno("epoll_ctl");
    }
    std::vector<epoll_event> events(512);
    static char buffer[65536];
    std::size_t open = fds.size();
    while (open > 0) {
        const int ready = epoll_wait(epoll, events.data(), int(events.size()), -1);
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) failWithErrno("epoll_wait");
        for (int e = 0; e < ready; ++e) {
            const std::size_t i = events[e].data.u64;
            const ssize_t got = recv(fds[i], buffer, sizeof buffer, 0);
            if (got > 0) {
                // The driver reads everything at once, so a short send would be a broken run.
                if (send(fds[i ^ 1], buffer, std::size_t(got), MSG_NOSIGNAL) != got) failWithErrno("short send");
            } else if (got == 0 || (errno != EAGAIN && errno != EINTR)) {
                epoll_ctl(epoll, EPOLL_CTL_DEL, fds[i], nullptr);
                close(fds[i]);
                --open;
            }
        }
    }
    std::exit(0);
}

}  // namespace parley::bench

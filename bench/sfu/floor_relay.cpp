// parley-sfu-floor: the SFU benchmark's floor. A UDP relay that does only what the kernel must
// do for any SFU on this machine: receive the publisher's packets and send each to every
// subscriber of its room, in batches (recvmmsg, then sendmmsg of every copy, each copy's iovec
// pointing at the one received buffer: no copy per subscriber, no crypto, no parsing).
//
// A datagram "SFUP" or "SFUS" + a 4-byte room number registers its sender as that room's
// publisher or a subscriber; any other datagram from a publisher is relayed.
//
//   parley-sfu-floor [--port-file FILE]    binds 127.0.0.1:0, writes the port to FILE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

constexpr std::size_t kBatch = 64;
constexpr std::size_t kSendBatch = 1024;  // UIO_MAXIOV: the most sendmmsg takes at once
constexpr std::size_t kBytes = 2048;

std::uint64_t key(const sockaddr_in& a) { return (std::uint64_t(a.sin_addr.s_addr) << 16) | a.sin_port; }

volatile std::sig_atomic_t stopping = 0;
void onSignal(int) { stopping = 1; }

}  // namespace

int main(int argc, char** argv) {
    std::string portFile;
    for (int i = 1; i < argc; ++i) {
        if (std::string(argv[i]) == "--port-file" && i + 1 < argc) {
            portFile = argv[++i];
        } else {
            std::fprintf(stderr, "usage: parley-sfu-floor [--port-file FILE]\n");
            return 2;
        }
    }
    // Without SA_RESTART, so a signal ends the blocking read and the loop sees it.
    struct sigaction stop{};
    stop.sa_handler = onSignal;
    ::sigaction(SIGTERM, &stop, nullptr);
    ::sigaction(SIGINT, &stop, nullptr);
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const int size = 8 << 20;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
        std::perror("bind");
        return 1;
    }
    socklen_t len = sizeof local;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len);
    if (!portFile.empty()) {
        std::ofstream(portFile + ".tmp") << ntohs(local.sin_port) << "\n";
        std::rename((portFile + ".tmp").c_str(), portFile.c_str());
    }
    std::printf("parley-sfu-floor: listening on 127.0.0.1:%u\n", unsigned(ntohs(local.sin_port)));
    std::fflush(stdout);

    std::unordered_map<std::uint64_t, std::uint32_t> publisherRoom;
    std::map<std::uint32_t, std::vector<sockaddr_in>> subscribers;

    static std::array<std::array<std::uint8_t, kBytes>, kBatch> data;
    std::array<iovec, kBatch> iov{};
    std::array<sockaddr_in, kBatch> from{};
    std::array<mmsghdr, kBatch> in{};
    std::vector<mmsghdr> out(kSendBatch);
    std::vector<iovec> outIov(kSendBatch);
    std::uint64_t relayed = 0;
    const auto flush = [&](std::size_t& n) {
        std::size_t done = 0;
        while (done < n) {
            const int sent = ::sendmmsg(fd, out.data() + done, unsigned(n - done), 0);
            if (sent < 0) {
                if (errno == EINTR) continue;
                break;  // a full queue towards one subscriber: that copy is lost, as on a network
            }
            done += std::size_t(sent);
        }
        relayed += done;
        n = 0;
    };
    while (!stopping) {
        for (std::size_t i = 0; i < kBatch; ++i) {
            iov[i] = {data[i].data(), kBytes};
            in[i].msg_hdr = {};
            in[i].msg_hdr.msg_iov = &iov[i];
            in[i].msg_hdr.msg_iovlen = 1;
            in[i].msg_hdr.msg_name = &from[i];
            in[i].msg_hdr.msg_namelen = sizeof(sockaddr_in);
        }
        // Blocks for the first datagram, then takes whatever else is queued.
        const int n = ::recvmmsg(fd, in.data(), kBatch, MSG_WAITFORONE, nullptr);
        if (n < 0) {
            if (errno == EINTR) continue;
            std::perror("recvmmsg");
            return 1;
        }
        std::size_t pending = 0;
        for (int i = 0; i < n; ++i) {
            const std::uint8_t* bytes = data[std::size_t(i)].data();
            const std::size_t size = in[std::size_t(i)].msg_len;
            const sockaddr_in& sender = from[std::size_t(i)];
            if (size == 8 && std::memcmp(bytes, "SFU", 3) == 0 && (bytes[3] == 'P' || bytes[3] == 'S')) {
                const std::uint32_t room = (std::uint32_t(bytes[4]) << 24) | (std::uint32_t(bytes[5]) << 16) |
                                           (std::uint32_t(bytes[6]) << 8) | bytes[7];
                if (bytes[3] == 'P') {
                    publisherRoom[key(sender)] = room;
                } else {
                    subscribers[room].push_back(sender);
                }
                continue;
            }
            const auto it = publisherRoom.find(key(sender));
            if (it == publisherRoom.end()) continue;
            for (const sockaddr_in& to : subscribers[it->second]) {
                if (pending == kSendBatch) flush(pending);
                outIov[pending] = {data[std::size_t(i)].data(), size};
                out[pending].msg_hdr = {};
                out[pending].msg_hdr.msg_iov = &outIov[pending];
                out[pending].msg_hdr.msg_iovlen = 1;
                out[pending].msg_hdr.msg_name = const_cast<sockaddr_in*>(&to);
                out[pending].msg_hdr.msg_namelen = sizeof to;
                ++pending;
            }
        }
        flush(pending);
    }
    std::printf("parley-sfu-floor: relayed %llu datagrams\n", static_cast<unsigned long long>(relayed));
    return 0;
}

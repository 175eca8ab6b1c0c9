#include "app/interface_addresses.hpp"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <vector>

namespace parley::app {

// Asked with SIOCGIFCONF on an AF_INET socket, not getifaddrs(): that one needs an AF_NETLINK
// socket, which the systemd unit's RestrictAddressFamilies= forbids, and under it the server
// would announce nothing but 127.0.0.1 to browsers (packaging/parley.service). SIOCGIFCONF
// lists the IPv4 addresses of configured interfaces, which is all that is announced.
std::vector<std::string> interfaceAddresses() {
    std::vector<std::string> addresses;
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return addresses;
    // Asked again with more room while the answer fills it (the kernel truncates silently).
    std::vector<ifreq> requests(16);
    ifconf list{};
    for (;;) {
        list.ifc_len = static_cast<int>(requests.size() * sizeof(ifreq));
        list.ifc_req = requests.data();
        if (::ioctl(fd, SIOCGIFCONF, &list) != 0) {
            ::close(fd);
            return addresses;
        }
        if (static_cast<std::size_t>(list.ifc_len) < requests.size() * sizeof(ifreq) ||
            requests.size() >= 4096) {
            break;
        }
        requests.resize(requests.size() * 2);
    }
    const auto count = static_cast<std::size_t>(list.ifc_len) / sizeof(ifreq);
    for (std::size_t i = 0; i < count; ++i) {
        ifreq entry = requests[i];
        if (entry.ifr_addr.sa_family != AF_INET) continue;
        sockaddr_in v4{};
        std::memcpy(&v4, &entry.ifr_addr, sizeof v4);
        if (::ioctl(fd, SIOCGIFFLAGS, &entry) != 0 || (entry.ifr_flags & IFF_UP) == 0) continue;
        char text[INET_ADDRSTRLEN] = {};
        if (inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text) != nullptr) addresses.emplace_back(text);
    }
    ::close(fd);
    return addresses;
}

}  // namespace parley::app

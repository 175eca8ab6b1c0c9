#include "app/interface_addresses.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <optional>
#include <vector>

namespace parley::app {
namespace {

std::optional<std::string> textOf(const sockaddr* address) {
    sockaddr_in v4{};
    std::memcpy(&v4, address, sizeof v4);
    char text[INET_ADDRSTRLEN] = {};
    if (inet_ntop(AF_INET, &v4.sin_addr, text, sizeof text) == nullptr) return std::nullopt;
    return std::string(text);
}

// Every address of every interface, secondary ones included; needs an AF_NETLINK socket.
std::optional<std::vector<std::string>> fromGetifaddrs() {
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return std::nullopt;
    std::vector<std::string> addresses;
    for (const ifaddrs* entry = list; entry != nullptr; entry = entry->ifa_next) {
        if (entry->ifa_addr == nullptr || entry->ifa_addr->sa_family != AF_INET) continue;
        if ((entry->ifa_flags & IFF_UP) == 0) continue;
        if (auto text = textOf(entry->ifa_addr)) addresses.push_back(std::move(*text));
    }
    freeifaddrs(list);
    return addresses;
}

// Where netlink is forbidden (a systemd unit's RestrictAddressFamilies= without AF_NETLINK,
// a seccomp profile): SIOCGIFCONF on an AF_INET socket, which lists each interface's primary
// IPv4 address (and labelled aliases), not secondary ones. Without it such a server would
// announce nothing but 127.0.0.1 to browsers.
std::vector<std::string> fromIoctl() {
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
        auto text = textOf(&entry.ifr_addr);  // before SIOCGIFFLAGS overwrites the union
        if (::ioctl(fd, SIOCGIFFLAGS, &entry) != 0 || (entry.ifr_flags & IFF_UP) == 0) continue;
        if (text) addresses.push_back(std::move(*text));
    }
    ::close(fd);
    return addresses;
}

}  // namespace

std::vector<std::string> interfaceAddresses() {
    if (auto all = fromGetifaddrs()) return std::move(*all);
    return fromIoctl();
}

}  // namespace parley::app

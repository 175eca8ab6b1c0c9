#pragma once
// Which IPv4 addresses the forwarding server writes into its SDP as host candidates when the
// operator names none (--media-ip). Media sockets bound to one address (--media-bind) are
// reached there; bound to every address (0.0.0.0, the default) they are reached on the
// interfaces' addresses, which is what a browser on the same network needs. The --listen
// address says nothing about media: behind nginx Parley listens on 127.0.0.1 while browsers
// send media from anywhere, and announcing 127.0.0.1 alone would reach only a browser on the
// server itself. Loopback comes last, so such a browser still connects.
#include <arpa/inet.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace parley::app {

// `bindAddress` is --media-bind; `interfaceAddresses` the machine's up interfaces' IPv4
// addresses (interface_addresses.hpp), in the system's order.
// A dotted IPv4 literal as a host-order number; nullopt for anything else.
inline std::optional<std::uint32_t> ipv4Literal(const std::string& text) {
    in_addr parsed{};
    if (inet_pton(AF_INET, text.c_str(), &parsed) != 1) return std::nullopt;
    return ntohl(parsed.s_addr);
}

inline std::vector<std::string> defaultMediaAddresses(const std::string& bindAddress,
                                                      const std::vector<std::string>& interfaceAddresses) {
    if (const auto bound = ipv4Literal(bindAddress); bound && *bound != 0) return {bindAddress};
    std::vector<std::string> announced;
    for (const auto& candidate : interfaceAddresses) {
        const auto address = ipv4Literal(candidate);
        if (!address || *address == 0) continue;
        const auto top = *address >> 24;
        if (top == 127 || (top >= 224 && top <= 239)) continue;  // loopback (added last), multicast
        // Link-local addresses (169.254/16) are not reachable through any router.
        if ((*address >> 16) == 0xA9FE) continue;
        bool seen = false;
        for (const auto& kept : announced) seen = seen || kept == candidate;
        if (!seen) announced.push_back(candidate);
    }
    announced.push_back("127.0.0.1");
    return announced;
}

}  // namespace parley::app

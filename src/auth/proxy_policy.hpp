#pragma once
// Which peers are reverse proxies whose word on the client's address is trusted. Behind nginx
// every connection comes from the proxy; the client's own address is in X-Forwarded-For (or
// Forwarded), which anyone can also write themselves. So the header is read only from a
// trusted peer, and walked from the right: each trusted proxy appends the address it heard
// from, so the rightmost address that is not a trusted proxy is the client (whatever the
// client wrote itself stands to the left of it and is never reached).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::auth {

// An IPv4 or IPv6 network: an address and a prefix length ("10.0.0.0/8", "::1", "fd00::/8").
struct AddressRange {
    bool v6 = false;
    std::array<std::uint8_t, 16> bytes{};  // IPv4 in the first 4
    int prefix = 0;
};

// "ADDRESS" or "ADDRESS/PREFIX"; nullopt when malformed (bad address, prefix out of range, or
// host bits set below the prefix, which is usually a typo).
std::optional<AddressRange> parseAddressRange(std::string_view text);

// The canonical text of an IP address (as inet_ntop writes it; an IPv4-mapped IPv6 address
// becomes its IPv4 form); nullopt when `text` is not one.
std::optional<std::string> canonicalAddress(std::string_view text);

enum class ForwardedHeader { XForwardedFor, Forwarded };

struct ProxyPolicy {
    std::vector<AddressRange> trusted;
    // The one header the proxies maintain. Only one is read: a proxy that sets X-Forwarded-For
    // passes a Forwarded header written by the client through untouched, and the other way round.
    ForwardedHeader header = ForwardedHeader::XForwardedFor;

    bool trusts(std::string_view address) const;
    bool empty() const { return trusted.empty(); }
};

// The addresses one forwarding header lists, left to right, each nullopt where the entry is
// not an IP address ("unknown", an obfuscated name, garbage). `values` are the header's
// occurrences in the order they came.
std::vector<std::optional<std::string>> forwardedAddresses(const std::vector<std::string_view>& values,
                                                           ForwardedHeader header);

// The client's address for a request from `peer` carrying `values` of the policy's header.
// From an untrusted peer: the peer. From a trusted one: the rightmost listed address that is
// not a trusted proxy; if the walk meets an entry that is not an address first, the last
// trusted hop before it; if every entry is trusted, the leftmost.
std::string clientAddress(std::string_view peer, const std::vector<std::string_view>& values,
                          const ProxyPolicy& policy);

}  // namespace parley::auth

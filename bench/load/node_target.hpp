#pragma once
// Where the tool connects in a cluster: the nodes it is given (--targets) and the node a
// `room-elsewhere` answer names (a --public-url such as http://127.0.0.1:8081). Pure: text in,
// an address or a reason out. The tool speaks plain TCP to loopback addresses only, so a node
// is an IPv4 literal and a port; a name to resolve or TLS is refused with a reason.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace parley::bench {

struct NodeTarget {
    std::string host;  // an IPv4 literal
    std::uint16_t port = 0;
    bool operator==(const NodeTarget&) const = default;
};

// "host:port" (the --targets form).
std::variant<NodeTarget, std::string> parseHostPort(std::string_view text);
// "host:port,host:port,...": at least one; the first bad one is the reason.
std::variant<std::vector<NodeTarget>, std::string> parseTargetList(std::string_view text);
// A node's public URL: http:// or ws:// (https/wss refused: the tool has no TLS), an IPv4
// literal, an explicit port or the scheme's default (80), and nothing after the authority
// but an optional "/".
std::variant<NodeTarget, std::string> parseNodeUrl(std::string_view url);

}  // namespace parley::bench

#pragma once
// Which names the server answers to: the Host header of every request must name it. A page on
// any site can make its own domain resolve to 127.0.0.1 or a LAN address (DNS rebinding); the
// browser then treats the server as that site's own, and the Origin check alone, which compares
// the Origin with the Host, would let the page in. The name in Host gives the trick away.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::auth {

struct HostPolicy {
    // Lower-case host names (no port) allowed besides IP addresses and localhost; "*": any;
    // "*.example.org": any name one label under example.org.
    std::vector<std::string> allowed;
};

// The host name of a Host header ("Name:8080" -> "name", "[::1]:80" -> "[::1]"), lower case;
// nullopt when it is malformed.
std::optional<std::string> hostNameOf(std::string_view hostHeader);

// A request without Host (not a browser) is allowed; so is one naming an IP address (a page
// that reaches the server by its address is on that address's own origin), "localhost" or a
// name under ".localhost", or a name on the list.
bool isHostAllowed(std::optional<std::string_view> hostHeader, const HostPolicy& policy);

// Whether a --allowed-host value is usable: a DNS name, "*.NAME" or "*".
bool isValidAllowedHost(std::string_view name);

}  // namespace parley::auth

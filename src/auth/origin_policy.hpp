#pragma once
// Which web pages may open a signaling WebSocket: the browser names the page's origin in the
// upgrade request, and a page on another site must not act for the person who visits it.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::auth {

// "scheme://host[:port]" in canonical form: lower case, http or https only, no default port,
// no path. nullopt for anything else ("null", a path, another scheme, a bad port).
std::optional<std::string> normalizeOrigin(std::string_view origin);

struct OriginPolicy {
    // Canonical origins (normalizeOrigin) allowed besides the server's own; "*" allows any.
    std::vector<std::string> allowed;
};

// `origin` is the Origin header, nullopt when the request has none (not a browser: allowed,
// since only browsers carry a visitor's ambient authority). Otherwise the origin must be the
// server's own, as named by the Host header, or on the allowlist.
bool isOriginAllowed(std::optional<std::string_view> origin, std::string_view host,
                     const OriginPolicy& policy);

}  // namespace parley::auth

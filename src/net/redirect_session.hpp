#pragma once
// A connection on --redirect-http-port, the plain-HTTP port beside a server that serves TLS
// itself: one request, answered with 308 Permanent Redirect to the same path on https://
// (auth/https_redirect.hpp), or 421/400 when there is no safe place to send it; then it closes.
// An ACME HTTP-01 challenge is answered from --acme-challenge-dir instead, so certbot --webroot
// renews the certificate while parley keeps port 80. Counted against its address's share and
// timed out like any first request.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "net/socket_types.hpp"

namespace parley::net {

class ServerState;

struct RedirectTarget {
    std::uint16_t tlsPort = 443;  // left out of the Location when 443
    std::string publicUrl;        // --public-url as an origin, or empty: the request's Host
    std::optional<std::filesystem::path> acmeChallengeDir;  // certbot's webroot + /.well-known/acme-challenge
};

void startRedirectSession(Socket socket, ServerState& state, const RedirectTarget& target);

}  // namespace parley::net

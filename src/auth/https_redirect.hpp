#pragma once
// Where a plain-HTTP request goes when parley serves TLS itself (--redirect-http-port): the same
// path on https://, so a link typed as http://meet.example.org/r/maths lands in the meeting.
// Pure: the request's Host and target and the server's settings are all it reads.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/host_policy.hpp"

namespace parley::auth {

// publicUrl: --public-url as an origin ("https://meet.example.org"), or empty. With it, the
// Location is that origin and the target; without, the request's own host name on tlsPort
// (left out when 443). nullopt: no safe place to send the request to — a Host the server does
// not answer to (the same rule as for its HTTPS requests), a missing Host without a public URL,
// or a target that is not an origin-form path ("/..." without spaces or control characters,
// at most 2,048 bytes).
std::optional<std::string> httpsLocation(std::optional<std::string_view> hostHeader, std::string_view target,
                                         std::string_view publicUrl, std::uint16_t tlsPort, const HostPolicy& hosts);

// The token of an ACME HTTP-01 challenge request ("/.well-known/acme-challenge/TOKEN"), so a
// certificate can be renewed (certbot --webroot) while parley holds port 80; nullopt for any
// other target, or a token that is not 1-256 characters of [A-Za-z0-9_-] (no path tricks).
std::optional<std::string_view> acmeChallengeToken(std::string_view target);

}  // namespace parley::auth

#include "auth/https_redirect.hpp"

namespace parley::auth {

namespace {

constexpr std::size_t kMaxTarget = 2048;

// Origin-form only ("/path?query"): nothing that could end the Location header or point off
// the server ("//evil.example" would be read as another host).
bool isOriginForm(std::string_view target) {
    if (target.empty() || target.size() > kMaxTarget || target.front() != '/') return false;
    if (target.size() > 1 && (target[1] == '/' || target[1] == '\\')) return false;
    for (char c : target) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte <= 0x20 || byte == 0x7f) return false;
    }
    return true;
}

}  // namespace

std::optional<std::string> httpsLocation(std::optional<std::string_view> hostHeader, std::string_view target,
                                         std::string_view publicUrl, std::uint16_t tlsPort, const HostPolicy& hosts) {
    if (!isOriginForm(target)) return std::nullopt;
    if (hostHeader && !isHostAllowed(hostHeader, hosts)) return std::nullopt;
    if (!publicUrl.empty()) return std::string(publicUrl) + std::string(target);
    if (!hostHeader) return std::nullopt;
    const auto name = hostNameOf(*hostHeader);
    if (!name) return std::nullopt;
    std::string location = "https://" + *name;
    if (tlsPort != 443) location += ":" + std::to_string(tlsPort);
    return location + std::string(target);
}

std::optional<std::string_view> acmeChallengeToken(std::string_view target) {
    constexpr std::string_view prefix = "/.well-known/acme-challenge/";
    if (target.substr(0, prefix.size()) != prefix) return std::nullopt;
    const std::string_view token = target.substr(prefix.size());
    if (token.empty() || token.size() > 256) return std::nullopt;
    for (char c : token) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!ok) return std::nullopt;
    }
    return token;
}

}  // namespace parley::auth

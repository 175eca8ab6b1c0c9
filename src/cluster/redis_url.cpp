#include "cluster/redis_url.hpp"

#include <charconv>

#include "core/percent_decode.hpp"

namespace parley::cluster {

namespace {

constexpr std::string_view kScheme = "redis://";

RedisUrlResult failure(std::string code, std::string message) {
    return {std::nullopt, {std::move(code), std::move(message)}};
}

template <class Number>
bool parseNumber(std::string_view text, Number& value) {
    if (text.empty()) return false;
    const auto* end = text.data() + text.size();
    const auto [stop, error] = std::from_chars(text.data(), end, value);
    return error == std::errc{} && stop == end;
}

bool validHostName(std::string_view host) {
    for (char c : host) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                        c == '.' || c == '-' || c == '_';
        if (!ok) return false;
    }
    return !host.empty();
}

}  // namespace

std::string RedisEndpoint::address() const {
    const bool v6 = host.find(':') != std::string::npos;
    return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

RedisUrlResult parseRedisUrl(std::string_view text) {
    if (text.starts_with("rediss://")) {
        return failure("tls-unsupported", "rediss:// (TLS) is not supported: Debian's hiredis 0.14 has no TLS; "
                                          "reach Redis over a private network or a TLS tunnel (stunnel, spiped)");
    }
    if (!text.starts_with(kScheme)) {
        return failure("not-redis-url", "expected redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]");
    }
    std::string_view rest = text.substr(kScheme.size());
    if (rest.find_first_of("?#") != std::string_view::npos) {
        return failure("unexpected-part", "a query or fragment is not understood; give the database as /DB");
    }
    RedisEndpoint endpoint;
    // The authority ends at the first '/'; user information before its last '@'.
    const auto slash = rest.find('/');
    std::string_view authority = rest.substr(0, slash);
    std::string_view path = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
        const std::string_view userInfo = authority.substr(0, at);
        authority = authority.substr(at + 1);
        const auto colon = userInfo.find(':');
        const auto user = core::percentDecode(userInfo.substr(0, colon));
        if (!user) return failure("bad-escape", "a %-escape in the user name is not two hex digits");
        endpoint.username = *user;
        if (colon != std::string_view::npos) {
            const auto password = core::percentDecode(userInfo.substr(colon + 1));
            if (!password) return failure("bad-escape", "a %-escape in the password is not two hex digits");
            endpoint.password = *password;
        } else if (!endpoint.username.empty()) {
            // redis://secret@host is how many clients spell a password without a user.
            endpoint.password = endpoint.username;
            endpoint.username.clear();
        }
    }
    std::string_view portText;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return failure("bad-host", "an IPv6 address needs its closing ]");
        endpoint.host = std::string(authority.substr(1, close - 1));
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return failure("bad-host", "expected :PORT after the IPv6 address");
            portText = after.substr(1);
            if (portText.empty()) return failure("bad-port", "the port after ':' is missing");
        }
        if (endpoint.host.empty() || endpoint.host.find_first_not_of("0123456789abcdefABCDEF:.") != std::string::npos) {
            return failure("bad-host", "not an IPv6 address between [ and ]");
        }
    } else {
        const auto colon = authority.find(':');
        endpoint.host = std::string(authority.substr(0, colon));
        if (colon != std::string_view::npos) {
            portText = authority.substr(colon + 1);
            if (portText.empty()) return failure("bad-port", "the port after ':' is missing");
        }
        if (!validHostName(endpoint.host)) {
            return failure("bad-host", endpoint.host.empty() ? "the host is missing"
                                                             : "the host may hold only letters, digits, '.', '-', '_'");
        }
    }
    if (!portText.empty()) {
        unsigned port = 0;
        if (!parseNumber(portText, port) || port == 0 || port > 65535) {
            return failure("bad-port", "the port must be a number from 1 to 65535");
        }
        endpoint.port = static_cast<std::uint16_t>(port);
    }
    if (!path.empty()) {
        if (!parseNumber(path, endpoint.database) || endpoint.database > 1'000'000) {
            return failure("bad-database", "the path must be a database number, e.g. /0");
        }
    }
    return {std::move(endpoint), {}};
}

std::string maskRedisUrl(std::string_view text) {
    const bool plain = text.starts_with(kScheme);
    if (!plain && !text.starts_with("rediss://")) return std::string(text);
    const std::size_t start = plain ? kScheme.size() : kScheme.size() + 1;
    const auto authorityEnd = text.find('/', start);
    const auto at = text.substr(0, authorityEnd).rfind('@');
    if (at == std::string_view::npos || at < start) return std::string(text);
    const auto colon = text.substr(0, at).find(':', start);
    // redis://secret@host: the one part is the password.
    const std::size_t secretStart = colon == std::string_view::npos ? start : colon + 1;
    if (secretStart == at) return std::string(text);  // redis://user:@host: nothing to hide
    return std::string(text.substr(0, secretStart)) + "********" + std::string(text.substr(at));
}

}  // namespace parley::cluster

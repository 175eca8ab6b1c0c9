#pragma once
// --redis URL: redis://[[USER]:PASSWORD@]HOST[:PORT][/DB], parsed purely (no lookups).
// Only plain TCP: Debian's hiredis 0.14 has no TLS, so rediss:// is refused by name.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parley::cluster {

struct RedisEndpoint {
    std::string host;           // a name, an IPv4 address, or an IPv6 address (without brackets)
    std::uint16_t port = 6379;
    unsigned database = 0;      // SELECT after connecting when not 0
    std::string username;       // AUTH USERNAME PASSWORD (Redis 6 ACL) when not empty
    std::optional<std::string> password;  // AUTH when set

    // host:port, [v6]:port for logs (never the password).
    std::string address() const;
};

struct RedisUrlError {
    // Stable codes: not-redis-url, tls-unsupported, bad-host, bad-port, bad-database,
    // bad-escape, unexpected-part.
    std::string code;
    std::string message;
};

struct RedisUrlResult {
    std::optional<RedisEndpoint> endpoint;
    RedisUrlError error;
    explicit operator bool() const { return endpoint.has_value(); }
};

RedisUrlResult parseRedisUrl(std::string_view text);

// The same URL with its password replaced by "********" (for --dump-config and logs); text
// that is not a URL comes back unchanged.
std::string maskRedisUrl(std::string_view text);

}  // namespace parley::cluster

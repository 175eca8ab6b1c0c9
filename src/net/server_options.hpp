#pragma once
// Everything the network layer needs to know to serve; filled in by the app from its flags.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "auth/host_policy.hpp"
#include "auth/origin_policy.hpp"
#include "auth/proxy_policy.hpp"
#include "core/rooms.hpp"
#include "protocol/gateway.hpp"

namespace parley::net {

struct TlsFiles {
    std::filesystem::path certificateChain;  // PEM
    std::filesystem::path privateKey;        // PEM
};

// Limits that keep one connection from costing the server more than it should.
struct SessionLimits {
    std::chrono::seconds idleTimeout{45};       // no WebSocket frame for this long: close 4000
    // From accept to a complete first request (TLS handshake included), and the WebSocket
    // handshake: a connection that never gets there is closed.
    std::chrono::seconds handshakeTimeout{10};
    std::chrono::seconds closeTimeout{10};      // a close handshake the peer never finishes
    std::chrono::seconds httpRequestTimeout{30};  // also how long an idle keep-alive lingers
    std::size_t maxMessageBytes = 65'536;         // bigger WebSocket message: close 1009
    std::size_t maxQueuedFrames = 1'024;          // more pending writes: close 4001
    std::size_t maxQueuedBytes = 8 * 1024 * 1024;
    std::uint32_t maxRequestHeaderBytes = 8 * 1024;
    std::uint64_t maxRequestBodyBytes = 16 * 1024;  // bodies: only POST /admin/tokens
    // Open TCP connections (HTTP or WebSocket) from one client address; beyond, a new one is
    // closed as soon as it is accepted.
    std::size_t maxConnectionsPerAddress = 64;
};

struct ServerOptions {
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;  // 0: any free port
    std::optional<TlsFiles> tls;
    // With tls: a plain-HTTP port whose every request is redirected (308) to HTTPS.
    std::optional<std::uint16_t> redirectHttpPort;
    std::optional<std::filesystem::path> acmeChallengeDir;  // where certbot --webroot puts challenges
    std::optional<std::filesystem::path> webRoot;  // serve the client from disk (development)
    // Hold plain-TCP WebSocket connections as io_uring registered descriptors, outside the
    // file table (more connections than RLIMIT_NOFILE); falls back to epoll where refused.
    bool ioUring = false;
    // SIGTERM first drains this long: /ready answers 503 so balancers send no one new, while
    // open calls (and whoever still arrives) carry on; then the listener closes and every
    // WebSocket gets 1001. 0: close at once.
    std::chrono::seconds drainTime{0};
    bool testHooks = false;  // --test-hooks: the /test/... endpoints (tests only, never in production)
    std::string adminToken;  // guards /admin/...; empty: the admin endpoints do not exist
    auth::OriginPolicy origins;  // which pages may open /ws besides the server's own
    auth::HostPolicy hosts;      // names the server answers to besides addresses and localhost
    // Reverse proxies whose X-Forwarded-For (or Forwarded) names the client; their own
    // connections are counted per request, by the client each request is for.
    auth::ProxyPolicy proxies;
    std::string publicUrl;  // --public-url as an origin ("https://meet.example.org"); may be empty
    SessionLimits limits;
    core::RoomsConfig rooms;
    protocol::GatewayConfig gateway;
};

}  // namespace parley::net

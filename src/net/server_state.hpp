#pragma once
// What every connection shares: the signaling gateway they hand messages to and the session
// registry it sends through (both built by the app, which owns them), the web client, the
// limits and the refusal counts. One instance per server, used from the single io_context
// thread only (the Gateway is not thread-safe, and nothing here locks).
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "auth/host_policy.hpp"
#include "core/attempt_throttle.hpp"
#include "core/clock.hpp"
#include "core/connection_limit.hpp"
#include "net/deferred_flush.hpp"
#include "net/server_options.hpp"
#include "net/session_registry.hpp"
#include "net/web_assets.hpp"
#include "protocol/gateway.hpp"

namespace parley::net {

class DirectRings;

class ServerState {
public:
    // The gateway, registry and clock outlive this.
    ServerState(const ServerOptions& options, protocol::Gateway& gateway, SessionRegistry& registry,
                const core::Clock& clock);

    // Metrics of components beside the network (the media plane, the cluster), appended to /metrics.
    std::function<void(std::string&)> extraMetrics;
    // The body of GET /admin/cluster (JSON), from the cluster layer the app wires in; unset: 404.
    std::function<std::string()> clusterView;
    // Why this node runs degraded (e.g. "redis-unreachable"), or nullopt: /ready then answers
    // 200 {"status":"degraded","reason":...} instead of {"status":"ready"}. Unset: never.
    std::function<std::optional<std::string>()> degradedReason;
    // Origins allowed besides the configured ones, asked only when those refuse: a cluster's
    // nodes allow pages served by each other (a page on one node is sent to the room's node).
    // Gets the canonical origin (auth::normalizeOrigin). Unset: none.
    std::function<bool(std::string_view origin)> extraOriginAllowed;
    // The public URL of the cluster node that lists `room` as open there, for an admin request
    // about a room this node does not hold (sent on with 307). Unset or nullopt: 404.
    std::function<std::optional<std::string>(const std::string& room)> roomNodeUrl;

    ServerState(const ServerState&) = delete;
    ServerState& operator=(const ServerState&) = delete;

    SessionRegistry& registry() { return registry_; }
    DeferredFlush& deferredFlush() { return deferredFlush_; }
    const SessionRegistry& registry() const { return registry_; }
    protocol::Gateway& gateway() { return gateway_; }
    const protocol::Gateway& gateway() const { return gateway_; }
    const WebAssets& assets() const { return assets_; }
    const SessionLimits& limits() const { return limits_; }
    const std::string& adminToken() const { return adminToken_; }
    bool testHooks() const { return testHooks_; }
    const std::string& tokenSecret() const { return tokenSecret_; }
    const auth::OriginPolicy& originPolicy() const { return origins_; }
    // The configured policy, then extraOriginAllowed.
    bool originAllowed(std::optional<std::string_view> origin, std::string_view host) const;
    const auth::HostPolicy& hostPolicy() const { return hosts_; }
    const auth::ProxyPolicy& proxyPolicy() const { return proxies_; }
    void allowHosts(const std::vector<std::string>& names) {
        hosts_.allowed.insert(hosts_.allowed.end(), names.begin(), names.end());
    }
    // Wrong admin tokens, per client address: growing delays after a few.
    core::AttemptThrottle& adminAttempts() { return adminAttempts_; }
    std::shared_ptr<core::ConnectionLimit> connections() { return connections_; }
    // Connections over their address's limit, let in on probation so that a probe is answered
    // (HttpSession): a few per address and a few in all, each for one request on the first
    // request's deadline. Beyond that, an over-limit connection is closed at accept.
    static constexpr std::size_t kProbationPerAddress = 4;
    static constexpr std::size_t kProbationTotal = 64;
    std::shared_ptr<core::ConnectionLimit> probation() { return probation_; }
    std::size_t onProbation() const { return probation_->held(); }
    const core::Clock& clock() const { return clock_; }

    std::chrono::seconds uptime() const;

    // Where plain-TCP WebSocket connections are held when the server runs with --io-uring
    // (owned by the Server); nullptr: in the process's file table, through epoll.
    DirectRings* directRings() { return directRings_; }
    const DirectRings* directRings() const { return directRings_; }
    void useDirectRings(DirectRings* rings) { directRings_ = rings; }

    // What every WebSocket session does with a message and at its end. A Gateway fault is
    // logged and contained: it must take neither the server nor the connection down.
    void deliverMessage(SessionId session, bool text, std::string_view payload);
    // A WebSocket session is registered; `address` is its client's IP address.
    void sessionOpened(SessionId session, std::string_view address);
    // A ping or pong arrived: whether to answer it (false: over the message rate, or closing).
    bool controlFrame(SessionId session);
    // Unregisters the session and tells the Gateway; call once, never from inside a Gateway call.
    void sessionEnded(SessionId session);

    // Connections closed at accept (or a trusted proxy's requests answered 429): over the
    // per-address limit, or out of file descriptors.
    // Each kind is logged once a minute at most, with how many since the last line.
    enum class Refusal { PerAddress, FileLimit };
    void countRefusedConnection(Refusal why);
    std::uint64_t refusedConnections(Refusal why) const { return refused_[static_cast<int>(why)].total; }

    // HTTP requests refused, and WebSockets closed by a limit, by reason (for /metrics).
    enum class HttpRefusal { HostNotAllowed, OriginNotAllowed, AdminToken, AdminThrottled, Count };
    void countHttpRefusal(HttpRefusal why) { ++httpRefusals_[static_cast<int>(why)]; }
    std::uint64_t httpRefusals(HttpRefusal why) const { return httpRefusals_[static_cast<int>(why)]; }
    enum class LimitClose { IdleTimeout, SlowConsumer, Count };
    void countLimitClose(LimitClose why) { ++limitCloses_[static_cast<int>(why)]; }
    std::uint64_t limitCloses(LimitClose why) const { return limitCloses_[static_cast<int>(why)]; }

    // Set once shutdown closes the listener and the WebSockets: new upgrades are refused from
    // then on.
    bool stopping() const { return stopping_; }
    void beginStopping() { stopping_ = true; }
    // Set during the drain before that (--drain-seconds): /ready answers 503, all else as usual.
    bool draining() const { return draining_; }
    void beginDraining() { draining_ = true; }
    // Whether /ready says 200.
    bool ready() const { return !stopping_ && !draining_; }

private:
    const core::Clock& clock_;
    SessionRegistry& registry_;
    protocol::Gateway& gateway_;
    DeferredFlush deferredFlush_;
    WebAssets assets_;
    SessionLimits limits_;
    std::string adminToken_;
    bool testHooks_ = false;
    std::string tokenSecret_;
    auth::OriginPolicy origins_;
    auth::HostPolicy hosts_;
    auth::ProxyPolicy proxies_;
    core::AttemptThrottle adminAttempts_{{5, 1'000, 300'000, 3'600'000}};
    std::shared_ptr<core::ConnectionLimit> connections_;
    std::shared_ptr<core::ConnectionLimit> probation_;
    std::chrono::steady_clock::time_point startedAt_;
    bool stopping_ = false;
    bool draining_ = false;
    std::uint64_t httpRefusals_[static_cast<int>(HttpRefusal::Count)] = {};
    std::uint64_t limitCloses_[static_cast<int>(LimitClose::Count)] = {};
    DirectRings* directRings_ = nullptr;
    struct RefusalCount {
        std::uint64_t total = 0;
        std::uint64_t unlogged = 0;
        std::chrono::steady_clock::time_point loggedAt{};
    };
    RefusalCount refused_[2];
};

}  // namespace parley::net

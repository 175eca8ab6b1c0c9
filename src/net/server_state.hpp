#pragma once
// What every connection shares: the signaling gateway, the session registry it sends
// through, the web client and the limits. One instance per server, used from the single
// io_context thread only (the Gateway is not thread-safe, and nothing here locks).
#include <chrono>
#include <string_view>

#include "core/clock.hpp"
#include "core/connection_limit.hpp"
#include "core/ids.hpp"
#include "net/deferred_flush.hpp"
#include "net/server_options.hpp"
#include "net/session_registry.hpp"
#include "net/web_assets.hpp"
#include "protocol/gateway.hpp"

namespace parley::net {

class DirectRings;

class ServerState {
public:
    explicit ServerState(const ServerOptions& options);

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
    std::shared_ptr<core::ConnectionLimit> connections() { return connections_; }
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
    // Unregisters the session and tells the Gateway; call once, never from inside a Gateway call.
    void sessionEnded(SessionId session);

    // Set once shutdown begins: new WebSocket upgrades are refused from then on.
    bool stopping() const { return stopping_; }
    void beginStopping() { stopping_ = true; }

private:
    // Declaration order is construction order: the gateway needs clock, ids and registry.
    core::SystemClock clock_;
    core::RandomIdSource ids_;
    SessionRegistry registry_;
    DeferredFlush deferredFlush_;
    protocol::Gateway gateway_;
    WebAssets assets_;
    SessionLimits limits_;
    std::string adminToken_;
    bool testHooks_ = false;
    std::string tokenSecret_;
    auth::OriginPolicy origins_;
    std::shared_ptr<core::ConnectionLimit> connections_;
    std::chrono::steady_clock::time_point startedAt_;
    bool stopping_ = false;
    DirectRings* directRings_ = nullptr;
};

}  // namespace parley::net

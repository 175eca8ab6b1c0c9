#include "net/server_state.hpp"

#include <exception>

#include <spdlog/spdlog.h>

namespace parley::net {

ServerState::ServerState(const ServerOptions& options, protocol::Gateway& gateway, SessionRegistry& registry,
                         const core::Clock& clock)
    : clock_(clock),
      registry_(registry),
      gateway_(gateway),
      assets_(options.webRoot ? WebAssets::fromDirectory(*options.webRoot) : WebAssets::embedded()),
      limits_(options.limits),
      adminToken_(options.adminToken),
      testHooks_(options.testHooks),
      tokenSecret_(options.gateway.tokenSecret),
      origins_(options.origins),
      hosts_(options.hosts),
      proxies_(options.proxies),
      connections_(std::make_shared<core::ConnectionLimit>(options.limits.maxConnectionsPerAddress)),
      probation_(std::make_shared<core::ConnectionLimit>(kProbationPerAddress, kProbationTotal)),
      startedAt_(std::chrono::steady_clock::now()) {}

std::chrono::seconds ServerState::uptime() const {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                            startedAt_);
}

void ServerState::deliverMessage(SessionId session, bool text, std::string_view payload) {
    try {
        if (text) {
            gateway_.onText(session, payload);
        } else {
            gateway_.onBinary(session);
        }
    } catch (const std::exception& fault) {
        spdlog::error("gateway fault on session={}: {}", session, fault.what());
    }
}

void ServerState::countRefusedConnection(Refusal why) {
    RefusalCount& count = refused_[static_cast<int>(why)];
    ++count.total;
    ++count.unlogged;
    const auto now = std::chrono::steady_clock::now();
    if (count.loggedAt != std::chrono::steady_clock::time_point{} &&
        now - count.loggedAt < std::chrono::minutes(1)) {
        return;
    }
    count.loggedAt = now;
    if (why == Refusal::PerAddress) {
        spdlog::warn("refused {} new connection(s) at accept, or request(s) other than a probe "
                     "(429): their client address already had {} open (--max-connections-per-ip); "
                     "next report in a minute at most",
                     count.unlogged, limits_.maxConnectionsPerAddress);
    } else {
        spdlog::warn("closed {} new connection(s) at accept: out of file descriptors (the open-file "
                     "limit, less a reserve the server keeps); next report in a minute at most",
                     count.unlogged);
    }
    count.unlogged = 0;
}

void ServerState::sessionOpened(SessionId session, std::string_view address) {
    try {
        gateway_.onOpen(session, std::string(address));
    } catch (const std::exception& fault) {
        spdlog::error("gateway fault on open of session={}: {}", session, fault.what());
    }
}

bool ServerState::controlFrame(SessionId session) {
    try {
        return gateway_.onControl(session);
    } catch (const std::exception& fault) {
        spdlog::error("gateway fault on a control frame of session={}: {}", session, fault.what());
        return false;
    }
}

void ServerState::sessionEnded(SessionId session) {
    registry_.remove(session);
    try {
        gateway_.onDisconnect(session);
    } catch (const std::exception& fault) {
        spdlog::error("gateway fault on disconnect of session={}: {}", session, fault.what());
    }
}

bool ServerState::originAllowed(std::optional<std::string_view> origin, std::string_view host) const {
    if (auth::isOriginAllowed(origin, host, origins_)) return true;
    if (!origin || !extraOriginAllowed) return false;
    const auto canonical = auth::normalizeOrigin(*origin);
    return canonical && extraOriginAllowed(*canonical);
}

}  // namespace parley::net

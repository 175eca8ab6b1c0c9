#include "net/server_state.hpp"

#include <exception>

#include <spdlog/spdlog.h>

namespace parley::net {

ServerState::ServerState(const ServerOptions& options)
    : gateway_(options.rooms, options.gateway, clock_, ids_, registry_),
      assets_(options.webRoot ? WebAssets::fromDirectory(*options.webRoot) : WebAssets::embedded()),
      limits_(options.limits),
      adminToken_(options.adminToken),
      testHooks_(options.testHooks),
      tokenSecret_(options.gateway.tokenSecret),
      origins_(options.origins),
      connections_(std::make_shared<core::ConnectionLimit>(options.limits.maxConnectionsPerAddress)),
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

void ServerState::sessionEnded(SessionId session) {
    registry_.remove(session);
    try {
        gateway_.onDisconnect(session);
    } catch (const std::exception& fault) {
        spdlog::error("gateway fault on disconnect of session={}: {}", session, fault.what());
    }
}

}  // namespace parley::net

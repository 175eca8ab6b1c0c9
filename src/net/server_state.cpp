#include "net/server_state.hpp"

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

}  // namespace parley::net

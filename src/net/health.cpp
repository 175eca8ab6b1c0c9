#include "net/health.hpp"

#include <fmt/format.h>

#include "net/server_state.hpp"

namespace parley::net {

std::string healthJson(const ServerState& state) {
    const auto& rooms = state.gateway().rooms();
    return fmt::format(
        R"({{"status":"ok","version":"{}","uptimeSeconds":{},"connections":{},"rooms":{},"participants":{}}})",
        PARLEY_VERSION, state.uptime().count(), state.registry().size(), rooms.roomCount(),
        rooms.participantCount());
}

}  // namespace parley::net

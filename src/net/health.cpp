#include "net/health.hpp"

#include <fmt/format.h>

#include "net/direct_ring.hpp"
#include "net/server_state.hpp"

namespace parley::net {

std::string healthJson(const ServerState& state) {
    const auto& rooms = state.gateway().rooms();
    return fmt::format(
        R"({{"status":"ok","version":"{}","uptimeSeconds":{},"connections":{},"rooms":{},"participants":{}}})",
        PARLEY_VERSION, state.uptime().count(), state.registry().size(), rooms.roomCount(),
        rooms.participantCount());
}

std::string metricsText(const ServerState& state) {
    std::string out;
    out.reserve(4096);
    fmt::format_to(std::back_inserter(out),
                   "# HELP parley_build_info Build of this server.\n# TYPE parley_build_info gauge\n"
                   "parley_build_info{{version=\"{}\"}} 1\n"
                   "# HELP parley_uptime_seconds Seconds since start.\n# TYPE parley_uptime_seconds gauge\n"
                   "parley_uptime_seconds {}\n"
                   "# HELP parley_connections Open WebSocket connections.\n# TYPE parley_connections gauge\n"
                   "parley_connections {}\n"
                   "# HELP parley_ready Whether /ready answers 200 (0 while draining or stopping).\n"
                   "# TYPE parley_ready gauge\nparley_ready {}\n",
                   PARLEY_VERSION, state.uptime().count(), state.registry().size(),
                   state.ready() ? 1 : 0);
    const DirectRings* rings = state.directRings();
    fmt::format_to(std::back_inserter(out),
                   "# HELP parley_io_uring_rings io_uring rings holding connections (0: --io-uring "
                   "off or refused).\n# TYPE parley_io_uring_rings gauge\n"
                   "parley_io_uring_rings {}\n"
                   "# HELP parley_io_uring_connections Connections held in io_uring rings, outside "
                   "the file table.\n# TYPE parley_io_uring_connections gauge\n"
                   "parley_io_uring_connections {}\n",
                   rings ? rings->rings() : 0, rings ? rings->connections() : 0);
    fmt::format_to(std::back_inserter(out),
                   "# HELP parley_connections_refused_total Connections closed as soon as they were "
                   "accepted, by reason.\n# TYPE parley_connections_refused_total counter\n"
                   "parley_connections_refused_total{{reason=\"per-address\"}} {}\n"
                   "parley_connections_refused_total{{reason=\"file-limit\"}} {}\n",
                   state.refusedConnections(ServerState::Refusal::PerAddress),
                   state.refusedConnections(ServerState::Refusal::FileLimit));
    state.gateway().appendMetrics(out);
    return out;
}

}  // namespace parley::net

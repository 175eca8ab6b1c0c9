#include "net/health.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

#include "net/direct_ring.hpp"
#include "net/server_state.hpp"

namespace parley::net {

namespace {

// The Prometheus client libraries' standard process metrics, from /proc (Linux).
void appendProcessMetrics(std::string& out) {
    std::size_t files = 0;
    if (DIR* dir = ::opendir("/proc/self/fd")) {
        while (const dirent* entry = ::readdir(dir)) {
            if (entry->d_name[0] != '.') ++files;
        }
        ::closedir(dir);
        if (files > 0) --files;  // the directory's own descriptor
    }
    rlimit limit{};
    const bool haveLimit = ::getrlimit(RLIMIT_NOFILE, &limit) == 0;
    long pages = 0;
    long resident = 0;
    if (std::FILE* statm = std::fopen("/proc/self/statm", "r")) {
        if (std::fscanf(statm, "%ld %ld", &pages, &resident) != 2) resident = 0;
        std::fclose(statm);
    }
    fmt::format_to(std::back_inserter(out),
                   "# HELP process_open_fds Open file descriptors.\n# TYPE process_open_fds gauge\n"
                   "process_open_fds {}\n"
                   "# HELP process_max_fds The open-file limit (RLIMIT_NOFILE).\n"
                   "# TYPE process_max_fds gauge\nprocess_max_fds {}\n"
                   "# HELP process_resident_memory_bytes Resident memory.\n"
                   "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {}\n",
                   files, haveLimit ? static_cast<unsigned long long>(limit.rlim_cur) : 0ULL,
                   resident * ::sysconf(_SC_PAGESIZE));
}

}  // namespace

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
                   "parley_connections_refused_total{{reason=\"file-limit\"}} {}\n"
                   "# HELP parley_connections_on_probation Connections over their address's limit "
                   "let in for one probe (/health, /ready, /metrics).\n"
                   "# TYPE parley_connections_on_probation gauge\n"
                   "parley_connections_on_probation {}\n",
                   state.refusedConnections(ServerState::Refusal::PerAddress),
                   state.refusedConnections(ServerState::Refusal::FileLimit),
                   state.onProbation());
    using HttpRefusal = ServerState::HttpRefusal;
    using LimitClose = ServerState::LimitClose;
    fmt::format_to(std::back_inserter(out),
                   "# HELP parley_http_refusals_total HTTP requests refused, by reason (421 "
                   "host-not-allowed, 403 origin-not-allowed, 401 admin-token, 429 "
                   "too-many-attempts).\n# TYPE parley_http_refusals_total counter\n"
                   "parley_http_refusals_total{{reason=\"host-not-allowed\"}} {}\n"
                   "parley_http_refusals_total{{reason=\"origin-not-allowed\"}} {}\n"
                   "parley_http_refusals_total{{reason=\"admin-token\"}} {}\n"
                   "parley_http_refusals_total{{reason=\"too-many-attempts\"}} {}\n"
                   "# HELP parley_websocket_limit_closes_total WebSockets closed by a limit, by "
                   "close reason.\n# TYPE parley_websocket_limit_closes_total counter\n"
                   "parley_websocket_limit_closes_total{{reason=\"idle-timeout\"}} {}\n"
                   "parley_websocket_limit_closes_total{{reason=\"slow-consumer\"}} {}\n",
                   state.httpRefusals(HttpRefusal::HostNotAllowed),
                   state.httpRefusals(HttpRefusal::OriginNotAllowed),
                   state.httpRefusals(HttpRefusal::AdminToken),
                   state.httpRefusals(HttpRefusal::AdminThrottled),
                   state.limitCloses(LimitClose::IdleTimeout),
                   state.limitCloses(LimitClose::SlowConsumer));
    appendProcessMetrics(out);
    state.gateway().appendMetrics(out);
    if (state.extraMetrics) state.extraMetrics(out);
    return out;
}

}  // namespace parley::net

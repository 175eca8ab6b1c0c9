#include "protocol/metrics.hpp"

#include <fmt/format.h>

namespace parley::protocol {

namespace {

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

}  // namespace

void appendMetrics(std::string& out, const Counters& c, const Gauges& g) {
    header(out, "parley_rooms", "gauge", "Rooms with someone in them or waiting.");
    fmt::format_to(std::back_inserter(out), "parley_rooms {}\n", g.rooms);
    header(out, "parley_participants", "gauge", "People inside rooms.");
    fmt::format_to(std::back_inserter(out), "parley_participants {}\n", g.participants);
    header(out, "parley_queue_length", "gauge", "People waiting in rooms' lines.");
    fmt::format_to(std::back_inserter(out), "parley_queue_length {}\n", g.waiting);
    header(out, "parley_participants_away", "gauge", "People whose connection dropped, within the resume grace period.");
    fmt::format_to(std::back_inserter(out), "parley_participants_away {}\n", g.away);

    header(out, "parley_relays_total", "counter", "Signaling messages relayed, by kind and outcome.");
    for (int k = 0; k < static_cast<int>(c.relays.size()); ++k) {
        for (int o = 0; o < 2; ++o) {
            fmt::format_to(std::back_inserter(out), "parley_relays_total{{kind=\"{}\",outcome=\"{}\"}} {}\n",
                           core::toString(static_cast<core::RelayKind>(k)),
                           core::toString(static_cast<core::RelayOutcome>(o)), c.relays[k][o]);
        }
    }
    header(out, "parley_errors_total", "counter", "Error replies sent, by code.");
    for (std::size_t i = 0; i < c.errors.size(); ++i) {
        fmt::format_to(std::back_inserter(out), "parley_errors_total{{code=\"{}\"}} {}\n",
                       core::toString(static_cast<core::ErrorCode>(i)), c.errors[i]);
    }
    header(out, "parley_joins_total", "counter", "Joins, by whether the person entered at once or waited.");
    fmt::format_to(std::back_inserter(out), "parley_joins_total{{result=\"entered\"}} {}\n", c.joins);
    fmt::format_to(std::back_inserter(out), "parley_joins_total{{result=\"waiting\"}} {}\n", c.waits);
    header(out, "parley_resumes_total", "counter", "Resume attempts after a dropped connection, by result.");
    fmt::format_to(std::back_inserter(out), "parley_resumes_total{{result=\"resumed\"}} {}\n", c.resumes);
    fmt::format_to(std::back_inserter(out), "parley_resumes_total{{result=\"failed\"}} {}\n", c.resumeFailures);
    header(out, "parley_resume_snapshot_fallbacks_total", "counter", "Resumes answered with a snapshot because more was missed than was kept.");
    fmt::format_to(std::back_inserter(out), "parley_resume_snapshot_fallbacks_total {}\n", c.resumeSnapshotFallbacks);
    header(out, "parley_replay_bytes", "gauge", "Bytes of unacknowledged events kept for resumes.");
    fmt::format_to(std::back_inserter(out), "parley_replay_bytes {}\n", g.replayBytes);
    header(out, "parley_replay_overflows_total", "counter", "Replay logs dropped for passing their byte budget (per participant or per room).");
    fmt::format_to(std::back_inserter(out), "parley_replay_overflows_total {}\n", g.replayOverflows);
    header(out, "parley_disconnects_total", "counter", "Connections that dropped while their participant was in a room or line.");
    fmt::format_to(std::back_inserter(out), "parley_disconnects_total {}\n", c.disconnects);
    header(out, "parley_flood_closes_total", "counter", "Connections closed for flooding (close code 4003).");
    fmt::format_to(std::back_inserter(out), "parley_flood_closes_total {}\n", c.floodCloses);
}

}  // namespace parley::protocol

#pragma once
// Counters the gateway keeps for Prometheus (/metrics), and their text exposition.
#include <array>
#include <cstdint>
#include <string>

#include "core/error_code.hpp"
#include "core/events.hpp"

namespace parley::protocol {

struct Counters {
    static constexpr std::size_t kErrorCodes = static_cast<std::size_t>(core::ErrorCode::Internal) + 1;

    std::array<std::array<std::uint64_t, 2>, 4> relays{};  // [kind][outcome]
    std::array<std::uint64_t, kErrorCodes> errors{};
    std::uint64_t joins = 0;      // entered a room at once
    std::uint64_t waits = 0;      // had to wait in line
    std::uint64_t resumes = 0;
    std::uint64_t resumeFailures = 0;
    std::uint64_t resumeSnapshotFallbacks = 0;  // resumes answered with a snapshot, not a replay
    std::uint64_t disconnects = 0;  // sockets that dropped while in a room or line
    std::uint64_t floodCloses = 0;  // sockets closed with 4003 flooding
};

struct Gauges {
    std::size_t rooms, participants, waiting, away;
    std::size_t replayBytes;       // unacknowledged frames kept for resumes
    std::uint64_t replayOverflows;  // logs that passed their byte budget and were dropped
};

// Appends the gateway's counters and gauges in the Prometheus text format.
void appendMetrics(std::string& out, const Counters& counters, const Gauges& gauges);

}  // namespace parley::protocol

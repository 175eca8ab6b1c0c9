#pragma once
// Everything one run measured; report.cpp turns it into a table and a JSON line.
#include <cstdint>
#include <optional>
#include <string>

#include "histogram.hpp"
#include "load_options.hpp"
#include "redis_stats.hpp"

namespace parley::bench {

struct LoadResult {
    LoadOptions options;

    std::size_t ready = 0;    // transport connected
    std::size_t joined = 0;
    std::size_t failed = 0;   // never joined
    std::size_t dropped = 0;  // closed after joining
    std::string firstFailure;
    double joinPhaseSeconds = 0;
    LatencyHistogram connectLatency;
    LatencyHistogram joinLatency;  // the last join sent -> joined, on the node that took it
    // From the first join sent to joined: joins answered where they were sent, and joins sent
    // to the room's node first (room-elsewhere, then a new connection and join there).
    LatencyHistogram joinLatencyDirect;
    LatencyHistogram joinLatencyRedirected;
    std::size_t redirectedJoins = 0;
    std::uint64_t redirects = 0;
    std::size_t retriedJoins = 0;  // joins told room-moving at least once, then joined
    std::optional<double> serverCpuJoinSeconds;  // the server's CPU while connecting and joining
    std::optional<RedisStats> redisJoin;    // what Redis did while connecting and joining
    std::optional<RedisStats> redisIdle;    // ... over an idle spell of redisIdleWindowSeconds
    double redisIdleWindowSeconds = 0;
    std::optional<RedisStats> redisWindow;  // ... during the measured relay window
    std::string redisProblem;               // why a Redis sample is missing

    std::optional<std::uint64_t> serverRssBefore;
    std::optional<std::uint64_t> serverRssIdle;
    std::optional<std::size_t> serverOpenFiles;  // with every connection joined

    bool relayed = false;
    std::size_t senders = 0;
    std::uint64_t sent = 0;
    std::uint64_t delivered = 0;
    std::uint64_t deliveredInWindow = 0;
    std::uint64_t serverErrors = 0;
    std::string firstServerError;
    std::uint64_t lateTicks = 0;  // the rate scheduler fell a whole period behind
    double windowSeconds = 0;
    LatencyHistogram relayLatency;
    std::optional<double> serverCpuSeconds;  // during the window
    std::optional<std::uint64_t> serverRssEnd;
    double toolCpuSeconds = 0;  // during the window
    std::optional<double> loadAverageStart;  // 1-minute load average when the run began
    std::optional<double> loadAverageEnd;    // ... and when it ended
    bool timedOut = false;
};

}  // namespace parley::bench

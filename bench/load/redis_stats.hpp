#pragma once
// What Redis did between two moments, from its own counters (INFO): commands processed, each
// command's calls (commandstats) and its CPU time. Parsing and differencing are pure; fetching
// is one short blocking exchange, made only between the phases of a run (never while
// connections are being served), so it adds nothing to what is measured.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "node_target.hpp"

namespace parley::bench {

struct RedisStats {
    std::uint64_t totalCommands = 0;  // total_commands_processed
    double cpuSeconds = 0;            // used_cpu_user + used_cpu_sys (all of redis-server's threads)
    std::map<std::string, std::uint64_t> calls;  // commandstats: "get" -> calls, ...
};

// The text of `INFO all` (or any sections including stats, cpu and commandstats). nullopt when
// total_commands_processed or the CPU lines are missing.
std::optional<RedisStats> parseRedisInfo(std::string_view text);

// after - before, leaving out the INFO commands that took the samples (`probes` of them:
// each sample is one INFO, counted when it runs). Commands that did not run are left out.
RedisStats redisDelta(const RedisStats& before, const RedisStats& after, std::uint64_t probes);

// "get 12, eval 3" by calls, largest first: for reports.
std::string describeCalls(const std::map<std::string, std::uint64_t>& calls);

// INFO all from the Redis at `at`, within `timeoutMs`; a reason on failure.
std::variant<RedisStats, std::string> fetchRedisStats(const NodeTarget& at, int timeoutMs = 2000);

}  // namespace parley::bench

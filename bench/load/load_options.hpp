#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "node_target.hpp"

namespace parley::bench {

struct LoadOptions {
    std::string target = "parley";  // parley | socketio
    std::string host = "127.0.0.1";
    std::uint16_t port = 8080;
    // A cluster: connection i enters through targets[i % size] (so room-mates enter through
    // different nodes) and follows `room-elsewhere` to the room's node. Empty: host and port.
    std::vector<NodeTarget> targets;
    std::size_t connections = 100;
    std::size_t roomSize = 2;
    double rate = 10;         // relays per second per connection; ignored when window > 0
    std::size_t window = 0;   // > 0: saturate, keeping this many relays in flight per sender
    double warmupSeconds = 2;
    double durationSeconds = 10;  // 0: connect, join and measure idle memory only
    double drainSeconds = 3;
    double connectSeconds = 120;  // bound on the connect-and-join phase
    double settleSeconds = 5;     // bound on waiting for server RSS to settle after joining
    std::size_t connectConcurrency = 256;
    std::size_t sourceAddresses = 8;  // 127.0.0.1 .. 127.0.0.N
    std::size_t padding = 0;
    // Idle runs only: this many processes share the connections (each process may open only
    // RLIMIT_NOFILE sockets), and all of them stay open this long after joining.
    std::size_t shards = 1;
    double holdSeconds = 0;
    // The server's processes (a cluster's nodes, summed), sampled in /proc.
    std::vector<int> serverPids;
    // The Redis the nodes share: its INFO counters are read between phases (commands and its
    // CPU while joining, while idle and while relaying).
    std::optional<NodeTarget> redis;
    double redisIdleSeconds = 5;  // with redis: an idle spell measured before relaying
    std::string label;
    std::string jsonFile;  // also append the JSON line here
};

}  // namespace parley::bench

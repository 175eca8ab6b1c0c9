#pragma once
// How long to wait before the next attempt to reach Redis: exponential, capped, with jitter so
// that nodes which lost Redis together do not all come back in the same millisecond.
#include <chrono>

namespace parley::cluster {

struct ReconnectBackoff {
    std::chrono::milliseconds first{100};   // after the first failure
    std::chrono::milliseconds cap{5'000};   // never longer than this
    // "Equal jitter": half the step is fixed, half random, so a wait is never near zero (no
    // reconnect storm) yet nodes spread out.
};

// The wait before attempt `failures` + 1 (failures >= 1), given `random01` in [0, 1).
std::chrono::milliseconds reconnectDelay(const ReconnectBackoff& policy, unsigned failures, double random01);

}  // namespace parley::cluster

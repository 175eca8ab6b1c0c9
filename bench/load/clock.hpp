#pragma once
#include <chrono>
#include <cstdint>

namespace parley::bench {

using SteadyClock = std::chrono::steady_clock;

inline std::uint64_t nowNs() {
    return std::uint64_t(std::chrono::duration_cast<std::chrono::nanoseconds>(
                             SteadyClock::now().time_since_epoch())
                             .count());
}

}  // namespace parley::bench

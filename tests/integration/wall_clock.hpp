#pragma once
// The test's own wall clock, to check the serverTime the server reports against it.
#include <chrono>
#include <cstdint>

namespace parley::itest {

// Milliseconds since the Unix epoch, as the protocol's serverTime counts them.
inline std::int64_t wallClockMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace parley::itest

#pragma once
// Time is injected so room logic can be tested with a manual clock.
#include <chrono>
#include <cstdint>

namespace parley::core {

class Clock {
public:
    virtual ~Clock() = default;
    // Wall-clock milliseconds since the Unix epoch (what clients see as serverTime).
    virtual std::int64_t nowMs() const = 0;
};

class SystemClock final : public Clock {
public:
    std::int64_t nowMs() const override {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    }
};

class ManualClock final : public Clock {
public:
    explicit ManualClock(std::int64_t startMs = 1'700'000'000'000) : now_(startMs) {}
    std::int64_t nowMs() const override { return now_; }
    void advance(std::int64_t ms) { now_ += ms; }

private:
    std::int64_t now_;
};

}  // namespace parley::core

#pragma once
// A bit rate from a running byte count, over the interval between two samples (the media
// report's half second). It starts with the first packet, not the first report, so a stream's
// first figure covers only the time it has existed; an interval shorter than kMinWindowMs keeps
// the previous figure, since a handful of bytes over a millisecond would read as megabits.
#include <cstdint>

namespace parley::media {

class BitrateMeter {
public:
    static constexpr std::int64_t kMinWindowMs = 100;

    // The count was `bytes` at `nowMs` before anything was measured (the first packet's arrival).
    void start(std::uint64_t bytes, std::int64_t nowMs) {
        if (started_) return;
        started_ = true;
        lastBytes_ = bytes;
        lastMs_ = nowMs;
    }
    bool started() const { return started_; }

    // The rate since the previous sample (or start), in bits per second.
    std::uint64_t sample(std::uint64_t bytes, std::int64_t nowMs) {
        if (!started_) return 0;
        const std::int64_t elapsed = nowMs - lastMs_;
        if (elapsed < kMinWindowMs) return bitsPerSecond_;
        bitsPerSecond_ = (bytes - lastBytes_) * 8 * 1000 / static_cast<std::uint64_t>(elapsed);
        lastBytes_ = bytes;
        lastMs_ = nowMs;
        return bitsPerSecond_;
    }
    std::uint64_t bitsPerSecond() const { return bitsPerSecond_; }

private:
    bool started_ = false;
    std::uint64_t lastBytes_ = 0;
    std::int64_t lastMs_ = 0;
    std::uint64_t bitsPerSecond_ = 0;
};

}  // namespace parley::media

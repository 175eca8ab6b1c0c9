#pragma once
// Messages per second per connection: a token bucket refilled from the injected clock.
#include <algorithm>
#include <cstdint>

namespace parley::core {

class TokenBucket {
public:
    // `ratePerSecond` tokens a second, at most `burst` saved up; starts full.
    TokenBucket(double ratePerSecond, double burst, std::int64_t nowMs)
        : rate_(ratePerSecond / 1000.0), burst_(burst), tokens_(burst), lastMs_(nowMs) {}

    bool take(std::int64_t nowMs, double cost = 1.0) {
        if (nowMs > lastMs_) {
            tokens_ = std::min(burst_, tokens_ + static_cast<double>(nowMs - lastMs_) * rate_);
            lastMs_ = nowMs;
        }
        if (tokens_ < cost) return false;
        tokens_ -= cost;
        return true;
    }

private:
    double rate_;  // tokens per millisecond
    double burst_;
    double tokens_;
    std::int64_t lastMs_;
};

}  // namespace parley::core

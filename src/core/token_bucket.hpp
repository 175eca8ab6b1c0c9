#pragma once
// A token bucket refilled from the injected clock. It keeps only its state; the rate comes with
// each call, so many buckets can share one rate (every connection's flood guard shares the
// server's) without each keeping a copy.
#include <algorithm>
#include <cstdint>

namespace parley::core {

struct BucketRate {
    double perSecond;  // tokens added a second
    double burst;      // at most this many saved up
};

class TokenBucket {
public:
    // Starts full.
    TokenBucket(const BucketRate& rate, std::int64_t nowMs) : tokens_(rate.burst), lastMs_(nowMs) {}

    bool take(const BucketRate& rate, std::int64_t nowMs, double cost = 1.0) {
        if (nowMs > lastMs_) {
            tokens_ = std::min(rate.burst, tokens_ + static_cast<double>(nowMs - lastMs_) * rate.perSecond / 1000.0);
            lastMs_ = nowMs;
        }
        if (tokens_ < cost) return false;
        tokens_ -= cost;
        return true;
    }

private:
    double tokens_;
    std::int64_t lastMs_;
};

}  // namespace parley::core

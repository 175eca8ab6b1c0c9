#pragma once
// Latency histogram with bounded memory: log-linear buckets (128 per power of two, so any
// reported value is within 0.8% of the truth) instead of keeping every sample, because a
// saturated run records tens of millions of messages.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::bench {

class LatencyHistogram {
public:
    LatencyHistogram();

    void record(std::uint64_t nanoseconds);
    void merge(const LatencyHistogram& other);

    std::uint64_t count() const { return count_; }
    std::uint64_t min() const { return count_ ? min_ : 0; }
    std::uint64_t max() const { return max_; }
    double mean() const { return count_ ? double(sum_) / double(count_) : 0.0; }
    // p in [0, 100]; 0 when empty.
    std::uint64_t percentile(double p) const;

    // One line of text, for a shard to hand its histogram to the parent process:
    // "count sum min max" then "bucket:n" for each non-empty bucket.
    std::string serialize() const;
    static std::optional<LatencyHistogram> parse(std::string_view text);

private:
    std::vector<std::uint64_t> buckets_;
    std::uint64_t count_ = 0;
    std::uint64_t sum_ = 0;
    std::uint64_t min_ = UINT64_MAX;
    std::uint64_t max_ = 0;
};

}  // namespace parley::bench

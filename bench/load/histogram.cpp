#include "histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <sstream>

namespace parley::bench {
namespace {

constexpr int kSubBits = 7;
constexpr std::uint64_t kSub = 1u << kSubBits;
constexpr std::size_t kBucketCount = (64 - kSubBits + 1) * kSub;

std::size_t bucketOf(std::uint64_t v) {
    if (v < kSub) return std::size_t(v);
    const int msb = 63 - std::countl_zero(v);
    const int shift = msb - kSubBits;
    return std::size_t(shift + 1) * kSub + std::size_t((v >> shift) - kSub);
}

// The middle of a bucket, so the error is at most half a bucket width.
std::uint64_t valueOf(std::size_t bucket) {
    if (bucket < kSub) return bucket;
    const int shift = int(bucket / kSub) - 1;
    const std::uint64_t low = (kSub + bucket % kSub) << shift;
    return low + ((std::uint64_t(1) << shift) >> 1);
}

}  // namespace

LatencyHistogram::LatencyHistogram() : buckets_(kBucketCount, 0) {}

void LatencyHistogram::record(std::uint64_t ns) {
    ++buckets_[bucketOf(ns)];
    ++count_;
    sum_ += ns;
    min_ = std::min(min_, ns);
    max_ = std::max(max_, ns);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    for (std::size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    sum_ += other.sum_;
    min_ = std::min(min_, other.min_);
    max_ = std::max(max_, other.max_);
}

std::uint64_t LatencyHistogram::percentile(double p) const {
    if (count_ == 0) return 0;
    const auto rank = std::max<std::uint64_t>(
        1, std::uint64_t(std::ceil(p / 100.0 * double(count_))));
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < kBucketCount; ++i) {
        seen += buckets_[i];
        if (seen >= rank) return std::clamp(valueOf(i), min(), max_);
    }
    return max_;
}

std::string LatencyHistogram::serialize() const {
    std::string out = std::to_string(count_) + ' ' + std::to_string(sum_) + ' ' +
                      std::to_string(min_) + ' ' + std::to_string(max_);
    for (std::size_t i = 0; i < kBucketCount; ++i)
        if (buckets_[i]) out += ' ' + std::to_string(i) + ':' + std::to_string(buckets_[i]);
    return out;
}

std::optional<LatencyHistogram> LatencyHistogram::parse(std::string_view text) {
    LatencyHistogram h;
    std::istringstream in{std::string(text)};
    if (!(in >> h.count_ >> h.sum_ >> h.min_ >> h.max_)) return std::nullopt;
    std::uint64_t total = 0;
    std::size_t bucket = 0;
    char colon = 0;
    std::uint64_t n = 0;
    while (in >> bucket >> colon >> n) {
        if (colon != ':' || bucket >= kBucketCount) return std::nullopt;
        h.buckets_[bucket] += n;
        total += n;
    }
    if (!in.eof() || total != h.count_) return std::nullopt;
    return h;
}

}  // namespace parley::bench

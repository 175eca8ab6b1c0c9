#pragma once
// Estimates a waiting person's wait from how long recent guests stayed.
#include <cstdint>
#include <numeric>
#include <optional>

#include "core/bounded_log.hpp"

namespace parley::core {

class WaitEstimator {
public:
    static constexpr std::size_t kWindow = 10;

    explicit WaitEstimator(std::size_t window = kWindow) : stays_(window) {}

    void recordStay(std::int64_t ms) {
        if (ms < 0) return;
        stays_.push(ms);
    }

    // `position` is 1-based; `seats` is how many guests are let in in parallel. Without history
    // the estimate comes from `fallbackStayMs` (e.g. the slot length), or is unknown.
    std::optional<std::int64_t> estimate(std::size_t position, std::size_t seats,
                                         std::optional<std::int64_t> fallbackStayMs = {}) const {
        std::optional<std::int64_t> typical = fallbackStayMs;
        if (!stays_.empty()) {
            std::int64_t mean = std::accumulate(stays_.begin(), stays_.end(), std::int64_t{0}) /
                                static_cast<std::int64_t>(stays_.size());
            typical = fallbackStayMs ? std::min(mean, *fallbackStayMs) : mean;
        }
        if (!typical || position == 0 || seats == 0) return std::nullopt;
        // The first `seats` people in line each wait about one stay, the next `seats` two, ...
        auto rounds = static_cast<std::int64_t>((position + seats - 1) / seats);
        return rounds * *typical;
    }

    const BoundedLog<std::int64_t>& stays() const { return stays_; }

private:
    BoundedLog<std::int64_t> stays_;
};

}  // namespace parley::core

#include "media/nack_generator.hpp"

#include <algorithm>
#include <cstdlib>

#include "media/serial_number.hpp"

namespace parley::media {

NackGenerator::NackGenerator(NackGeneratorConfig config) : config_(config) {}

std::int64_t NackGenerator::retryIntervalMs() const {
    return std::max(config_.minRetryIntervalMs, rttMs_.value_or(config_.defaultRttMs));
}

void NackGenerator::giveUp(std::map<std::int64_t, Missing>::iterator first,
                           std::map<std::int64_t, Missing>::iterator last, std::int64_t nowMs) {
    if (first == last) return;
    missing_.erase(first, last);
    if (!keyframeWantedSinceMs_) keyframeWantedSinceMs_ = nowMs;
}

bool NackGenerator::onPacket(std::uint16_t seq, std::int64_t nowMs, bool keyframeStart) {
    if (!started_) {
        started_ = true;
        newest_ = (std::int64_t{1} << 16) + seq;
        return false;
    }
    const std::int64_t extended = newest_ + serialDelta(serialMask(newest_, 16), seq, 16);
    if (std::abs(extended - newest_) > config_.maxGap) {
        giveUp(missing_.begin(), missing_.end(), nowMs);
        if (!keyframeWantedSinceMs_) keyframeWantedSinceMs_ = nowMs;
        newest_ = extended;
        return false;
    }

    bool recovered = false;
    if (extended > newest_) {
        for (std::int64_t s = newest_ + 1; s < extended; ++s) missing_.emplace(s, Missing{nowMs, {}, 0});
        newest_ = extended;
        // Bounded memory: beyond maxMissing, or too far behind to be told apart from a restart,
        // the oldest are given up.
        auto keepFrom = missing_.lower_bound(newest_ - config_.maxGap);
        giveUp(missing_.begin(), keepFrom, nowMs);
        while (missing_.size() > config_.maxMissing) giveUp(missing_.begin(), std::next(missing_.begin()), nowMs);
    } else if (extended < newest_) {
        recovered = missing_.erase(extended) > 0;
    }
    if (keyframeStart) missing_.erase(missing_.begin(), missing_.lower_bound(extended));
    return recovered;
}

NackBatch NackGenerator::poll(std::int64_t nowMs) {
    NackBatch batch;
    const std::int64_t interval = retryIntervalMs();
    for (auto it = missing_.begin(); it != missing_.end();) {
        Missing& m = it->second;
        if (m.lastRequestMs && nowMs - *m.lastRequestMs < interval) {
            ++it;
            continue;
        }
        if (m.requests >= config_.maxRetries) {
            auto next = std::next(it);
            giveUp(it, next, nowMs);
            it = next;
            continue;
        }
        batch.seqs.push_back(static_cast<std::uint16_t>(serialMask(it->first, 16)));
        ++m.requests;
        m.lastRequestMs = nowMs;
        ++it;
    }
    batch.requestKeyframe = keyframeWantedSinceMs_.has_value();
    keyframeWantedSinceMs_.reset();
    return batch;
}

std::optional<std::int64_t> NackGenerator::nextPollMs() const {
    std::optional<std::int64_t> due = keyframeWantedSinceMs_;
    const std::int64_t interval = retryIntervalMs();
    for (const auto& [seq, m] : missing_) {
        const std::int64_t at = m.lastRequestMs ? *m.lastRequestMs + interval : m.detectedMs;
        if (!due || at < *due) due = at;
    }
    return due;
}

}  // namespace parley::media

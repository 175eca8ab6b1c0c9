#include "media/keyframe_request_throttle.hpp"

namespace parley::media {

bool KeyframeRequestThrottle::request(std::int64_t nowMs) {
    if (!lastSentMs_ || nowMs - *lastSentMs_ >= intervalMs_) {
        lastSentMs_ = nowMs;
        pending_ = false;
        return true;
    }
    pending_ = true;
    return false;
}

bool KeyframeRequestThrottle::poll(std::int64_t nowMs) {
    if (!pending_ || nowMs - *lastSentMs_ < intervalMs_) return false;
    lastSentMs_ = nowMs;
    pending_ = false;
    return true;
}

std::optional<std::int64_t> KeyframeRequestThrottle::nextDueMs() const {
    if (!pending_) return std::nullopt;
    return *lastSentMs_ + intervalMs_;
}

void KeyframeRequestThrottle::onKeyframe() { pending_ = false; }

}  // namespace parley::media

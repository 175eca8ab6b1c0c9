#pragma once
// Keyframe requests (RTCP PLI or FIR) from the subscribers of one published stream, merged into
// at most one request to the publisher per interval.
//
// Every new subscriber and every subscriber that lost packets asks for a keyframe; sending each
// one on would make the publisher encode keyframe after keyframe (large, bursty, lower
// quality). A request inside the interval is not dropped, since whoever asked still needs a
// keyframe: it is sent when the interval ends, unless a keyframe from the publisher has arrived
// meanwhile (all subscribers get that one).
#include <cstdint>
#include <optional>

namespace parley::media {

class KeyframeRequestThrottle {
public:
    explicit KeyframeRequestThrottle(std::int64_t intervalMs = 500) : intervalMs_(intervalMs) {}

    // A subscriber asks for a keyframe. True: send one to the publisher now. False: it is
    // merged into a request already sent or due at nextDueMs().
    bool request(std::int64_t nowMs);

    // True when a deferred request is due: send one to the publisher now.
    bool poll(std::int64_t nowMs);

    // When poll() will say true; nullopt when nothing waits.
    std::optional<std::int64_t> nextDueMs() const;

    // A keyframe from the publisher answers whatever waits. It arrived after the request it
    // answers was sent, so requests already sent are not repeated for it.
    void onKeyframe();

private:
    std::int64_t intervalMs_;
    std::optional<std::int64_t> lastSentMs_;
    bool pending_ = false;
};

}  // namespace parley::media

#pragma once
// The frames sent to one participant that it has not acknowledged yet, so a resumed
// connection gets exactly what it missed. Bounded: past the limit the oldest are dropped, and a
// resume that needed them fails cleanly (the client then joins afresh).
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "core/bounded_log.hpp"

namespace parley::protocol {

class ReplayLog {
public:
    using Frame = std::shared_ptr<const std::string>;
    static constexpr std::size_t kMaxFrames = 256;

    void add(std::uint64_t seq, Frame frame) {
        frames_.push({seq, std::move(frame)});
    }
    // The client has processed everything up to `seq`.
    void acknowledge(std::uint64_t seq) {
        while (!frames_.empty() && frames_.front().first <= seq) frames_.popFront();
    }
    // Whether every frame after `seq` is still here.
    bool covers(std::uint64_t seq) const { return frames_.empty() || frames_.front().first <= seq + 1; }
    template <class F>
    std::size_t forEachAfter(std::uint64_t seq, F each) const {
        std::size_t n = 0;
        for (const auto& [s, f] : frames_) {
            if (s > seq) {
                each(f);
                ++n;
            }
        }
        return n;
    }
    std::size_t size() const { return frames_.size(); }

private:
    core::BoundedLog<std::pair<std::uint64_t, Frame>> frames_{kMaxFrames};
};

}  // namespace parley::protocol

#pragma once
// The frames sent to one participant that it has not acknowledged yet, so a resumed
// connection gets exactly what it missed. Bounded in frames here and in bytes by its owner
// (ReplayLogs): what has to go is dropped from the front, or all at once (overflow), and the
// log remembers the newest event it lost, so a resume that needed one is recognised and gets
// a snapshot instead of a replay with a hole in it.
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
        if (frames_.size() == frames_.capacity()) {
            lostThrough_ = frames_.front().first;
            bytes_ -= frames_.front().second->size();
        }
        bytes_ += frame->size();
        frames_.push({seq, std::move(frame)});
    }
    // Drops every frame kept: past its budget, the log gives up on an exact replay.
    void overflow() {
        if (!frames_.empty()) lostThrough_ = frames_.back().first;
        frames_.clear();
        bytes_ = 0;
    }
    // The client has processed everything up to `seq`.
    void acknowledge(std::uint64_t seq) {
        while (!frames_.empty() && frames_.front().first <= seq) {
            bytes_ -= frames_.front().second->size();
            frames_.popFront();
        }
    }
    // Whether every frame after `seq` is still here.
    bool covers(std::uint64_t seq) const {
        return seq >= lostThrough_ && (frames_.empty() || frames_.front().first <= seq + 1);
    }
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
    std::size_t bytes() const { return bytes_; }

private:
    core::BoundedLog<std::pair<std::uint64_t, Frame>> frames_{kMaxFrames};
    std::size_t bytes_ = 0;
    std::uint64_t lostThrough_ = 0;  // the newest seq dropped unacknowledged (0: none)
};

}  // namespace parley::protocol

#pragma once
// A server-kept deadline with warnings before it (e.g. 5 min and 1 min before). The owner
// calls poll(now) whenever time may have passed; each warning and the end fire exactly once.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

namespace parley::core {

class Countdown {
public:
    struct Fired {
        std::vector<std::int64_t> warnings;  // remaining-time marks that were crossed
        bool ended = false;
    };

    explicit Countdown(std::vector<std::int64_t> warnMarksMs = {300'000, 60'000})
        : marks_(std::move(warnMarksMs)) {
        std::sort(marks_.rbegin(), marks_.rend());
    }

    void start(std::int64_t nowMs, std::int64_t lengthMs) {
        endsAt_ = nowMs + lengthMs;
        rearm(nowMs);
    }
    void extend(std::int64_t nowMs, std::int64_t byMs) {
        if (!endsAt_) return;
        *endsAt_ += byMs;
        rearm(nowMs);
    }
    void stop() { endsAt_.reset(); }
    // Carried on from a snapshot: the same deadline; warnings already behind us are not sent.
    void resumeAt(std::int64_t nowMs, std::int64_t endsAtMs) {
        endsAt_ = endsAtMs;
        rearm(nowMs);
    }

    bool running() const { return endsAt_.has_value(); }
    std::optional<std::int64_t> endsAt() const { return endsAt_; }
    // When poll() next has something to report.
    std::optional<std::int64_t> nextDueMs() const {
        if (!endsAt_) return std::nullopt;
        if (nextMark_ < marks_.size()) return *endsAt_ - marks_[nextMark_];
        return *endsAt_;
    }

    Fired poll(std::int64_t nowMs) {
        Fired fired;
        if (!endsAt_) return fired;
        while (nextMark_ < marks_.size() && nowMs >= *endsAt_ - marks_[nextMark_]) {
            fired.warnings.push_back(marks_[nextMark_++]);
        }
        if (nowMs >= *endsAt_) {
            fired.ended = true;
            endsAt_.reset();
        }
        return fired;
    }

private:
    // Warnings already behind us (relative to the new end) are not sent again or late.
    void rearm(std::int64_t nowMs) {
        nextMark_ = 0;
        while (nextMark_ < marks_.size() && *endsAt_ - marks_[nextMark_] <= nowMs) ++nextMark_;
    }

    std::vector<std::int64_t> marks_;
    std::size_t nextMark_ = 0;
    std::optional<std::int64_t> endsAt_;
};

}  // namespace parley::core

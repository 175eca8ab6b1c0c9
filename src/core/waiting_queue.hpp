#pragma once
// People waiting to enter a room, first come first served unless the host moves someone.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/participant.hpp"

namespace parley::core {

struct WaitingEntry {
    ParticipantInfo info;
    std::int64_t sinceMs;
};

class WaitingQueue {
public:
    static constexpr std::size_t kCapacity = 100;  // a longer line is refused (queue-full)

    void push(WaitingEntry entry) { entries_.push_back(std::move(entry)); }

    std::optional<WaitingEntry> remove(const ParticipantId& id) {
        auto it = find(id);
        if (it == entries_.end()) return std::nullopt;
        WaitingEntry e = std::move(*it);
        entries_.erase(it);
        return e;
    }
    std::optional<WaitingEntry> popFront() {
        if (entries_.empty()) return std::nullopt;
        WaitingEntry e = std::move(entries_.front());
        entries_.erase(entries_.begin());
        return e;
    }
    bool moveToFront(const ParticipantId& id) {
        auto it = find(id);
        if (it == entries_.end()) return false;
        std::rotate(entries_.begin(), it, it + 1);
        return true;
    }
    // 1-based place, 0 when not waiting.
    std::size_t position(const ParticipantId& id) const {
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            if (entries_[i].info.id == id) return i + 1;
        }
        return 0;
    }
    WaitingEntry* get(const ParticipantId& id) {
        auto it = find(id);
        return it == entries_.end() ? nullptr : &*it;
    }
    const std::vector<WaitingEntry>& entries() const { return entries_; }
    std::vector<WaitingEntry>& entries() { return entries_; }
    std::size_t size() const { return entries_.size(); }
    bool empty() const { return entries_.empty(); }

private:
    std::vector<WaitingEntry>::iterator find(const ParticipantId& id) {
        return std::find_if(entries_.begin(), entries_.end(),
                            [&](const WaitingEntry& e) { return e.info.id == id; });
    }
    std::vector<WaitingEntry> entries_;
};

}  // namespace parley::core

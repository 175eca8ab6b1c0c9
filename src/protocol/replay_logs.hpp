#pragma once
// Every participant's ReplayLog, held to byte budgets: per participant, and per room in total,
// so neither a peer that reads but never acknowledges nor a room full of vanished seats that
// others keep signaling to can pin memory. A log that would pass either budget overflows (it
// drops what it keeps); its owner's next resume becomes a snapshot resume, which loses nothing
// the snapshot carries.
#include <cstddef>
#include <cstdint>
#include <unordered_map>

#include "core/ids.hpp"
#include "protocol/replay_log.hpp"

namespace parley::protocol {

struct ReplayBudget {
    std::size_t perParticipantBytes = 512 * 1024;
    std::size_t perRoomBytes = 4 * 1024 * 1024;
};

class ReplayLogs {
public:
    using Frame = ReplayLog::Frame;

    explicit ReplayLogs(ReplayBudget budget = {}) : budget_(budget) {}

    void add(const core::ParticipantId& to, const core::RoomId& room, std::uint64_t seq, Frame frame) {
        auto [it, added] = logs_.try_emplace(to);
        Entry& entry = it->second;
        if (added) entry.room = room;
        std::size_t& roomBytes = roomBytes_[entry.room];
        const std::size_t before = entry.log.bytes();
        entry.log.add(seq, std::move(frame));
        const std::size_t others = roomBytes - before;
        if (entry.log.bytes() > budget_.perParticipantBytes ||
            others + entry.log.bytes() > budget_.perRoomBytes) {
            entry.log.overflow();
            ++overflows_;
        }
        roomBytes = others + entry.log.bytes();
        total_ = total_ - before + entry.log.bytes();
        if (roomBytes == 0) roomBytes_.erase(entry.room);
    }

    void acknowledge(const core::ParticipantId& id, std::uint64_t seq) {
        change(id, [&](ReplayLog& log) { log.acknowledge(seq); });
    }

    void erase(const core::ParticipantId& id) {
        change(id, [](ReplayLog& log) { log.overflow(); });
        logs_.erase(id);
    }

    const ReplayLog* find(const core::ParticipantId& id) const {
        auto it = logs_.find(id);
        return it == logs_.end() ? nullptr : &it->second.log;
    }

    std::size_t bytes() const { return total_; }
    std::size_t roomBytes(const core::RoomId& room) const {
        auto it = roomBytes_.find(room);
        return it == roomBytes_.end() ? 0 : it->second;
    }
    std::uint64_t overflows() const { return overflows_; }
    const ReplayBudget& budget() const { return budget_; }

private:
    struct Entry {
        ReplayLog log;
        core::RoomId room;
    };

    template <class F>
    void change(const core::ParticipantId& id, F f) {
        auto it = logs_.find(id);
        if (it == logs_.end()) return;
        const std::size_t before = it->second.log.bytes();
        f(it->second.log);
        const std::size_t after = it->second.log.bytes();
        if (after == before) return;
        auto room = roomBytes_.find(it->second.room);
        if (room != roomBytes_.end()) {
            room->second = room->second - before + after;
            if (room->second == 0) roomBytes_.erase(room);
        }
        total_ = total_ - before + after;
    }

    ReplayBudget budget_;
    std::unordered_map<core::ParticipantId, Entry> logs_;
    std::unordered_map<core::RoomId, std::size_t> roomBytes_;
    std::size_t total_ = 0;
    std::uint64_t overflows_ = 0;
};

}  // namespace parley::protocol

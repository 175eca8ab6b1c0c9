#pragma once
// Which media worker a room is pinned to. A room stays on one worker for its whole life (its
// forwarding state lives on that thread); a new room goes to the worker with the fewest rooms.
// Rooms are a fair proxy for load at placement time; a busier measure can replace it here.
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace parley::media {

class WorkerAssignment {
public:
    explicit WorkerAssignment(std::size_t workers) : rooms_(workers == 0 ? 1 : workers, 0) {}

    // The room's worker, placing it first if it has none.
    std::size_t pin(const std::string& room) {
        if (auto it = pinned_.find(room); it != pinned_.end()) return it->second;
        std::size_t best = 0;
        for (std::size_t i = 1; i < rooms_.size(); ++i) {
            if (rooms_[i] < rooms_[best]) best = i;
        }
        ++rooms_[best];
        pinned_.emplace(room, best);
        return best;
    }
    void unpin(const std::string& room) {
        auto it = pinned_.find(room);
        if (it == pinned_.end()) return;
        --rooms_[it->second];
        pinned_.erase(it);
    }
    std::optional<std::size_t> workerOf(const std::string& room) const {
        auto it = pinned_.find(room);
        if (it == pinned_.end()) return std::nullopt;
        return it->second;
    }
    std::size_t roomsOn(std::size_t worker) const { return rooms_.at(worker); }
    std::size_t workers() const { return rooms_.size(); }

private:
    std::vector<std::size_t> rooms_;
    std::unordered_map<std::string, std::size_t> pinned_;
};

}  // namespace parley::media

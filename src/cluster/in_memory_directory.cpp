#include "cluster/in_memory_directory.hpp"

#include <iterator>

namespace parley::cluster {

void InMemoryDirectory::expire(std::map<std::string, Expiring>& entries) const {
    const auto now = clock_.nowMs();
    std::erase_if(entries, [now](const auto& entry) { return entry.second.expiresAtMs <= now; });
}

void InMemoryDirectory::announce(const NodeRecord& node, std::chrono::milliseconds timeToLive,
                                 DirectoryCallback<AnnounceOutcome> done) {
    expire(nodes_);
    if (auto it = nodes_.find(node.id); it != nodes_.end() && it->second.value != node.instance) {
        return done(AnnounceOutcome::IdTaken);
    }
    nodes_[node.id] = Expiring{node.instance, node, clock_.nowMs() + timeToLive.count()};
    done(AnnounceOutcome::Announced);
}

void InMemoryDirectory::withdraw(const std::string& nodeId, const std::string& instance,
                                 DirectoryCallback<bool> done) {
    expire(nodes_);
    auto it = nodes_.find(nodeId);
    if (it == nodes_.end() || it->second.value != instance) return done(false);
    nodes_.erase(it);
    done(true);
}

void InMemoryDirectory::liveNodes(DirectoryCallback<std::vector<NodeRecord>> done) {
    expire(nodes_);
    std::vector<NodeRecord> live;
    for (const auto& [id, entry] : nodes_) live.push_back(entry.record);
    done(std::move(live));
}

void InMemoryDirectory::acquireLease(const std::string& room, const std::string& owner,
                                     std::chrono::milliseconds timeToLive, DirectoryCallback<LeaseOutcome> done) {
    expire(leases_);
    auto [it, inserted] = leases_.try_emplace(room, Expiring{owner, {}, 0});
    if (!inserted && it->second.value != owner) return done(LeaseOutcome{false, it->second.value});
    it->second.expiresAtMs = clock_.nowMs() + timeToLive.count();
    done(LeaseOutcome{true, owner});
}

void InMemoryDirectory::acquireLeases(const std::vector<std::string>& rooms, const std::string& owner,
                                      std::chrono::milliseconds timeToLive,
                                      DirectoryCallback<std::vector<LeaseOutcome>> done) {
    std::vector<LeaseOutcome> outcomes;
    outcomes.reserve(rooms.size());
    for (const auto& room : rooms) {
        acquireLease(room, owner, timeToLive, [&](DirectoryResult<LeaseOutcome> one) { outcomes.push_back(one.value()); });
    }
    done(std::move(outcomes));
}

void InMemoryDirectory::renewLease(const std::string& room, const std::string& owner,
                                   std::chrono::milliseconds timeToLive, DirectoryCallback<bool> done) {
    expire(leases_);
    auto it = leases_.find(room);
    if (it == leases_.end() || it->second.value != owner) return done(false);
    it->second.expiresAtMs = clock_.nowMs() + timeToLive.count();
    done(true);
}

void InMemoryDirectory::releaseLease(const std::string& room, const std::string& owner,
                                     DirectoryCallback<bool> done) {
    expire(leases_);
    auto it = leases_.find(room);
    if (it == leases_.end() || it->second.value != owner) return done(false);
    leases_.erase(it);
    done(true);
}

void InMemoryDirectory::leaseOwner(const std::string& room, DirectoryCallback<std::optional<std::string>> done) {
    expire(leases_);
    auto it = leases_.find(room);
    done(it == leases_.end() ? std::nullopt : std::optional<std::string>(it->second.value));
}

bool InMemoryDirectory::holds(const std::string& room, const std::string& owner) {
    expire(leases_);
    auto it = leases_.find(room);
    return it != leases_.end() && it->second.value == owner;
}

void InMemoryDirectory::saveRoomState(const std::string& room, const std::string& owner, const std::string& state,
                                      std::chrono::milliseconds timeToLive, DirectoryCallback<bool> done) {
    if (!holds(room, owner)) return done(false);
    states_[room] = Expiring{state, {}, clock_.nowMs() + timeToLive.count()};
    done(true);
}

void InMemoryDirectory::loadRoomState(const std::string& room, DirectoryCallback<std::optional<std::string>> done) {
    expire(states_);
    auto it = states_.find(room);
    done(it == states_.end() ? std::nullopt : std::optional<std::string>(it->second.value));
}

void InMemoryDirectory::closeRoom(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) {
    if (!holds(room, owner)) return done(false);
    states_.erase(room);
    leases_.erase(room);
    done(true);
}

}  // namespace parley::cluster

#pragma once
// The directory of a single node, and the reference behaviour for unit tests: the same rules
// as Redis (records and leases expire), on an injected clock. Completes every call at once.
#include <map>
#include <string>

#include "cluster/cluster_directory.hpp"
#include "core/clock.hpp"

namespace parley::cluster {

class InMemoryDirectory final : public ClusterDirectory {
public:
    explicit InMemoryDirectory(const core::Clock& clock) : clock_(clock) {}

    void announce(const NodeRecord& node, std::chrono::milliseconds timeToLive,
                  DirectoryCallback<AnnounceOutcome> done) override;
    void withdraw(const std::string& nodeId, const std::string& instance, DirectoryCallback<bool> done) override;
    void liveNodes(DirectoryCallback<std::vector<NodeRecord>> done) override;

    void acquireLease(const std::string& room, const std::string& owner, std::chrono::milliseconds timeToLive,
                      DirectoryCallback<LeaseOutcome> done) override;
    void acquireLeases(const std::vector<std::string>& rooms, const std::string& owner,
                       std::chrono::milliseconds timeToLive, DirectoryCallback<std::vector<LeaseOutcome>> done) override;
    void renewLease(const std::string& room, const std::string& owner, std::chrono::milliseconds timeToLive,
                    DirectoryCallback<bool> done) override;
    void releaseLease(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) override;
    void leaseOwner(const std::string& room, DirectoryCallback<std::optional<std::string>> done) override;

    void saveRoomState(const std::string& room, const std::string& owner, const std::string& state,
                       std::chrono::milliseconds timeToLive, DirectoryCallback<bool> done) override;
    void loadRoomState(const std::string& room, DirectoryCallback<std::optional<std::string>> done) override;
    void closeRoom(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) override;

    bool reachable() const override { return true; }
    // Never unreachable: nothing to tell.
    ListenerId addReachabilityListener(std::function<void(bool)>) override { return 0; }
    void removeReachabilityListener(ListenerId) override {}

private:
    struct Expiring {
        std::string value;  // the record's instance, the lease's owner, or the room's state
        NodeRecord record;  // nodes only
        std::int64_t expiresAtMs = 0;
    };
    // Drops what has expired by now, as Redis does lazily on access.
    void expire(std::map<std::string, Expiring>& entries) const;

    const core::Clock& clock_;
    std::map<std::string, Expiring> nodes_;
    std::map<std::string, Expiring> leases_;
    std::map<std::string, Expiring> states_;
    // Whether `owner` holds `room`'s lease now.
    bool holds(const std::string& room, const std::string& owner);
};

}  // namespace parley::cluster

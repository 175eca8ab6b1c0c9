#pragma once
// The cluster directory in Redis (6.2 command set), over one RedisConnection.
//
// Keys (PREFIX is "parley:" unless given):
//   PREFIX node:<id>     hash {instance, record (node_record.hpp JSON)}, expiring (PEXPIRE)
//   PREFIX nodes         sorted set of node ids (score: last announcement, ms), for listing;
//                        ids whose hash has expired are removed as they are listed
//   PREFIX lease:<room>  string: the owner's node id, expiring (SET NX PX)
//   PREFIX room:<room>   string: the room's durable state (room_snapshot_json.hpp), expiring;
//                        written only by the lease's holder (checked in the same script)
// Each operation is one round trip: the read-then-write ones (announce without overwriting
// another instance, renew and release by compare and set) are small Lua scripts (EVAL), so
// they are atomic in Redis.
#include <string>

#include "cluster/cluster_directory.hpp"
#include "cluster/redis_connection.hpp"

namespace parley::cluster {

class RedisDirectory final : public ClusterDirectory {
public:
    // `connection` outlives this.
    explicit RedisDirectory(RedisConnection& connection, std::string keyPrefix = "parley:");

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

    bool reachable() const override { return connection_.up(); }
    ListenerId addReachabilityListener(std::function<void(bool)> listener) override;
    void removeReachabilityListener(ListenerId id) override;

    std::string nodeKey(const std::string& id) const { return prefix_ + "node:" + id; }
    std::string nodesKey() const { return prefix_ + "nodes"; }
    std::string leaseKey(const std::string& room) const { return prefix_ + "lease:" + room; }
    std::string stateKey(const std::string& room) const { return prefix_ + "room:" + room; }

private:
    RedisConnection& connection_;
    std::string prefix_;
};

}  // namespace parley::cluster

#pragma once
// Where each room lives in a cluster (core::RoomLocator), and keeping the rooms this node holds.
//
// A room is held under a lease in the directory. A join for a room this node does not hold
// asks who holds its lease: this node (join here), another live node (the browser is sent
// there: the answer names its public URL), or a node that is gone but whose lease has not run
// out yet (try again shortly). A room nobody holds is placed on the least-loaded live node:
// this node takes the lease for that node before sending the browser there, so the node the
// browser reaches finds the room is its own and two placements never disagree.
//
// A room nobody holds that has a stored state (its node died, or handed it on) is taken by the
// node asked, which restores it from that state before the join or resume that asked goes
// ahead; so is a room placed on this node by another that has one.
//
// Rooms open here have their leases renewed every `renewEvery`, given back when they close,
// and taken again when the directory comes back after an outage (while it is away, new rooms
// are placed here: nodes keep serving). The directory decides; it is never waited on for a
// room already open here.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cluster/cluster_directory.hpp"
#include "cluster/node_record.hpp"
#include "core/room_locator.hpp"
#include "core/room_observer.hpp"

namespace parley::cluster {

inline constexpr std::chrono::milliseconds kRoomLeaseTimeToLive{6'000};
inline constexpr std::chrono::milliseconds kRoomLeaseRenewEvery{2'000};

// The node a new room goes to: among `nodes` (this node among them) the one with the fewest
// participants, then the fewest rooms, then the smallest id; only nodes a browser can be sent
// to (a public URL) besides `self`. nullopt only when `nodes` is empty.
std::optional<std::string> leastLoadedNode(const std::vector<NodeRecord>& nodes, const std::string& self);

struct PlacementCounters {
    std::uint64_t placedHere = 0;      // rooms this node took for itself
    std::uint64_t placedElsewhere = 0; // rooms placed on another node
    std::uint64_t redirected = 0;      // joins sent to the room's node
    std::uint64_t unsettled = 0;       // joins told to come back: the room's node is gone
    std::uint64_t leasesLost = 0;      // a renewal found the lease taken (it had run out)
    std::uint64_t restored = 0;        // rooms rebuilt here from a stored state
    std::uint64_t refusedFull = 0;     // new rooms refused: the cluster held --max-rooms
};

class RoomPlacement final : public core::RoomLocator, public core::RoomObserver {
public:
    // `nodes` gives the live nodes as last listed (ClusterMembership's view), `self` this node's
    // id; `directory` outlives this.
    RoomPlacement(boost::asio::io_context& io, ClusterDirectory& directory, std::string self,
                  std::function<std::vector<NodeRecord>()> nodes,
                  std::chrono::milliseconds leaseTimeToLive = kRoomLeaseTimeToLive,
                  std::chrono::milliseconds renewEvery = kRoomLeaseRenewEvery);
    ~RoomPlacement() override;
    RoomPlacement(const RoomPlacement&) = delete;
    RoomPlacement& operator=(const RoomPlacement&) = delete;

    // Rebuilds a room from its stored state (core::RoomSnapshot JSON) on this node. Without it
    // (unit tests of placement alone) stored states are not looked at.
    using Restore = std::function<void(const core::RoomId& room, const std::string& state)>;
    void setRestore(Restore restore) { restore_ = std::move(restore); }
    // --max-rooms across the cluster: a new room is refused (RoomLocation::Full) while the live
    // nodes, as last listed, hold this many rooms in all. 0: no cluster-wide limit.
    void setMaxRooms(std::size_t maxRooms) { maxRooms_ = maxRooms; }

    void start();
    // Stops renewing and gives back every lease held (a node that stops cleanly hands its rooms
    // on at once rather than after the lease runs out), keeping the rooms' stored states for
    // the nodes that take them; `done` once every release has been answered (or failed).
    void stop(std::function<void()> done = nullptr);

    void locate(const core::RoomId& room, std::function<void(core::RoomLocation)> done) override;

    void roomOpened(const core::RoomId& room) override;
    void roomClosed(const core::RoomId& room) override;

    const PlacementCounters& counters() const { return counters_; }
    std::size_t held() const { return open_.size(); }

private:
    void answerForOwner(const core::RoomId& room, const std::string& owner,
                        const std::function<void(core::RoomLocation)>& done);
    // This node holds the room's lease but has not opened it: restored first if it has a state.
    void takeOver(const core::RoomId& room, const std::function<void(core::RoomLocation)>& done);
    // Rebuilds the room here from `state`, unless it is open here already.
    void restoreStored(const core::RoomId& room, const std::string& state);
    void placeNew(const core::RoomId& room, std::function<void(core::RoomLocation)> done);
    // Nobody holds the room: taken here if it has a stored state, else placed as a new room.
    void placeOrTakeOver(const core::RoomId& room, std::function<void(core::RoomLocation)> done);
    void renewAll();
    void schedule();
    std::optional<NodeRecord> liveNode(const std::string& id) const;

    boost::asio::io_context& io_;
    ClusterDirectory& directory_;
    std::string self_;
    std::function<std::vector<NodeRecord>()> nodes_;
    Restore restore_;
    std::size_t maxRooms_ = 0;
    std::chrono::milliseconds leaseTimeToLive_;
    std::chrono::milliseconds renewEvery_;
    boost::asio::steady_timer timer_;
    std::set<core::RoomId> open_;  // rooms open on this node
    PlacementCounters counters_;
    bool stopped_ = true;
    std::optional<ClusterDirectory::ListenerId> listening_;
    // Completions may arrive after this is gone (the directory's connection outlives it).
    std::shared_ptr<RoomPlacement*> alive_;
};

}  // namespace parley::cluster

#pragma once
// This node's place in the cluster: announces itself to the directory every kAnnounceInterval
// with its current load, lists the live nodes after each announcement (the view behind
// /admin/cluster, and what room placement will choose from), and announces again as soon as
// the directory is reachable after an outage.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "cluster/cluster_directory.hpp"
#include "core/clock.hpp"

namespace parley::cluster {

struct MembershipView {
    std::vector<NodeRecord> nodes;    // as last listed (ordered by id); empty before the first list
    std::int64_t listedAtMs = 0;      // when that list arrived (wall clock); 0: never
    bool reachable = false;           // the last announcement or list reached the directory
    bool idTaken = false;             // another live instance announces our node id
    NodeRecord self;                  // what this node last announced (or will)
};

class ClusterMembership {
public:
    using LoadSource = std::function<NodeLoad()>;
    using RoomsSource = std::function<std::vector<std::string>()>;
    using AddressesSource = std::function<std::vector<AddressLoad>()>;

    // `directory`, `clock` outlive this. `self` carries id, instance and public URL; its load and
    // time are filled in at each announcement.
    ClusterMembership(boost::asio::io_context& io, ClusterDirectory& directory, NodeRecord self,
                      LoadSource load, const core::Clock& clock,
                      std::chrono::milliseconds interval = kAnnounceInterval,
                      std::chrono::milliseconds timeToLive = kNodeTimeToLive);
    ~ClusterMembership();
    ClusterMembership(const ClusterMembership&) = delete;
    ClusterMembership& operator=(const ClusterMembership&) = delete;

    // The rooms open on this node, announced with its load (NodeRecord::rooms). Unset: none.
    void setRoomsSource(RoomsSource rooms) { rooms_ = std::move(rooms); }
    // The addresses announced with it (NodeRecord::addresses). Unset: none.
    void setAddressesSource(AddressesSource addresses) { addresses_ = std::move(addresses); }

    void start();
    // Stops announcing and withdraws this node's record (best effort: a record not withdrawn
    // expires by itself after its time to live).
    void stop();

    const MembershipView& view() const { return view_; }
    bool reachable() const { return directory_.reachable(); }

private:
    void beat();
    void schedule();

    boost::asio::io_context& io_;
    ClusterDirectory& directory_;
    LoadSource load_;
    RoomsSource rooms_;
    AddressesSource addresses_;
    const core::Clock& clock_;
    std::chrono::milliseconds interval_;
    std::chrono::milliseconds timeToLive_;
    boost::asio::steady_timer timer_;
    MembershipView view_;
    bool beating_ = false;  // an announcement or list is on its way
    bool stopped_ = true;
    std::optional<ClusterDirectory::ListenerId> listening_;
    // Completions may arrive after this is gone (the directory's connection outlives it).
    std::shared_ptr<ClusterMembership*> alive_;
};

}  // namespace parley::cluster

#include "cluster/room_placement.hpp"

#include <algorithm>
#include <tuple>

#include <spdlog/spdlog.h>

namespace parley::cluster {

std::optional<std::string> leastLoadedNode(const std::vector<NodeRecord>& nodes, const std::string& self) {
    const NodeRecord* best = nullptr;
    for (const NodeRecord& node : nodes) {
        if (node.id != self && node.publicUrl.empty()) continue;  // no way to send a browser there
        const auto key = [](const NodeRecord& n) { return std::tie(n.load.participants, n.load.rooms, n.id); };
        if (!best || key(node) < key(*best)) best = &node;
    }
    if (!best) return std::nullopt;
    return best->id;
}

RoomPlacement::RoomPlacement(boost::asio::io_context& io, ClusterDirectory& directory, std::string self,
                             std::function<std::vector<NodeRecord>()> nodes, std::chrono::milliseconds leaseTimeToLive,
                             std::chrono::milliseconds renewEvery)
    : io_(io),
      directory_(directory),
      self_(std::move(self)),
      nodes_(std::move(nodes)),
      leaseTimeToLive_(leaseTimeToLive),
      renewEvery_(renewEvery),
      timer_(io),
      alive_(std::make_shared<RoomPlacement*>(this)) {}

RoomPlacement::~RoomPlacement() {
    *alive_ = nullptr;
    if (listening_) directory_.removeReachabilityListener(*listening_);
}

void RoomPlacement::start() {
    stopped_ = false;
    std::weak_ptr<RoomPlacement*> alive = alive_;
    if (listening_) directory_.removeReachabilityListener(*listening_);
    // Rooms opened while the directory was away were placed here without a lease: taken now.
    listening_ = directory_.addReachabilityListener([alive](bool reachable) {
        auto self = alive.lock();
        if (reachable && self && *self != nullptr && !(*self)->stopped_) (*self)->renewAll();
    });
    schedule();
}

void RoomPlacement::stop(std::function<void()> done) {
    if (stopped_) {
        if (done) done();
        return;
    }
    stopped_ = true;
    timer_.cancel();
    auto remaining = std::make_shared<std::size_t>(open_.size() + 1);
    auto one = [remaining, done = std::move(done)] {
        if (--*remaining == 0 && done) done();
    };
    for (const auto& room : open_) directory_.releaseLease(room, self_, [one](DirectoryResult<bool>) { one(); });
    one();
}

std::optional<NodeRecord> RoomPlacement::liveNode(const std::string& id) const {
    for (NodeRecord& node : nodes_()) {
        if (node.id == id) return std::move(node);
    }
    return std::nullopt;
}

void RoomPlacement::locate(const core::RoomId& room, std::function<void(core::RoomLocation)> done) {
    // Open here, or no directory to ask: here (a node keeps serving while Redis is away).
    if (open_.count(room) || !directory_.reachable()) {
        done(core::RoomLocation{});
        return;
    }
    std::weak_ptr<RoomPlacement*> alive = alive_;
    directory_.leaseOwner(room, [alive, room, done = std::move(done)](DirectoryResult<std::optional<std::string>> owner) {
        auto self = alive.lock();
        if (!self || *self == nullptr) return done(core::RoomLocation{});
        RoomPlacement& placement = **self;
        if (!owner.ok()) return done(core::RoomLocation{});  // the directory went away meanwhile
        if (!owner.value()) return placement.placeOrTakeOver(room, done);
        placement.answerForOwner(room, *owner.value(), done);
    });
}

void RoomPlacement::answerForOwner(const core::RoomId& room, const std::string& owner,
                                   const std::function<void(core::RoomLocation)>& done) {
    if (owner == self_) return takeOver(room, done);
    auto node = liveNode(owner);
    if (node && !node->publicUrl.empty()) {
        ++counters_.redirected;
        return done(core::RoomLocation{core::RoomLocation::Kind::Elsewhere, node->publicUrl, 0});
    }
    // Its node is gone (or was never reachable): the lease runs out within its time to live,
    // then the room is placed afresh.
    ++counters_.unsettled;
    done(core::RoomLocation{core::RoomLocation::Kind::Unsettled, {}, 1000});
}

void RoomPlacement::placeNew(const core::RoomId& room, std::function<void(core::RoomLocation)> done) {
    auto nodes = nodes_();
    if (maxRooms_ > 0) {
        std::uint64_t open = 0;
        for (const NodeRecord& node : nodes) open += node.id == self_ ? open_.size() : node.load.rooms;
        if (open >= maxRooms_) {
            ++counters_.refusedFull;
            return done(core::RoomLocation{core::RoomLocation::Kind::Full, {}, 0});
        }
    }
    if (std::none_of(nodes.begin(), nodes.end(), [&](const NodeRecord& n) { return n.id == self_; })) {
        NodeRecord me;  // not listed yet (just started): a candidate all the same
        me.id = self_;
        nodes.push_back(me);
    }
    const std::string target = leastLoadedNode(nodes, self_).value_or(self_);
    std::weak_ptr<RoomPlacement*> alive = alive_;
    directory_.acquireLease(room, target, leaseTimeToLive_,
                            [alive, room, target, done = std::move(done)](DirectoryResult<LeaseOutcome> lease) {
                                auto self = alive.lock();
                                if (!self || *self == nullptr || !lease.ok()) return done(core::RoomLocation{});
                                RoomPlacement& placement = **self;
                                if (lease.value().acquired) {
                                    if (target == placement.self_) ++placement.counters_.placedHere;
                                    else ++placement.counters_.placedElsewhere;
                                }
                                // Taken by another placement meanwhile: the room is where it says.
                                placement.answerForOwner(room, lease.value().owner, done);
                            });
}

void RoomPlacement::placeOrTakeOver(const core::RoomId& room, std::function<void(core::RoomLocation)> done) {
    if (!restore_) return placeNew(room, std::move(done));
    // A room nobody holds that has a stored state is one whose node died (or handed it on): this
    // node takes it itself, being certainly alive, rather than the least-loaded node as last
    // listed, which may be the very node that died and is still listed for a few seconds.
    std::weak_ptr<RoomPlacement*> alive = alive_;
    directory_.loadRoomState(room, [alive, room, done = std::move(done)](DirectoryResult<std::optional<std::string>> state) {
        auto self = alive.lock();
        if (!self || *self == nullptr) return done(core::RoomLocation{});
        RoomPlacement& placement = **self;
        if (!state.ok()) return done(core::RoomLocation{core::RoomLocation::Kind::Unsettled, {}, 1000});
        if (!state.value()) return placement.placeNew(room, done);
        placement.directory_.acquireLease(
            room, placement.self_, placement.leaseTimeToLive_,
            [alive, room, stored = std::move(*state.value()), done](DirectoryResult<LeaseOutcome> lease) {
                auto self = alive.lock();
                if (!self || *self == nullptr) return done(core::RoomLocation{});
                if (!lease.ok()) return done(core::RoomLocation{core::RoomLocation::Kind::Unsettled, {}, 1000});
                // Taken by another node meanwhile: the room is where it says (answerForOwner).
                if (!lease.value().acquired) return (*self)->answerForOwner(room, lease.value().owner, done);
                // Ours: restored from the state just read, not read again.
                (*self)->restoreStored(room, stored);
                done(core::RoomLocation{});
            });
    });
}

void RoomPlacement::takeOver(const core::RoomId& room, const std::function<void(core::RoomLocation)>& done) {
    if (!restore_ || open_.count(room)) return done(core::RoomLocation{});
    std::weak_ptr<RoomPlacement*> alive = alive_;
    directory_.loadRoomState(room, [alive, room, done](DirectoryResult<std::optional<std::string>> state) {
        auto self = alive.lock();
        if (!self || *self == nullptr) return done(core::RoomLocation{});
        RoomPlacement& placement = **self;
        // Unknown whether it has a state: opening it empty could overwrite one. Asked again.
        if (!state.ok()) return done(core::RoomLocation{core::RoomLocation::Kind::Unsettled, {}, 1000});
        if (state.value()) placement.restoreStored(room, *state.value());
        done(core::RoomLocation{});
    });
}

void RoomPlacement::restoreStored(const core::RoomId& room, const std::string& state) {
    // Another join may have restored or opened it meanwhile: the first one counts.
    if (open_.count(room)) return;
    ++counters_.restored;
    spdlog::info("cluster: room={} taken over: restoring its stored state", room);
    restore_(room, state);
}

void RoomPlacement::roomOpened(const core::RoomId& room) {
    open_.insert(room);
    // A room opened with the directory away, or placed here by this node: held from now on.
    directory_.acquireLease(room, self_, leaseTimeToLive_, [](DirectoryResult<LeaseOutcome>) {});
}

void RoomPlacement::roomClosed(const core::RoomId& room) {
    open_.erase(room);
    // Everyone left: nothing to carry on, so its state goes with the lease.
    directory_.closeRoom(room, self_, [](DirectoryResult<bool>) {});
}

void RoomPlacement::schedule() {
    if (stopped_) return;
    timer_.expires_after(renewEvery_);
    std::weak_ptr<RoomPlacement*> alive = alive_;
    timer_.async_wait([alive](boost::system::error_code error) {
        auto self = alive.lock();
        if (error || !self || *self == nullptr) return;
        (*self)->renewAll();
        (*self)->schedule();
    });
}

void RoomPlacement::renewAll() {
    if (stopped_ || !directory_.reachable() || open_.empty()) return;
    std::weak_ptr<RoomPlacement*> alive = alive_;
    std::vector<std::string> rooms(open_.begin(), open_.end());
    // All at once (a few requests for thousands of rooms, not one each): taken again if they
    // ran out while the directory was away, extended otherwise.
    directory_.acquireLeases(rooms, self_, leaseTimeToLive_,
                             [alive, rooms](DirectoryResult<std::vector<LeaseOutcome>> leases) {
                                 auto self = alive.lock();
                                 if (!self || *self == nullptr || !leases.ok()) return;
                                 for (std::size_t i = 0; i < rooms.size() && i < leases.value().size(); ++i) {
                                     const auto& lease = leases.value()[i];
                                     if (lease.acquired) continue;
                                     // Another node holds it: ours ran out (this node was cut off
                                     // from the directory for longer than the lease). Said, and
                                     // counted; the room carries on here.
                                     ++(*self)->counters_.leasesLost;
                                     spdlog::warn("cluster: room={} is held by node {} now, not by this node", rooms[i],
                                                  lease.owner);
                                 }
                             });
}

}  // namespace parley::cluster

#include "cluster/cluster_membership.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace parley::cluster {

ClusterMembership::ClusterMembership(boost::asio::io_context& io, ClusterDirectory& directory, NodeRecord self,
                                     LoadSource load, const core::Clock& clock, std::chrono::milliseconds interval,
                                     std::chrono::milliseconds timeToLive)
    : io_(io),
      directory_(directory),
      load_(std::move(load)),
      clock_(clock),
      interval_(interval),
      timeToLive_(timeToLive),
      timer_(io),
      alive_(std::make_shared<ClusterMembership*>(this)) {
    view_.self = std::move(self);
}

ClusterMembership::~ClusterMembership() {
    *alive_ = nullptr;
    if (listening_) directory_.removeReachabilityListener(*listening_);
}

void ClusterMembership::start() {
    stopped_ = false;
    std::weak_ptr<ClusterMembership*> alive = alive_;
    if (listening_) directory_.removeReachabilityListener(*listening_);
    listening_ = directory_.addReachabilityListener([alive](bool reachable) {
        auto self = alive.lock();
        if (!self || *self == nullptr) return;
        (*self)->view_.reachable = reachable;
        if (reachable && !(*self)->stopped_) {
            spdlog::info("cluster: directory reachable; announcing {}", (*self)->view_.self.id);
            (*self)->timer_.cancel();  // the wait ends now; beat() schedules the next
            (*self)->beat();
        }
    });
    beat();
}

void ClusterMembership::stop() {
    if (stopped_) return;
    stopped_ = true;
    timer_.cancel();
    directory_.withdraw(view_.self.id, view_.self.instance, [](DirectoryResult<bool>) {});
}

void ClusterMembership::schedule() {
    if (stopped_) return;
    timer_.expires_after(interval_);
    std::weak_ptr<ClusterMembership*> alive = alive_;
    timer_.async_wait([alive](boost::system::error_code error) {
        auto self = alive.lock();
        if (error || !self || *self == nullptr) return;
        (*self)->beat();
    });
}

void ClusterMembership::beat() {
    if (stopped_) return;
    schedule();
    if (beating_) return;  // the last beat's answer is still due: no pile-up while Redis is slow
    beating_ = true;
    view_.self.load = load_ ? load_() : NodeLoad{};
    view_.self.rooms = rooms_ ? rooms_() : std::vector<std::string>{};
    std::sort(view_.self.rooms.begin(), view_.self.rooms.end());
    if (view_.self.rooms.size() > kMaxListedRooms) view_.self.rooms.resize(kMaxListedRooms);
    view_.self.addresses = addresses_ ? addresses_() : std::vector<AddressLoad>{};
    if (view_.self.addresses.size() > kMaxListedAddresses) view_.self.addresses.resize(kMaxListedAddresses);
    view_.self.announcedAtMs = clock_.nowMs();
    std::weak_ptr<ClusterMembership*> alive = alive_;
    const auto lookup = [alive]() -> ClusterMembership* {
        auto self = alive.lock();
        return self ? *self : nullptr;
    };
    directory_.announce(view_.self, timeToLive_, [lookup](DirectoryResult<AnnounceOutcome> announced) {
        auto* self = lookup();
        if (self == nullptr) return;
        if (!announced.ok()) {
            self->beating_ = false;
            self->view_.reachable = false;
            return;  // the connection logs the outage once; nothing more to say every beat
        }
        const bool taken = announced.value() == AnnounceOutcome::IdTaken;
        if (taken && !self->view_.idTaken) {
            spdlog::error("cluster: node id {} is announced by another running instance; this node stays unlisted "
                          "until that one stops (give each node its own --node-id)",
                          self->view_.self.id);
        } else if (!taken && self->view_.idTaken) {
            spdlog::info("cluster: node id {} is this node's again", self->view_.self.id);
        }
        self->view_.idTaken = taken;
        self->directory_.liveNodes([lookup](DirectoryResult<std::vector<NodeRecord>> listed) {
            auto* self = lookup();
            if (self == nullptr) return;
            self->beating_ = false;
            self->view_.reachable = listed.ok();
            if (!listed.ok()) return;
            self->view_.nodes = std::move(listed.value());
            self->view_.listedAtMs = self->clock_.nowMs();
        });
    });
}

}  // namespace parley::cluster

#include "cluster/room_state_writer.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

namespace parley::cluster {

RoomStateWriter::RoomStateWriter(boost::asio::io_context& io, ClusterDirectory& directory, std::string self,
                                 Capture capture, std::chrono::milliseconds stateTimeToLive)
    : io_(io),
      directory_(directory),
      self_(std::move(self)),
      capture_(std::move(capture)),
      stateTimeToLive_(stateTimeToLive),
      alive_(std::make_shared<RoomStateWriter*>(this)) {}

RoomStateWriter::~RoomStateWriter() {
    *alive_ = nullptr;
    if (listening_) directory_.removeReachabilityListener(*listening_);
}

void RoomStateWriter::start() {
    if (listening_) return;
    std::weak_ptr<RoomStateWriter*> alive = alive_;
    // Registered after RoomPlacement's listener, whose lease requests therefore go out first on
    // the same connection: the writes that follow find the leases taken again.
    listening_ = directory_.addReachabilityListener([alive](bool reachable) {
        auto self = alive.lock();
        if (!reachable || !self || *self == nullptr) return;
        for (const auto& room : (*self)->open_) (*self)->markDirty(room);
    });
}

void RoomStateWriter::roomOpened(const core::RoomId& room) {
    open_.insert(room);
    markDirty(room);
}

void RoomStateWriter::roomChanged(const core::RoomId& room) {
    if (open_.count(room)) markDirty(room);
}

void RoomStateWriter::roomClosed(const core::RoomId& room) {
    open_.erase(room);
    dirty_.erase(room);
}

void RoomStateWriter::markDirty(const core::RoomId& room) {
    dirty_.insert(room);
    if (flushPosted_) return;
    // After the command that changed it (and any others in this turn of the loop): one write
    // for all of them, and never from inside Rooms' observer call.
    flushPosted_ = true;
    std::weak_ptr<RoomStateWriter*> alive = alive_;
    boost::asio::post(io_, [alive] {
        auto self = alive.lock();
        if (!self || *self == nullptr) return;
        (*self)->flushPosted_ = false;
        (*self)->flush();
    });
}

void RoomStateWriter::flush() {
    std::set<core::RoomId> ready;
    for (auto it = dirty_.begin(); it != dirty_.end();) {
        if (inFlight_.count(*it)) {
            ++it;  // written again when the write on its way is answered
        } else {
            ready.insert(*it);
            it = dirty_.erase(it);
        }
    }
    for (const auto& room : ready) write(room, nullptr);
}

void RoomStateWriter::write(const core::RoomId& room, std::function<void()> afterwards) {
    auto state = capture_(room);
    if (!state) {
        if (afterwards) afterwards();
        return;
    }
    inFlight_.insert(room);
    std::weak_ptr<RoomStateWriter*> alive = alive_;
    directory_.saveRoomState(
        room, self_, *state, stateTimeToLive_,
        [alive, room, afterwards = std::move(afterwards)](DirectoryResult<bool> saved) {
            auto self = alive.lock();
            if (self && *self != nullptr) {
                RoomStateWriter& writer = **self;
                writer.inFlight_.erase(room);
                if (!saved.ok()) {
                    ++writer.counters_.failed;  // written again when the store is back
                } else if (saved.value()) {
                    ++writer.counters_.written;
                } else {
                    ++writer.counters_.fenced;
                    spdlog::warn("cluster: room={} state not written: this node does not hold its lease", room);
                }
                if (writer.dirty_.count(room) && writer.open_.count(room)) writer.markDirty(room);
            }
            if (afterwards) afterwards();
        });
}

void RoomStateWriter::writeAll(std::function<void()> done) {
    auto remaining = std::make_shared<std::size_t>(open_.size() + 1);
    auto one = [remaining, done = std::move(done)] {
        if (--*remaining == 0 && done) done();
    };
    for (const auto& room : open_) {
        dirty_.erase(room);
        write(room, one);
    }
    one();
}

}  // namespace parley::cluster

#pragma once
// Keeps the durable state of every room open on this node in the cluster directory as it
// changes (core::RoomObserver::roomChanged), so that the node taking a room over after this
// one dies finds it as it was: seats, line, timers, chat (issue 19).
//
// Writes are coalesced: a room changed several times while its previous write is on its way
// is written once more after it, with the state as it is then; at most one write per room is
// in flight, so writes arrive in order. Each write is fenced by the room's lease in the store
// (ClusterDirectory::saveRoomState): a node that lost a room can never overwrite the state of
// the node that took it. When the store comes back after an outage every open room is written
// again. Closing a room removes its state (RoomPlacement, with the lease).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include <boost/asio/io_context.hpp>

#include "cluster/cluster_directory.hpp"
#include "core/participant.hpp"
#include "core/room_observer.hpp"

namespace parley::cluster {

// How long a state outlives its last write: a room whose node died and that nobody came back
// to is forgotten after this. Every change writes it again, so a room in use never gets near.
inline constexpr std::chrono::milliseconds kRoomStateTimeToLive{24 * 60 * 60 * 1000};

struct StateWriterCounters {
    std::uint64_t written = 0;  // states stored
    std::uint64_t fenced = 0;   // refused: this node did not hold the room's lease
    std::uint64_t failed = 0;   // the store could not be reached (written again when it can)
};

class RoomStateWriter final : public core::RoomObserver {
public:
    // The room's state as the directory keeps it (encoded JSON); nullopt if the room is gone.
    using Capture = std::function<std::optional<std::string>(const core::RoomId&)>;

    // `directory` outlives this.
    RoomStateWriter(boost::asio::io_context& io, ClusterDirectory& directory, std::string self, Capture capture,
                    std::chrono::milliseconds stateTimeToLive = kRoomStateTimeToLive);
    ~RoomStateWriter() override;
    RoomStateWriter(const RoomStateWriter&) = delete;
    RoomStateWriter& operator=(const RoomStateWriter&) = delete;

    // Writes every open room again whenever the store comes back.
    void start();
    // Writes every open room now (the last writes before this node hands its rooms on); `done`
    // is called once each has been answered, or failed.
    void writeAll(std::function<void()> done);

    void roomOpened(const core::RoomId& room) override;
    void roomChanged(const core::RoomId& room) override;
    void roomClosed(const core::RoomId& room) override;

    const StateWriterCounters& counters() const { return counters_; }

private:
    void markDirty(const core::RoomId& room);
    void flush();
    void write(const core::RoomId& room, std::function<void()> afterwards);

    boost::asio::io_context& io_;
    ClusterDirectory& directory_;
    std::string self_;
    Capture capture_;
    std::chrono::milliseconds stateTimeToLive_;
    std::set<core::RoomId> open_;
    std::set<core::RoomId> dirty_;     // changed since its last write was sent
    std::set<core::RoomId> inFlight_;  // a write on its way
    bool flushPosted_ = false;
    StateWriterCounters counters_;
    std::optional<ClusterDirectory::ListenerId> listening_;
    std::shared_ptr<RoomStateWriter*> alive_;  // completions may arrive after this is gone
};

}  // namespace parley::cluster

#pragma once
// What the nodes of one Parley service share: who is alive (each node announces itself with
// its load and is dead once silent for longer than its announcement's time to live), and which
// node holds each room (a lease: taken if free, kept by renewing, given back, looked up).
//
// Two implementations: InMemoryDirectory (one node, unit tests; time injected) and
// RedisDirectory (several nodes sharing Redis). Every operation completes through its
// callback exactly once: at once for the in-memory one, later on the io_context for Redis. A
// caller relies on neither.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cluster/node_record.hpp"

namespace parley::cluster {

// How often a node announces itself, and how long its announcement lives: three beats, so
// one lost or late beat does not declare a live node dead.
inline constexpr std::chrono::milliseconds kAnnounceInterval{2'000};
inline constexpr std::chrono::milliseconds kNodeTimeToLive{6'000};

struct DirectoryError {
    enum class Code {
        Unavailable,  // not connected to the shared store (it is down, or being reconnected)
        Timeout,      // no answer in time; the connection is reset
        BadReply,     // an answer of the wrong shape (another program's keys?)
    };
    Code code;
    std::string message;
};
const char* toString(DirectoryError::Code code);

// A value or why there is none.
template <class T>
class DirectoryResult {
public:
    DirectoryResult(T value) : state_(std::move(value)) {}  // NOLINT: implicit on purpose
    DirectoryResult(DirectoryError error) : state_(std::move(error)) {}  // NOLINT
    bool ok() const { return state_.index() == 0; }
    const T& value() const { return std::get<0>(state_); }
    T& value() { return std::get<0>(state_); }
    const DirectoryError& error() const { return std::get<1>(state_); }

private:
    std::variant<T, DirectoryError> state_;
};

template <class T>
using DirectoryCallback = std::function<void(DirectoryResult<T>)>;

enum class AnnounceOutcome {
    Announced,
    IdTaken,  // another live process (another instance) announces this node id: not overwritten
};

struct LeaseOutcome {
    bool acquired = false;  // the caller holds the lease now (also when it held it already)
    std::string owner;      // who holds it now (the caller when acquired)
};

class ClusterDirectory {
public:
    virtual ~ClusterDirectory() = default;

    // --- nodes -------------------------------------------------------------------------
    // Records `node` (replacing its previous record) to live for `timeToLive` from now. A record
    // of the same id from another instance that is still alive is left alone (IdTaken).
    virtual void announce(const NodeRecord& node, std::chrono::milliseconds timeToLive,
                          DirectoryCallback<AnnounceOutcome> done) = 0;
    // Removes the node's record at once (a clean shutdown), if `instance` still holds it.
    virtual void withdraw(const std::string& nodeId, const std::string& instance,
                          DirectoryCallback<bool> done) = 0;
    // Every node whose record is alive, ordered by id.
    virtual void liveNodes(DirectoryCallback<std::vector<NodeRecord>> done) = 0;

    // --- room leases ---------------------------------------------------------------------
    // Takes the room's lease for `owner` if nobody holds it (then it lives `timeToLive`); if
    // `owner` holds it already, extends it. Otherwise tells who does.
    virtual void acquireLease(const std::string& room, const std::string& owner,
                              std::chrono::milliseconds timeToLive, DirectoryCallback<LeaseOutcome> done) = 0;
    // acquireLease for each of `rooms` at once, in as few round trips as the store allows (a
    // node renews every room it holds this way: one request per few hundred rooms, not one
    // per room). One outcome per room, in order.
    virtual void acquireLeases(const std::vector<std::string>& rooms, const std::string& owner,
                               std::chrono::milliseconds timeToLive,
                               DirectoryCallback<std::vector<LeaseOutcome>> done) = 0;
    // Extends the lease to `timeToLive` from now if, and only if, `owner` still holds it
    // (compare and set): false when it expired or another node took it meanwhile.
    virtual void renewLease(const std::string& room, const std::string& owner,
                            std::chrono::milliseconds timeToLive, DirectoryCallback<bool> done) = 0;
    // Gives the lease back if `owner` holds it: false when it did not.
    virtual void releaseLease(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) = 0;
    // Who holds the room's lease now; nullopt when nobody does.
    virtual void leaseOwner(const std::string& room, DirectoryCallback<std::optional<std::string>> done) = 0;

    // --- room state -----------------------------------------------------------------------
    // A room's durable state (core::RoomSnapshot as JSON), kept so that another node can carry
    // the room on when its node dies. Writes are fenced by the lease: a node that lost a room's
    // lease (cut off from the store for longer than its time to live) can never overwrite what
    // the node that took the room over wrote.
    //
    // Stores `state` for `timeToLive` if, and only if, `owner` holds the room's lease: false
    // when it does not (nothing written).
    virtual void saveRoomState(const std::string& room, const std::string& owner, const std::string& state,
                               std::chrono::milliseconds timeToLive, DirectoryCallback<bool> done) = 0;
    // The room's stored state; nullopt when there is none.
    virtual void loadRoomState(const std::string& room, DirectoryCallback<std::optional<std::string>> done) = 0;
    // The room closed (everyone left): removes its state and gives its lease back, if `owner`
    // holds the lease; false (nothing removed) when it does not.
    virtual void closeRoom(const std::string& room, const std::string& owner, DirectoryCallback<bool> done) = 0;

    // --- reachability --------------------------------------------------------------------
    // Whether the shared store is reachable now (always true for the in-memory directory).
    virtual bool reachable() const = 0;
    // `listener` is called on the io_context each time reachability changes (after a
    // reconnect: true), until removed. Several parts of a node may listen (its membership, and
    // later room placement and state).
    using ListenerId = std::uint64_t;
    virtual ListenerId addReachabilityListener(std::function<void(bool reachable)> listener) = 0;
    virtual void removeReachabilityListener(ListenerId id) = 0;
};

}  // namespace parley::cluster

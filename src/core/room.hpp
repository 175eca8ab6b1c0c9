#pragma once
// One room: who is in, who waits, who hosts, its timers, chat and raised hands.
// Participants are addressed by id; the owner (Rooms) maps sockets to ids and numbers events.
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/chat_history.hpp"
#include "core/clock.hpp"
#include "core/countdown.hpp"
#include "core/error_code.hpp"
#include "core/events.hpp"
#include "core/raised_hands.hpp"
#include "core/room_observer.hpp"
#include "core/room_settings.hpp"
#include "core/room_snapshot.hpp"
#include "core/secret_digest.hpp"
#include "core/signaling_trace.hpp"
#include "core/wait_estimator.hpp"
#include "core/waiting_queue.hpp"

namespace parley::core {

struct Refusal {
    ErrorCode code;
    std::string message;
    // When asking again makes sense (too-many-attempts, too-many-rooms): in this many ms.
    std::optional<std::int64_t> retryAfterMs = std::nullopt;
};

using Outcome = std::optional<Refusal>;  // nullopt: done

class Room {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        virtual void emit(const ParticipantId& to, const Event& event) = 0;
        // The person no longer belongs to this room (left, kicked, declined, ended).
        virtual void released(const ParticipantId& id) = 0;
        virtual void relayed(const RelayTrace& trace) = 0;
        // Facts about the room, once each (RoomObserver); the owner passes them on.
        virtual void observe(const std::function<void(RoomObserver&)>& fact) { (void)fact; }
    };

    static constexpr std::size_t kMaxQueue = WaitingQueue::kCapacity;

    Room(RoomId id, RoomSettings settings, std::size_t maxSeats, const Clock& clock, Listener& listener,
         TopologyPolicy topology = {});
    // A room carried on from a snapshot another node wrote (validate() it first): everyone in it
    // is away (not connected) until they resume; its deadlines stand as they were; nobody is
    // told anything. `topology` decides from the next join or leave on.
    Room(const RoomSnapshot& snapshot, const Clock& clock, Listener& listener, TopologyPolicy topology = {});

    // The room's durable state (room_snapshot.hpp). Seats' resume digests and event counts are
    // not the room's: its owner (Rooms::snapshot) fills them in.
    RoomSnapshot snapshot() const;
    // Whether anything durable changed since the last call: its owner reports it once per
    // command (RoomObserver::roomChanged), however many parts of the room one command touched.
    bool takeChanged() { return std::exchange(changed_, false); }

    // The first person in becomes host; later ones enter or wait according to the policy.
    std::variant<JoinAccepted, Waiting, Refusal> join(ParticipantInfo who, const Credentials& credentials = {});
    void leave(const ParticipantId& id, LeaveReason reason);
    // Whether join() with these credentials would compare a password (a guess that may be wrong).
    bool checksPassword(const Credentials& credentials) const {
        return !empty() && password_ && !credentials.token && !credentials.password.empty();
    }
    // Their socket dropped (false) or they resumed on a new one (true); the others are told.
    // `rebuild`: they came back with no peer connections (a reloaded page); the others are
    // told even if the old socket never looked down, so they replace their connection to them.
    void setConnected(const ParticipantId& id, bool connected, bool rebuild = false);
    // What a fresh join would tell this person now: `joined` for a member, `waiting` for
    // someone in line (resume token left empty); nullopt if they are neither.
    std::optional<std::variant<JoinAccepted, Waiting>> snapshotOf(const ParticipantId& id) const;

    Outcome relay(const ParticipantId& from, const ParticipantId& to, RelayKind kind, std::string payload);
    Outcome setMedia(const ParticipantId& id, const MediaState& media);
    Outcome chat(const ParticipantId& from, std::string text);
    Outcome hand(const ParticipantId& id, bool raised);

    // Host controls; each is refused with not-host for guests.
    Outcome admit(const ParticipantId& by, const ParticipantId& who);
    Outcome decline(const ParticipantId& by, const ParticipantId& who);
    Outcome moveToFront(const ParticipantId& by, const ParticipantId& who);
    Outcome kick(const ParticipantId& by, const ParticipantId& who, std::string reason);
    Outcome mute(const ParticipantId& by, const ParticipantId& who);
    Outcome requestUnmute(const ParticipantId& by, const ParticipantId& who);
    Outcome lock(const ParticipantId& by, bool locked);
    Outcome endSession(const ParticipantId& by);
    Outcome transferHost(const ParticipantId& by, const ParticipantId& to);
    Outcome setTimer(const ParticipantId& by, std::int64_t lengthMs);  // 0 stops it
    Outcome extendTimer(const ParticipantId& by, std::int64_t byMs);

    // Fires due timer warnings and endings.
    void tick();
    std::optional<std::int64_t> nextDueMs() const;

    const RoomId& id() const { return id_; }
    bool empty() const { return members_.empty() && queue_.empty(); }
    bool isAdmitted(const ParticipantId& id) const;
    // A member's display name; empty for someone not admitted (diagnostics name who is who).
    std::string nameOf(const ParticipantId& id) const;
    bool isWaiting(const ParticipantId& id) const { return queue_.position(id) != 0; }
    std::size_t memberCount() const { return members_.size(); }
    std::size_t waitingCount() const { return queue_.size(); }
    const ParticipantId& host() const { return host_; }
    RoomState state() const;
    const SignalingTrace& trace() const { return trace_; }
    Topology topology() const { return topology_; }

private:
    struct Member {
        ParticipantInfo info;
        std::int64_t joinedAtMs;
    };

    Member* find(const ParticipantId& id);
    Outcome requireHost(const ParticipantId& by) const;
    std::size_t seatLimit() const;
    bool hasFreeSeat() const { return members_.size() < seatLimit(); }
    JoinAccepted snapshotFor(const Member& m) const;
    Waiting waitingFor(const WaitingEntry& e) const;
    std::vector<QueueEntry> queueView() const;

    Member& admitNow(ParticipantInfo who);
    void admitFromQueue(WaitingEntry entry);
    void fillSeats();
    void queueChanged();
    void broadcast(const Event& event, const Member* except = nullptr);
    void broadcastState();
    void broadcastHands();
    void setHost(const ParticipantId& id, const Member* except = nullptr);
    void removeMember(const ParticipantId& id, LeaveReason reason);
    void endAll(EndReason reason);
    // Applies the topology policy after a join or a leave; `except`: a newcomer who learns the
    // room's state from its own snapshot.
    void reconsiderTopology(const Member* except = nullptr);
    // `outcome` is static text (a code's name), kept by reference.
    void note(TraceKind kind, const ParticipantId& from, const ParticipantId& to = {},
              std::string_view outcome = {}, std::size_t bytes = 0);

    RoomId id_;
    RoomSettings settings_;
    const Clock& clock_;
    Listener& listener_;
    std::vector<Member> members_;  // join order
    WaitingQueue queue_;
    ParticipantId host_;
    bool locked_ = false;
    Countdown session_;
    Countdown slot_{{60'000}};
    ChatHistory chat_;
    RaisedHands hands_;
    WaitEstimator estimator_;
    SignalingTrace trace_;
    TopologyPolicy policy_;
    Topology topology_;
    // The ICE fragment `from` last used towards `to` in an offer or answer (a room has at most a
    // few dozen pairs, so a list does).
    struct UfragUse {
        ParticipantId from;
        ParticipantId to;
        std::string ufrag;
    };
    std::vector<UfragUse> lastUfrag_;
    // Kept salted and hashed, never as typed (settings_.password stays empty): a snapshot of
    // the room carries no password.
    std::optional<PasswordHash> password_;
    bool changed_ = false;  // durable state changed since takeChanged()
};

}  // namespace parley::core

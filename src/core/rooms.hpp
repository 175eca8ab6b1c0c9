#pragma once
// The rooms of one server and which socket speaks for whom: commands in, events out. No I/O.
// A participant outlives its socket for a grace period: it can resume on a new socket with its
// resume token. Each event gets the recipient's next sequence number here, so numbering
// survives both a move from the waiting line into the room and a resume.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/address_quota.hpp"
#include "core/clock.hpp"
#include "core/events.hpp"
#include "core/ids.hpp"
#include "core/password_guard.hpp"
#include "core/resume_token.hpp"
#include "core/room.hpp"
#include "core/room_snapshot.hpp"
#include "core/secret_digest.hpp"

namespace parley::core {

struct RoomsConfig {
    std::size_t maxRoomSize = 6;
    std::int64_t resumeGraceMs = 30'000;  // 0: a dropped socket leaves at once
    std::size_t maxRooms = 1'000;         // a join that would open one more: server-full
    AddressLimits perAddress;             // seats and rooms one client address may hold
    TopologyPolicy topology;              // peer to peer or forwarded, by room size
};

struct Resumed {
    ParticipantId id;
    RoomId room;
    std::uint64_t lastSeq;           // the last event numbered for them so far
    std::optional<SessionId> replaced;  // the old socket, if it was still attached
    // For a snapshot resume (a client that kept no state, e.g. a reloaded page, or anyone's
    // first resume in a room restored from another node, which has nothing to replay): what a
    // fresh join would have told them, resume token included.
    std::optional<std::variant<JoinAccepted, Waiting>> snapshot;
};

class Rooms final : private Room::Listener {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        // An event for participant `to`, numbered `seq` (1, 2, ... with no gaps). `session` is
        // their socket, or nullopt while they are away (the event is kept for a resume).
        virtual void onEvent(std::optional<SessionId> session, const ParticipantId& to, std::uint64_t seq,
                             const Event& event) = 0;
        virtual void onRelay(const RelayTrace& trace) = 0;
        // The participant is gone for good (left, grace expired, kicked, ...).
        virtual void onGone(const ParticipantId& id) = 0;
    };

    Rooms(RoomsConfig config, const Clock& clock, IdSource& ids, Listener& listener);

    // `settings` apply only when this join creates the room. `address` is the client's network
    // address: the seat, and the room if this join opens it, count against it (AddressQuota),
    // and wrong passwords from it are throttled (PasswordGuard).
    std::variant<JoinAccepted, Waiting, Refusal> join(SessionId session, const RoomId& room,
                                                      const std::string& name, const MediaState& media,
                                                      const RoomSettings& settings = {},
                                                      const Credentials& credentials = {},
                                                      const std::string& address = {});
    Outcome relay(SessionId session, const ParticipantId& to, RelayKind kind, std::string payload);
    Outcome setMedia(SessionId session, const MediaState& media);
    Outcome leave(SessionId session, LeaveReason reason);

    // Facts about every room, once each, to each observer (a forwarding server, the cluster):
    // see room_observer.hpp. roomChanged comes once per command that changed a room's durable
    // state, after the command, so snapshot() then sees all of it. The observer must outlive
    // Rooms or be removed first.
    void addObserver(RoomObserver& observer) { observers_.push_back(&observer); }
    void removeObserver(RoomObserver& observer) { std::erase(observers_, &observer); }

    // An event from a component other than the rooms themselves (a forwarding server's offer,
    // a track or layer change) for one participant: numbered like every event, kept for its
    // resume, and delivered if it is connected. False if there is no such participant.
    bool send(const ParticipantId& to, const Event& event) {
        if (!seats_.count(to)) return false;
        emit(to, event);
        return true;
    }

    // Takes a participant out whatever its socket is doing (a failed resume, for one).
    void leaveParticipant(const ParticipantId& id, LeaveReason reason) { leaveAs(id, reason); }
    const RoomId& roomOf(const ParticipantId& id) const { return seats_.at(id).room->id(); }
    // The socket that speaks for a participant now, if any.
    std::optional<SessionId> sessionOf(const ParticipantId& id) const {
        auto seat = seats_.find(id);
        if (seat == seats_.end()) return std::nullopt;
        return seat->second.session;
    }
    std::optional<ParticipantId> participantOf(SessionId session) const {
        auto s = sessions_.find(session);
        if (s == sessions_.end()) return std::nullopt;
        return s->second;
    }

    // The socket dropped: the participant keeps its place for the grace period.
    void detach(SessionId session);
    // Who a resume token belongs to, without changing anything.
    std::optional<ParticipantId> holderOf(const std::string& resumeToken) const;
    // Binds the token's participant to `session`. With `snapshot` the client kept nothing (a
    // reloaded page): it gets the whole picture instead of a replay, and since its peer
    // connections are gone, the others are told to rebuild theirs to it.
    // The seat counts against `address` from now on (the person may have changed networks).
    // `lastSeen`: the last event the client says it processed. A seat restored from another
    // node's snapshot always resumes with a snapshot (nothing of what it missed is kept here),
    // and its numbering goes on after both `lastSeen` and what the snapshot recorded, so the
    // client never sees a number again that the old node may already have used.
    std::variant<Resumed, Refusal> resume(SessionId session, const std::string& resumeToken,
                                          bool snapshot = false, const std::string& address = {},
                                          std::uint64_t lastSeen = 0);

    // A room's durable state (room_snapshot.hpp) for another node to carry on with; nullopt if
    // there is no such room here. Pure: nothing changes and nothing is reported.
    std::optional<RoomSnapshot> snapshot(const RoomId& room) const;
    // Carries on a room from another node's snapshot (its node died): the room as it was, every
    // seat held for someone away, who can resume with the token they already have within the
    // resume grace (which starts now). Nobody is told anything until they resume. Observers
    // hear roomOpened, admitted for each member (not connected) and topologyChanged if the room
    // was forwarded; roomChanged is not reported (what was read is what is stored). Refused,
    // with nothing changed, if the snapshot is not valid (validate()), the room is already
    // here, or one of its participant ids is seated here. --max-rooms does not refuse it: the
    // room exists already, and turning it away would lose it.
    std::optional<SnapshotError> restore(const RoomSnapshot& snapshot);

    // Runs `action(room, myId)` for the session's room (chat, hands, host controls), then drops
    // the room if it emptied.
    template <class Action>
    Outcome act(SessionId session, Action&& action) {
        auto s = sessions_.find(session);
        if (s == sessions_.end()) return Refusal{ErrorCode::NotJoined, "Join a room first"};
        const ParticipantId me = s->second;
        Room& room = *seats_.at(me).room;
        Outcome outcome = action(room, me);
        settle(room);
        return outcome;
    }

    // Fires due timers in every room and ends expired grace periods.
    void tick();
    std::optional<std::int64_t> nextDueMs() const;

    bool isJoined(SessionId session) const { return sessions_.count(session) != 0; }
    const Room* find(const RoomId& room) const {
        auto it = rooms_.find(room);
        return it == rooms_.end() ? nullptr : it->second.get();
    }
    std::size_t roomCount() const { return rooms_.size(); }
    // The ids of the rooms open now (in no particular order).
    std::vector<RoomId> roomIds() const {
        std::vector<RoomId> ids;
        ids.reserve(rooms_.size());
        for (const auto& entry : rooms_) ids.push_back(entry.first);
        return ids;
    }
    std::size_t participantCount() const;  // admitted people
    std::size_t waitingCount() const;      // people in waiting lines
    std::size_t awayCount() const;         // people within their grace period
    const RoomsConfig& config() const { return config_; }
    const AddressQuota& quota() const { return quota_; }
    // In a cluster: what each address holds on the other nodes counts against its limits here.
    void setUsageElsewhere(UsageElsewhere elsewhere) { quota_.setElsewhere(std::move(elsewhere)); }

private:
    // One per person in a room or its waiting line. A room outlives its seats: it is dropped
    // only once empty, and everyone leaving it gives up their seat first.
    struct Seat {
        Room* room;
        std::optional<SessionId> session;
        SecretDigest secretDigest;  // of the resume secret; the secret itself is never kept
        std::uint64_t lastSeq = 0;
        std::int64_t graceUntilMs = 0;  // while away
        std::string address;            // of the socket that holds (or last held) it
        bool restored = false;          // from a snapshot, not resumed here yet
    };

    void emit(const ParticipantId& to, const Event& event) override;
    void released(const ParticipantId& id) override;
    void relayed(const RelayTrace& trace) override { listener_.onRelay(trace); }
    void observe(const std::function<void(RoomObserver&)>& fact) override {
        for (RoomObserver* observer : observers_) fact(*observer);
    }
    // After a command on `room`: reports a durable change (roomChanged), then drops the room
    // if it emptied (roomClosed instead).
    void settle(Room& room);
    void leaveAs(const ParticipantId& id, LeaveReason reason);

    RoomsConfig config_;
    const Clock& clock_;
    IdSource& ids_;
    Listener& listener_;
    std::unordered_map<RoomId, std::unique_ptr<Room>> rooms_;
    std::unordered_map<ParticipantId, Seat> seats_;
    std::unordered_map<SessionId, ParticipantId> sessions_;
    std::unordered_map<RoomId, std::string> openers_;  // the address that opened each room
    std::vector<RoomObserver*> observers_;
    AddressQuota quota_;
    PasswordGuard passwords_;
    std::int64_t lastForgetMs_ = 0;  // when idle quota and throttle entries were last dropped
};

}  // namespace parley::core

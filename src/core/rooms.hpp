#pragma once
// The rooms of one server and which socket speaks for whom: commands in, events out. No I/O.
// Each event gets the recipient's next sequence number here, so numbering survives a person
// moving from the waiting line into the room.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>

#include "core/clock.hpp"
#include "core/events.hpp"
#include "core/ids.hpp"
#include "core/room.hpp"

namespace parley::core {

struct RoomsConfig {
    std::size_t maxRoomSize = 6;
};

class Rooms final : private Room::Listener {
public:
    class Listener {
    public:
        virtual ~Listener() = default;
        // An event for the participant speaking through `to`; seq is that participant's
        // next sequence number (1, 2, ... with no gaps).
        virtual void onEvent(SessionId to, std::uint64_t seq, const Event& event) = 0;
        virtual void onRelay(const RelayTrace& trace) = 0;
    };

    Rooms(RoomsConfig config, const Clock& clock, IdSource& ids, Listener& listener);

    // `settings` apply only when this join creates the room.
    std::variant<JoinAccepted, Waiting, Refusal> join(SessionId session, const RoomId& room,
                                                      const std::string& name, const MediaState& media,
                                                      const RoomSettings& settings = {});
    Outcome relay(SessionId session, const ParticipantId& to, RelayKind kind, std::string payload);
    Outcome setMedia(SessionId session, const MediaState& media);
    Outcome leave(SessionId session, LeaveReason reason);

    // Runs `action(room, myId)` for the session's room (chat, hands, host controls), then drops
    // the room if it emptied.
    template <class Action>
    Outcome act(SessionId session, Action&& action) {
        auto seat = seats_.find(session);
        if (seat == seats_.end()) return Refusal{ErrorCode::NotJoined, "Join a room first"};
        const RoomId roomId = seat->second.room;
        const ParticipantId me = seat->second.id;
        Room& room = *rooms_.at(roomId);
        Outcome outcome = action(room, me);
        dropIfEmpty(roomId);
        return outcome;
    }

    // Fires due timers in every room.
    void tick();
    std::optional<std::int64_t> nextDueMs() const;

    bool isJoined(SessionId session) const { return seats_.count(session) != 0; }
    std::size_t roomCount() const { return rooms_.size(); }
    std::size_t participantCount() const;  // admitted people
    std::size_t waitingCount() const;      // people in waiting lines
    const RoomsConfig& config() const { return config_; }

private:
    struct Seat {
        RoomId room;
        ParticipantId id;
        std::uint64_t lastSeq = 0;
    };

    void emit(SessionId to, const Event& event) override;
    void released(SessionId session) override;
    void relayed(const RelayTrace& trace) override { listener_.onRelay(trace); }
    void dropIfEmpty(const RoomId& room);

    RoomsConfig config_;
    const Clock& clock_;
    IdSource& ids_;
    Listener& listener_;
    std::unordered_map<RoomId, std::unique_ptr<Room>> rooms_;
    std::unordered_map<SessionId, Seat> seats_;
};

}  // namespace parley::core

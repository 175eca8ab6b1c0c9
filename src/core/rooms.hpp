#pragma once
// The rooms of one server and who is in them: commands in, events out. No I/O.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/clock.hpp"
#include "core/error_code.hpp"
#include "core/events.hpp"
#include "core/ids.hpp"
#include "core/participant.hpp"

namespace parley::core {

struct RoomsConfig {
    std::size_t maxRoomSize = 6;
};

struct Refusal {
    ErrorCode code;
    std::string message;
};

struct JoinAccepted {
    RoomId room;
    ParticipantInfo you;
    std::vector<ParticipantInfo> others;  // in the order they joined
};

class Rooms {
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

    std::variant<JoinAccepted, Refusal> join(SessionId session, const RoomId& room,
                                             const std::string& name, const MediaState& media);
    std::optional<Refusal> relay(SessionId session, const ParticipantId& to, RelayKind kind,
                                 std::string payload);
    std::optional<Refusal> setMedia(SessionId session, const MediaState& media);
    std::optional<Refusal> leave(SessionId session, LeaveReason reason);

    bool isJoined(SessionId session) const { return seats_.count(session) != 0; }
    std::size_t roomCount() const { return rooms_.size(); }
    std::size_t participantCount() const { return seats_.size(); }
    const RoomsConfig& config() const { return config_; }

private:
    struct Member {
        SessionId session;
        ParticipantInfo info;
        std::uint64_t lastSeq = 0;
    };
    struct Room {
        std::vector<Member> members;  // join order; rooms are small (mesh), so a vector wins
        Member* find(const ParticipantId& id);
    };
    struct Seat {
        RoomId room;
        ParticipantId id;
    };

    void emit(Member& to, const Event& event);
    Member* memberOf(SessionId session, Room** room);

    RoomsConfig config_;
    const Clock& clock_;
    IdSource& ids_;
    Listener& listener_;
    std::unordered_map<RoomId, Room> rooms_;
    std::unordered_map<SessionId, Seat> seats_;
};

}  // namespace parley::core

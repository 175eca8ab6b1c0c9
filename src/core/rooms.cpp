#include "core/rooms.hpp"

#include <vector>

namespace parley::core {

Rooms::Rooms(RoomsConfig config, const Clock& clock, IdSource& ids, Listener& listener)
    : config_(config), clock_(clock), ids_(ids), listener_(listener) {}

void Rooms::emit(SessionId to, const Event& event) {
    auto seat = seats_.find(to);
    if (seat == seats_.end()) return;
    listener_.onEvent(to, ++seat->second.lastSeq, event);
}

void Rooms::released(SessionId session) { seats_.erase(session); }

void Rooms::dropIfEmpty(const RoomId& room) {
    auto it = rooms_.find(room);
    if (it != rooms_.end() && it->second->empty()) rooms_.erase(it);
}

std::variant<JoinAccepted, Waiting, Refusal> Rooms::join(SessionId session, const RoomId& roomId,
                                                         const std::string& name, const MediaState& media,
                                                         const RoomSettings& settings) {
    if (seats_.count(session)) {
        return Refusal{ErrorCode::AlreadyJoined, "You are already in a room; leave it first"};
    }
    auto it = rooms_.find(roomId);
    if (it == rooms_.end()) {
        Room::Listener& self = *this;
        it = rooms_.emplace(roomId, std::make_unique<Room>(roomId, settings, config_.maxRoomSize,
                                                           clock_, self)).first;
    }
    ParticipantInfo who{ids_.nextParticipantId(), name, media, Role::Guest};
    // The seat exists before the room speaks, so events to the newcomer are numbered.
    seats_.emplace(session, Seat{roomId, who.id, 0});
    auto result = it->second->join(session, std::move(who));
    if (std::holds_alternative<Refusal>(result)) seats_.erase(session);
    dropIfEmpty(roomId);
    return result;
}

Outcome Rooms::relay(SessionId session, const ParticipantId& to, RelayKind kind, std::string payload) {
    return act(session, [&](Room& room, const ParticipantId& me) {
        return room.relay(me, to, kind, std::move(payload));
    });
}

Outcome Rooms::setMedia(SessionId session, const MediaState& media) {
    return act(session, [&](Room& room, const ParticipantId& me) { return room.setMedia(me, media); });
}

Outcome Rooms::leave(SessionId session, LeaveReason reason) {
    auto seat = seats_.find(session);
    if (seat == seats_.end()) return Refusal{ErrorCode::NotJoined, "You are not in a room"};
    return act(session, [&](Room& room, const ParticipantId& me) {
        room.leave(me, reason);
        return Outcome{};
    });
}

void Rooms::tick() {
    std::vector<RoomId> due;
    const std::int64_t now = clock_.nowMs();
    for (auto& [id, room] : rooms_) {
        if (auto at = room->nextDueMs(); at && *at <= now) due.push_back(id);
    }
    for (const RoomId& id : due) {
        auto it = rooms_.find(id);
        if (it == rooms_.end()) continue;
        it->second->tick();
        dropIfEmpty(id);
    }
}

std::optional<std::int64_t> Rooms::nextDueMs() const {
    std::optional<std::int64_t> next;
    for (const auto& [id, room] : rooms_) {
        if (auto at = room->nextDueMs(); at && (!next || *at < *next)) next = at;
    }
    return next;
}

std::size_t Rooms::participantCount() const {
    std::size_t n = 0;
    for (const auto& [id, room] : rooms_) n += room->memberCount();
    return n;
}

std::size_t Rooms::waitingCount() const {
    std::size_t n = 0;
    for (const auto& [id, room] : rooms_) n += room->waitingCount();
    return n;
}

}  // namespace parley::core

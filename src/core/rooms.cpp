#include "core/rooms.hpp"

#include <algorithm>

namespace parley::core {

Rooms::Member* Rooms::Room::find(const ParticipantId& id) {
    auto it = std::find_if(members.begin(), members.end(),
                           [&](const Member& m) { return m.info.id == id; });
    return it == members.end() ? nullptr : &*it;
}

Rooms::Rooms(RoomsConfig config, const Clock& clock, IdSource& ids, Listener& listener)
    : config_(config), clock_(clock), ids_(ids), listener_(listener) {}

void Rooms::emit(Member& to, const Event& event) {
    listener_.onEvent(to.session, ++to.lastSeq, event);
}

Rooms::Member* Rooms::memberOf(SessionId session, Room** room) {
    auto seat = seats_.find(session);
    if (seat == seats_.end()) return nullptr;
    auto r = rooms_.find(seat->second.room);
    if (r == rooms_.end()) return nullptr;
    *room = &r->second;
    return r->second.find(seat->second.id);
}

std::variant<JoinAccepted, Refusal> Rooms::join(SessionId session, const RoomId& roomId,
                                                const std::string& name,
                                                const MediaState& media) {
    if (seats_.count(session)) {
        return Refusal{ErrorCode::AlreadyJoined, "You are already in a room; leave it first"};
    }
    Room& room = rooms_[roomId];
    if (room.members.size() >= config_.maxRoomSize) {
        if (room.members.empty()) rooms_.erase(roomId);  // only possible with maxRoomSize 0
        return Refusal{ErrorCode::RoomFull, "This room is full (" +
                                                std::to_string(config_.maxRoomSize) + " people)"};
    }

    ParticipantId id = ids_.nextParticipantId();
    while (room.find(id)) id = ids_.nextParticipantId();

    JoinAccepted accepted{roomId, ParticipantInfo{id, name, media}, {}};
    accepted.others.reserve(room.members.size());
    for (Member& other : room.members) {
        accepted.others.push_back(other.info);
    }
    room.members.push_back(Member{session, accepted.you, 0});
    seats_.emplace(session, Seat{roomId, id});

    const Event joined = ParticipantJoined{accepted.you};
    // The newcomer is last; everyone before it hears about it.
    for (std::size_t i = 0; i + 1 < room.members.size(); ++i) emit(room.members[i], joined);
    return accepted;
}

std::optional<Refusal> Rooms::relay(SessionId session, const ParticipantId& to, RelayKind kind,
                                    std::string payload) {
    Room* room = nullptr;
    Member* sender = memberOf(session, &room);
    if (!sender) return Refusal{ErrorCode::NotJoined, "Join a room first"};
    if (to == sender->info.id) {
        return Refusal{ErrorCode::SelfTarget, "A participant cannot signal itself"};
    }

    const std::string& roomId = seats_.at(session).room;
    RelayTrace trace{roomId, sender->info.id, to, kind, payload.size(),
                     RelayOutcome::TargetMissing, clock_.nowMs()};
    Member* target = room->find(to);
    if (!target) {
        listener_.onRelay(trace);
        return Refusal{ErrorCode::TargetNotFound, "Participant " + to + " is not in this room"};
    }
    trace.outcome = RelayOutcome::Delivered;
    emit(*target, Relayed{sender->info.id, kind, std::move(payload)});
    listener_.onRelay(trace);
    return std::nullopt;
}

std::optional<Refusal> Rooms::setMedia(SessionId session, const MediaState& media) {
    Room* room = nullptr;
    Member* sender = memberOf(session, &room);
    if (!sender) return Refusal{ErrorCode::NotJoined, "Join a room first"};
    sender->info.media = media;
    const Event changed = MediaChanged{sender->info.id, media};
    for (Member& m : room->members) {
        if (&m != sender) emit(m, changed);
    }
    return std::nullopt;
}

std::optional<Refusal> Rooms::leave(SessionId session, LeaveReason reason) {
    auto seat = seats_.find(session);
    if (seat == seats_.end()) return Refusal{ErrorCode::NotJoined, "You are not in a room"};
    const RoomId roomId = seat->second.room;
    const ParticipantId id = seat->second.id;
    seats_.erase(seat);

    auto r = rooms_.find(roomId);
    if (r == rooms_.end()) return std::nullopt;
    auto& members = r->second.members;
    std::erase_if(members, [&](const Member& m) { return m.info.id == id; });
    if (members.empty()) {
        rooms_.erase(r);
        return std::nullopt;
    }
    const Event left = ParticipantLeft{id, reason};
    for (Member& m : members) emit(m, left);
    return std::nullopt;
}

}  // namespace parley::core

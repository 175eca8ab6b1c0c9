#include "core/rooms.hpp"

#include <algorithm>
#include <vector>

namespace parley::core {

Rooms::Rooms(RoomsConfig config, const Clock& clock, IdSource& ids, Listener& listener)
    : config_(config), clock_(clock), ids_(ids), listener_(listener), quota_(config.perAddress),
      lastForgetMs_(clock.nowMs()) {}

void Rooms::emit(const ParticipantId& to, const Event& event) {
    auto seat = seats_.find(to);
    if (seat == seats_.end()) return;
    listener_.onEvent(seat->second.session, to, ++seat->second.lastSeq, event);
}

void Rooms::released(const ParticipantId& id) {
    auto seat = seats_.find(id);
    if (seat == seats_.end()) return;
    if (seat->second.session) sessions_.erase(*seat->second.session);
    quota_.unseated(seat->second.address, clock_.nowMs());
    seats_.erase(seat);
    listener_.onGone(id);
}

void Rooms::settle(Room& room) {
    const bool changed = room.takeChanged();
    if (!room.empty()) {
        if (changed) observe([&](RoomObserver& o) { o.roomChanged(room.id()); });
        return;
    }
    const RoomId id = room.id();  // not a reference into the room being destroyed
    rooms_.erase(id);
    observe([&](RoomObserver& o) { o.roomClosed(id); });
    if (auto opener = openers_.find(id); opener != openers_.end()) {
        quota_.closed(opener->second, clock_.nowMs());
        openers_.erase(opener);
    }
}

std::variant<JoinAccepted, Waiting, Refusal> Rooms::join(SessionId session, const RoomId& roomId,
                                                         const std::string& name, const MediaState& media,
                                                         const RoomSettings& settings,
                                                         const Credentials& credentials,
                                                         const std::string& address) {
    if (sessions_.count(session)) {
        return Refusal{ErrorCode::AlreadyJoined, "You are already in a room; leave it first"};
    }
    const std::int64_t now = clock_.nowMs();
    if (quota_.canSeat(address) != AddressQuota::Verdict::Ok) {
        return Refusal{ErrorCode::TooManySeats,
                       "Too many places are held from your network address; leave a room first"};
    }
    auto it = rooms_.find(roomId);
    const bool opens = it == rooms_.end();
    if (opens) {
        if (rooms_.size() >= config_.maxRooms) {
            return Refusal{ErrorCode::ServerFull,
                           "This server hosts as many rooms as it can; try again later"};
        }
        std::int64_t retryAfterMs = 0;
        switch (quota_.canOpen(address, now, retryAfterMs)) {
            case AddressQuota::Verdict::TooManyRooms:
                return Refusal{ErrorCode::TooManyRooms,
                               "Too many rooms are open from your network address; close one first"};
            case AddressQuota::Verdict::TooFast:
                return Refusal{ErrorCode::TooManyRooms,
                               "Too many new rooms from your network address; wait a little",
                               retryAfterMs};
            default:
                break;
        }
        Room::Listener& self = *this;
        it = rooms_.emplace(roomId, std::make_unique<Room>(roomId, settings, config_.maxRoomSize,
                                                           clock_, self, config_.topology)).first;
        observe([&](RoomObserver& o) { o.roomOpened(roomId); });
    }
    const bool guess = it->second->checksPassword(credentials);
    if (guess) {
        if (auto wait = passwords_.retryAfterMs(roomId, address, now)) {
            return Refusal{ErrorCode::TooManyAttempts,
                           "Too many wrong passwords were tried; wait before trying again", *wait};
        }
    }
    ParticipantId id = ids_.nextParticipantId();
    while (seats_.count(id)) id = ids_.nextParticipantId();
    Room& room = *it->second;
    const ResumeSecret secret = ids_.nextResumeSecret();
    // The seat exists before the room speaks, so events to the newcomer are numbered.
    seats_.emplace(id, Seat{&room, session, digestOf(secret), 0, 0, address});
    sessions_.emplace(session, id);

    auto result = room.join(ParticipantInfo{id, name, media, Role::Guest, true}, credentials);
    if (auto* refusal = std::get_if<Refusal>(&result)) {
        sessions_.erase(session);
        seats_.erase(id);
        if (guess && refusal->code == ErrorCode::WrongPassword) passwords_.failed(roomId, address, now);
    } else {
        quota_.seated(address);
        if (opens) {
            openers_.emplace(roomId, address);
            quota_.opened(address, now);
        }
        if (guess) passwords_.succeeded(roomId, address);
        if (auto* accepted = std::get_if<JoinAccepted>(&result)) {
            accepted->resumeToken = formatResumeToken(id, secret);
        } else {
            std::get<Waiting>(result).resumeToken = formatResumeToken(id, secret);
        }
    }
    settle(room);
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
    auto s = sessions_.find(session);
    if (s == sessions_.end()) return Refusal{ErrorCode::NotJoined, "You are not in a room"};
    leaveAs(ParticipantId(s->second), reason);
    return std::nullopt;
}

void Rooms::leaveAs(const ParticipantId& id, LeaveReason reason) {
    auto seat = seats_.find(id);
    if (seat == seats_.end()) return;
    Room& room = *seat->second.room;
    room.leave(id, reason);  // releases the seat
    settle(room);
}

void Rooms::detach(SessionId session) {
    auto s = sessions_.find(session);
    if (s == sessions_.end()) return;
    const ParticipantId id = s->second;
    if (config_.resumeGraceMs <= 0) {
        leaveAs(id, LeaveReason::Disconnected);
        return;
    }
    sessions_.erase(s);
    Seat& seat = seats_.at(id);
    seat.session.reset();
    seat.graceUntilMs = clock_.nowMs() + config_.resumeGraceMs;
    seat.room->setConnected(id, false);
}

std::optional<ParticipantId> Rooms::holderOf(const std::string& resumeToken) const {
    const auto parts = parseResumeToken(resumeToken);
    if (!parts) return std::nullopt;
    const ParticipantId id(parts->participant);
    auto seat = seats_.find(id);
    if (seat == seats_.end() || !sameDigest(seat->second.secretDigest, digestOf(parts->secret))) return std::nullopt;
    return id;
}

std::variant<Resumed, Refusal> Rooms::resume(SessionId session, const std::string& resumeToken,
                                             bool snapshot, const std::string& address, std::uint64_t lastSeen) {
    if (sessions_.count(session)) {
        return Refusal{ErrorCode::AlreadyJoined, "This connection already speaks for someone"};
    }
    auto holder = holderOf(resumeToken);
    if (!holder) return Refusal{ErrorCode::ResumeFailed, "That session is over; join again"};
    Seat& seat = seats_.at(*holder);
    if (seat.restored) {
        seat.restored = false;
        snapshot = true;
        seat.lastSeq = std::max(seat.lastSeq, lastSeen);
    }
    std::optional<SessionId> replaced = seat.session;
    if (replaced) sessions_.erase(*replaced);
    seat.session = session;
    seat.graceUntilMs = 0;
    if (seat.address != address) {
        quota_.unseated(seat.address, clock_.nowMs());
        seat.address = address;
        quota_.seated(address);
    }
    sessions_.emplace(session, *holder);
    Room& room = *seat.room;
    room.setConnected(*holder, true, snapshot);
    Resumed resumed{*holder, room.id(), seat.lastSeq, replaced, std::nullopt};
    if (snapshot) {
        resumed.snapshot = room.snapshotOf(*holder);
        if (resumed.snapshot) {
            std::visit([&](auto& s) { s.resumeToken = resumeToken; }, *resumed.snapshot);
        }
    }
    return resumed;
}

std::optional<RoomSnapshot> Rooms::snapshot(const RoomId& roomId) const {
    auto it = rooms_.find(roomId);
    if (it == rooms_.end()) return std::nullopt;
    RoomSnapshot s = it->second->snapshot();
    for (auto* list : {&s.members, &s.waiting}) {
        for (SeatSnapshot& seat : *list) {
            const Seat& held = seats_.at(seat.id);
            seat.resumeDigest = held.secretDigest;
            seat.lastSeq = held.lastSeq;
        }
    }
    return s;
}

std::optional<SnapshotError> Rooms::restore(const RoomSnapshot& snapshot) {
    if (auto error = validate(snapshot)) return error;
    if (rooms_.count(snapshot.id)) {
        return SnapshotError{SnapshotErrorCode::RoomExists, "id", "Room " + snapshot.id + " is already here"};
    }
    for (const auto* list : {&snapshot.members, &snapshot.waiting}) {
        for (const SeatSnapshot& seat : *list) {
            if (seats_.count(seat.id)) {
                return SnapshotError{SnapshotErrorCode::SeatTaken, "",
                                     "Participant " + seat.id + " is already seated here"};
            }
        }
    }
    Room::Listener& self = *this;
    Room& room = *rooms_.emplace(snapshot.id, std::make_unique<Room>(snapshot, clock_, self, config_.topology))
                      .first->second;
    const std::int64_t graceUntil = clock_.nowMs() + config_.resumeGraceMs;
    for (const auto* list : {&snapshot.members, &snapshot.waiting}) {
        for (const SeatSnapshot& seat : *list) {
            // Held by nobody yet: counted against no address until its person resumes from one.
            seats_.emplace(seat.id, Seat{&room, std::nullopt, seat.resumeDigest, seat.lastSeq, graceUntil, {}, true});
            quota_.seated({});
        }
    }
    observe([&](RoomObserver& o) { o.roomOpened(snapshot.id); });
    for (const SeatSnapshot& seat : snapshot.members) {
        const ParticipantInfo info{seat.id, seat.name, seat.media, seat.role, false};
        observe([&](RoomObserver& o) { o.admitted(snapshot.id, info); });
    }
    if (snapshot.topology != config_.topology.forMembers(1)) {
        observe([&](RoomObserver& o) { o.topologyChanged(snapshot.id, snapshot.topology); });
    }
    return std::nullopt;
}

void Rooms::tick() {
    const std::int64_t now = clock_.nowMs();
    if (now - lastForgetMs_ >= 60'000) {
        lastForgetMs_ = now;
        quota_.forgetIdle(now);
        passwords_.forgetOld(now);
    }
    std::vector<ParticipantId> expired;
    for (auto& [id, seat] : seats_) {
        if (!seat.session && seat.graceUntilMs <= now) expired.push_back(id);
    }
    for (const ParticipantId& id : expired) leaveAs(id, LeaveReason::Disconnected);

    std::vector<RoomId> due;
    for (auto& [id, room] : rooms_) {
        if (auto at = room->nextDueMs(); at && *at <= now) due.push_back(id);
    }
    for (const RoomId& id : due) {
        auto it = rooms_.find(id);
        if (it == rooms_.end()) continue;
        it->second->tick();
        settle(*it->second);
    }
}

std::optional<std::int64_t> Rooms::nextDueMs() const {
    std::optional<std::int64_t> next;
    auto consider = [&](std::int64_t at) {
        if (!next || at < *next) next = at;
    };
    for (const auto& [id, room] : rooms_) {
        if (auto at = room->nextDueMs()) consider(*at);
    }
    for (const auto& [id, seat] : seats_) {
        if (!seat.session) consider(seat.graceUntilMs);
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

std::size_t Rooms::awayCount() const {
    std::size_t n = 0;
    for (const auto& [id, seat] : seats_) n += seat.session ? 0 : 1;
    return n;
}

}  // namespace parley::core

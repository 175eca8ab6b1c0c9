#include "core/room.hpp"

#include <algorithm>

namespace parley::core {

namespace {

Refusal notAdmitted() { return {ErrorCode::NotAdmitted, "You are waiting to be let in"}; }
Refusal notInRoom(const ParticipantId& id) {
    return {ErrorCode::TargetNotFound, "Participant " + id + " is not in this room"};
}

}  // namespace

Room::Room(RoomId id, RoomSettings settings, std::size_t maxSeats, const Clock& clock, Listener& listener,
           TopologyPolicy topology)
    : id_(std::move(id)), settings_(settings), clock_(clock), listener_(listener), policy_(topology),
      topology_(topology.forMembers(1)) {
    settings_.seats = settings_.seats == 0 ? maxSeats : std::clamp<std::size_t>(settings_.seats, 2, maxSeats);
    if (!settings_.password.empty()) password_ = PasswordHash::of(settings_.password);
    settings_.password.clear();
    if (settings_.sessionLengthMs > 0) session_.start(clock_.nowMs(), settings_.sessionLengthMs);
}

Room::Room(const RoomSnapshot& snapshot, const Clock& clock, Listener& listener, TopologyPolicy topology)
    : id_(snapshot.id),
      settings_{snapshot.admission, snapshot.seats, snapshot.sessionLengthMs, snapshot.slotLengthMs, {}},
      clock_(clock), listener_(listener), host_(snapshot.host), locked_(snapshot.locked),
      chat_(snapshot.chat, snapshot.lastChatId), policy_(topology), topology_(snapshot.topology),
      password_(snapshot.password) {
    auto info = [](const SeatSnapshot& seat) {
        return ParticipantInfo{seat.id, seat.name, seat.media, seat.role, false};
    };
    for (const SeatSnapshot& seat : snapshot.members) members_.push_back(Member{info(seat), seat.sinceMs});
    for (const SeatSnapshot& seat : snapshot.waiting) queue_.push(WaitingEntry{info(seat), seat.sinceMs});
    const std::int64_t now = clock_.nowMs();
    // A deadline that passed while no node held the room fires at the next tick, as it would have.
    if (snapshot.sessionEndsAtMs) session_.resumeAt(now, *snapshot.sessionEndsAtMs);
    if (snapshot.slotEndsAtMs) slot_.resumeAt(now, *snapshot.slotEndsAtMs);
    for (const ParticipantId& id : snapshot.hands) hands_.raise(id);
    for (std::int64_t stay : snapshot.recentStaysMs) estimator_.recordStay(stay);
}

RoomSnapshot Room::snapshot() const {
    RoomSnapshot s;
    s.id = id_;
    s.capturedAtMs = clock_.nowMs();
    s.admission = settings_.admission;
    s.seats = settings_.seats;
    s.sessionLengthMs = settings_.sessionLengthMs;
    s.slotLengthMs = settings_.slotLengthMs;
    s.password = password_;
    s.locked = locked_;
    s.topology = topology_;
    s.host = host_;
    auto seat = [](const ParticipantInfo& info, std::int64_t sinceMs) {
        return SeatSnapshot{info.id, info.name, info.media, info.role, sinceMs, {}, 0};
    };
    for (const Member& m : members_) s.members.push_back(seat(m.info, m.joinedAtMs));
    for (const WaitingEntry& e : queue_.entries()) s.waiting.push_back(seat(e.info, e.sinceMs));
    s.sessionEndsAtMs = session_.endsAt();
    s.slotEndsAtMs = slot_.endsAt();
    s.chat.assign(chat_.messages().begin(), chat_.messages().end());
    s.lastChatId = chat_.lastId();
    s.hands = hands_.order();
    s.recentStaysMs.assign(estimator_.stays().begin(), estimator_.stays().end());
    return s;
}

// --- views -----------------------------------------------------------------------------------

Room::Member* Room::find(const ParticipantId& id) {
    auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.info.id == id; });
    return it == members_.end() ? nullptr : &*it;
}

bool Room::isAdmitted(const ParticipantId& id) const {
    return std::any_of(members_.begin(), members_.end(), [&](const Member& m) { return m.info.id == id; });
}

std::string Room::nameOf(const ParticipantId& id) const {
    auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.info.id == id; });
    return it == members_.end() ? std::string() : it->info.name;
}

std::size_t Room::seatLimit() const {
    return settings_.admission == Admission::OneAtATime ? 2 : settings_.seats;
}

RoomState Room::state() const {
    return RoomState{settings_.admission, seatLimit(), locked_, session_.endsAt(), slot_.endsAt(),
                     settings_.slotLengthMs, topology_};
}

std::vector<QueueEntry> Room::queueView() const {
    std::vector<QueueEntry> view;
    view.reserve(queue_.size());
    for (const auto& e : queue_.entries()) view.push_back({e.info.id, e.info.name, e.sinceMs});
    return view;
}

JoinAccepted Room::snapshotFor(const Member& m) const {
    JoinAccepted j{id_, {}, m.info, {}, host_, state(), {}, hands_.order(), {}};
    for (const Member& other : members_) {
        if (&other != &m) j.others.push_back(other.info);
    }
    j.chat.assign(chat_.messages().begin(), chat_.messages().end());
    if (m.info.id == host_) j.queue = queueView();
    return j;
}

Waiting Room::waitingFor(const WaitingEntry& e) const {
    std::size_t position = queue_.position(e.info.id);
    std::optional<std::int64_t> estimate;
    const std::int64_t now = clock_.nowMs();
    if (settings_.admission == Admission::OneAtATime) {
        std::optional<std::int64_t> slot;
        if (settings_.slotLengthMs > 0) slot = settings_.slotLengthMs;
        if (auto ahead = estimator_.estimate(position, 1, slot)) {
            estimate = *ahead;
            // The guest inside now leaves when their slot ends, not a whole stay from now.
            if (auto ends = slot_.endsAt(); ends && slot) estimate = *ahead - *slot + std::max<std::int64_t>(0, *ends - now);
        }
    } else if (settings_.admission == Admission::Open) {
        estimate = estimator_.estimate(position, std::max<std::size_t>(1, seatLimit() - 1));
    }
    return Waiting{id_, {}, e.info.id, position, queue_.size(), estimate, settings_.admission};
}

// --- sending ---------------------------------------------------------------------------------

void Room::broadcast(const Event& event, const Member* except) {
    for (const Member& m : members_) {
        if (&m != except) listener_.emit(m.info.id, event);
    }
}

void Room::broadcastState() { broadcast(RoomStateChanged{state()}); }
void Room::broadcastHands() { broadcast(HandsChanged{hands_.order()}); }

void Room::queueChanged() {
    for (const auto& e : queue_.entries()) listener_.emit(e.info.id, waitingFor(e));
    if (Member* host = find(host_)) listener_.emit(host->info.id, QueueChanged{queueView()});
}

// --- entering and leaving --------------------------------------------------------------------

std::variant<JoinAccepted, Waiting, Refusal> Room::join(ParticipantInfo who, const Credentials& credentials) {
    const bool first = members_.empty() && queue_.empty();
    if (!first && password_ && !credentials.token) {
        if (credentials.password.empty()) {
            return Refusal{ErrorCode::PasswordRequired, "This room needs a password"};
        }
        if (!password_->matches(credentials.password)) {
            return Refusal{ErrorCode::WrongPassword, "That password is not right"};
        }
    }
    if (credentials.hostToken) {
        // A host named by a token walks in past the lock and the line, and takes the role; but
        // only into a free seat: the room's size holds for hosts too (one token may be used
        // again and again).
        if (!first && !hasFreeSeat()) {
            return Refusal{ErrorCode::NoFreeSeat, "Every seat is taken; someone has to leave first"};
        }
        Member& m = admitNow(std::move(who));
        note(TraceKind::Join, m.info.id, {}, "host-token");
        // The newcomer learns who hosts from its own snapshot, which comes before any event.
        if (host_ != m.info.id) setHost(m.info.id, &m);
        return snapshotFor(m);  // the new host's snapshot carries the line
    }
    if (locked_) return Refusal{ErrorCode::RoomLocked, "The host has locked this room"};
    const bool entersNow = first || (settings_.admission != Admission::Knock && queue_.empty() &&
                                     hasFreeSeat());
    if (entersNow) {
        Member& m = admitNow(std::move(who));
        note(TraceKind::Join, m.info.id);
        return snapshotFor(m);
    }
    if (queue_.size() >= kMaxQueue) {
        return Refusal{ErrorCode::QueueFull, "Too many people are waiting for this room"};
    }
    who.role = Role::Guest;
    const ParticipantId newcomer = who.id;
    note(TraceKind::Wait, newcomer);
    queue_.push(WaitingEntry{who, clock_.nowMs()});
    changed_ = true;
    Waiting w = waitingFor(queue_.entries().back());
    // The others in line keep their places; only the total changed. The host sees the newcomer.
    for (const auto& e : queue_.entries()) {
        if (e.info.id != newcomer) listener_.emit(e.info.id, waitingFor(e));
    }
    if (Member* host = find(host_)) listener_.emit(host->info.id, QueueChanged{queueView()});
    return w;
}

Room::Member& Room::admitNow(ParticipantInfo who) {
    who.role = members_.empty() ? Role::Host : Role::Guest;
    if (members_.empty()) host_ = who.id;
    members_.push_back(Member{std::move(who), clock_.nowMs()});
    changed_ = true;
    Member& m = members_.back();
    listener_.observe([&](RoomObserver& o) { o.admitted(id_, m.info); });
    // The others learn the room's new topology before the newcomer, so they connect to them the
    // new way (through the server) rather than start a peer-to-peer link only to drop it.
    reconsiderTopology(&m);
    broadcast(ParticipantJoined{m.info}, &m);
    if (settings_.admission == Admission::OneAtATime && m.info.role == Role::Guest &&
        settings_.slotLengthMs > 0) {
        slot_.start(clock_.nowMs(), settings_.slotLengthMs);
        // The newcomer learns the slot from its own `joined`, which must be its first frame.
        broadcast(RoomStateChanged{state()}, &m);
    }
    return m;
}

void Room::reconsiderTopology(const Member* except) {
    const Topology wanted = policy_.forMembers(members_.size());
    if (wanted == topology_) return;
    topology_ = wanted;
    changed_ = true;
    note(TraceKind::Topology, {}, {}, toString(wanted));
    listener_.observe([&](RoomObserver& o) { o.topologyChanged(id_, wanted); });
    broadcast(RoomStateChanged{state()}, except);
}

void Room::admitFromQueue(WaitingEntry entry) {
    Member& m = admitNow(std::move(entry.info));
    note(TraceKind::Admit, m.info.id);
    listener_.emit(m.info.id, Admitted{snapshotFor(m)});
}

void Room::fillSeats() {
    if (members_.empty() && !queue_.empty()) {
        admitFromQueue(*queue_.popFront());  // nobody is left to decide: the first in line hosts
    }
    if (settings_.admission == Admission::Knock) return;
    while (!queue_.empty() && hasFreeSeat()) admitFromQueue(*queue_.popFront());
}

void Room::leave(const ParticipantId& id, LeaveReason reason) {
    if (auto entry = queue_.remove(id)) {
        changed_ = true;
        note(TraceKind::Leave, id, {}, toString(reason));
        listener_.released(entry->info.id);
        queueChanged();
        return;
    }
    removeMember(id, reason);
}

void Room::removeMember(const ParticipantId& id, LeaveReason reason) {
    auto it = std::find_if(members_.begin(), members_.end(), [&](const Member& m) { return m.info.id == id; });
    if (it == members_.end()) return;
    const bool wasHost = id == host_;
    const bool wasSlotGuest = settings_.admission == Admission::OneAtATime && !wasHost;
    if (!wasHost) estimator_.recordStay(clock_.nowMs() - it->joinedAtMs);
    members_.erase(it);
    changed_ = true;
    note(TraceKind::Leave, id, {}, toString(reason));
    std::erase_if(lastUfrag_, [&](const UfragUse& u) { return u.from == id || u.to == id; });
    listener_.observe([&](RoomObserver& o) { o.left(id_, id, reason); });
    listener_.released(id);

    if (wasSlotGuest) slot_.stop();
    broadcast(ParticipantLeft{id, reason});
    if (hands_.lower(id)) broadcastHands();
    if (wasHost && !members_.empty()) setHost(members_.front().info.id);  // longest present
    const std::size_t waitingBefore = queue_.size();
    fillSeats();
    if (wasSlotGuest && !slot_.running()) broadcastState();
    reconsiderTopology();
    if (queue_.size() != waitingBefore || wasHost) queueChanged();
    if (members_.empty() && queue_.empty()) host_.clear();
}

void Room::setHost(const ParticipantId& id, const Member* except) {
    for (Member& m : members_) {
        const Role role = m.info.id == id ? Role::Host : Role::Guest;
        if (m.info.role == role) continue;
        m.info.role = role;
        listener_.observe([&](RoomObserver& o) { o.roleChanged(id_, m.info.id, role); });
    }
    host_ = id;
    changed_ = true;
    broadcast(HostChanged{id}, except);
}

void Room::endAll(EndReason reason) {
    changed_ = true;
    session_.stop();
    slot_.stop();
    const Event ended = SessionEnded{reason};
    auto members = std::move(members_);
    members_.clear();
    auto waiting = std::move(queue_.entries());
    queue_.entries().clear();
    for (const Member& m : members) listener_.emit(m.info.id, ended);
    for (const auto& e : waiting) listener_.emit(e.info.id, ended);
    listener_.observe([&](RoomObserver& o) { o.ended(id_, reason); });
    for (const Member& m : members) listener_.released(m.info.id);
    for (const auto& e : waiting) listener_.released(e.info.id);
    host_.clear();
}

void Room::setConnected(const ParticipantId& id, bool connected, bool rebuild) {
    Member* m = find(id);
    if (!m || (m->info.connected == connected && !rebuild)) return;
    m->info.connected = connected;
    note(connected ? TraceKind::Resume : TraceKind::Drop, id);
    listener_.observe([&](RoomObserver& o) { o.connectionChanged(id_, id, connected, rebuild); });
    if (rebuild) {
        // The fresh peer connections start a new ICE history: their first offer is no restart.
        std::erase_if(lastUfrag_, [&](const UfragUse& u) { return u.from == id || u.to == id; });
    }
    broadcast(ConnectionChanged{id, connected, rebuild}, m);
}

std::optional<std::variant<JoinAccepted, Waiting>> Room::snapshotOf(const ParticipantId& id) const {
    for (const Member& m : members_) {
        if (m.info.id == id) return snapshotFor(m);
    }
    for (const WaitingEntry& e : queue_.entries()) {
        if (e.info.id == id) return waitingFor(e);
    }
    return std::nullopt;
}

void Room::note(TraceKind kind, const ParticipantId& from, const ParticipantId& to,
                std::string_view outcome, std::size_t bytes) {
    trace_.add(TraceStep{clock_.nowMs(), kind, from, to, outcome, bytes});
}

// --- in the room -----------------------------------------------------------------------------

Outcome Room::relay(const ParticipantId& from, const ParticipantId& to, RelayKind kind, std::string payload) {
    if (!isAdmitted(from)) return notAdmitted();
    if (to == from) return Refusal{ErrorCode::SelfTarget, "A participant cannot signal itself"};
    RelayTrace trace{id_, from, to, kind, payload.size(), RelayOutcome::TargetMissing, clock_.nowMs()};
    const TraceKind step = kind == RelayKind::Offer ? TraceKind::Offer
                           : kind == RelayKind::Answer ? TraceKind::Answer
                           : kind == RelayKind::Candidate ? TraceKind::Candidate
                                                          : TraceKind::NegotiationFailed;
    Member* target = find(to);
    if (!target) {
        note(step, from, to, toString(RelayOutcome::TargetMissing), payload.size());
        listener_.relayed(trace);
        return notInRoom(to);
    }
    trace.outcome = RelayOutcome::Delivered;
    if (kind == RelayKind::Offer || kind == RelayKind::Answer) {
        // The fragment `from` uses towards `to` comes from its answers as well as its offers: a
        // restart by the side that has only answered so far is its first offer, and the answer
        // to someone else's restart already carries the new fragment (no restart of its own).
        auto use = std::find_if(lastUfrag_.begin(), lastUfrag_.end(),
                                [&](const UfragUse& u) { return u.from == from && u.to == to; });
        if (use == lastUfrag_.end()) use = lastUfrag_.insert(use, UfragUse{from, to, {}});
        std::string& last = use->ufrag;
        std::string_view ufrag = iceUfragOf(payload);
        if (kind == RelayKind::Offer && !last.empty() && !ufrag.empty() && ufrag != last) {
            note(TraceKind::IceRestart, from, to);
        }
        if (!ufrag.empty()) last.assign(ufrag);
    }
    note(step, from, to, toString(RelayOutcome::Delivered), payload.size());
    listener_.emit(target->info.id, Relayed{from, kind, std::move(payload)});
    listener_.relayed(trace);
    return std::nullopt;
}

Outcome Room::setMedia(const ParticipantId& id, const MediaState& media) {
    if (WaitingEntry* e = queue_.get(id)) {
        if (e->info.media != media) changed_ = true;
        e->info.media = media;  // shown to the room once admitted
        return std::nullopt;
    }
    Member* m = find(id);
    if (!m) return notAdmitted();
    if (m->info.media != media) changed_ = true;
    m->info.media = media;
    listener_.observe([&](RoomObserver& o) { o.mediaChanged(id_, id, media); });
    broadcast(MediaChanged{id, media}, m);
    return std::nullopt;
}

Outcome Room::chat(const ParticipantId& from, std::string text) {
    Member* m = find(from);
    if (!m) return notAdmitted();
    const ChatMessage& msg = chat_.add(from, m->info.name, std::move(text), clock_.nowMs());
    changed_ = true;
    broadcast(ChatPosted{msg});
    return std::nullopt;
}

Outcome Room::hand(const ParticipantId& id, bool raised) {
    if (!isAdmitted(id)) return notAdmitted();
    if (raised ? hands_.raise(id) : hands_.lower(id)) {
        changed_ = true;
        broadcastHands();
    }
    return std::nullopt;
}

// --- host controls ---------------------------------------------------------------------------

Outcome Room::requireHost(const ParticipantId& by) const {
    if (!isAdmitted(by)) return notAdmitted();
    if (by != host_) return Refusal{ErrorCode::NotHost, "Only the host can do that"};
    return std::nullopt;
}

Outcome Room::admit(const ParticipantId& by, const ParticipantId& who) {
    if (auto r = requireHost(by)) return r;
    if (!queue_.get(who)) return Refusal{ErrorCode::TargetNotFound, "Nobody with id " + who + " is waiting"};
    if (!hasFreeSeat()) return Refusal{ErrorCode::NoFreeSeat, "Every seat is taken; someone has to leave first"};
    admitFromQueue(*queue_.remove(who));
    queueChanged();
    return std::nullopt;
}

Outcome Room::decline(const ParticipantId& by, const ParticipantId& who) {
    if (auto r = requireHost(by)) return r;
    auto entry = queue_.remove(who);
    if (!entry) return Refusal{ErrorCode::TargetNotFound, "Nobody with id " + who + " is waiting"};
    changed_ = true;
    listener_.emit(entry->info.id, Declined{"declined"});
    listener_.released(entry->info.id);
    queueChanged();
    return std::nullopt;
}

Outcome Room::moveToFront(const ParticipantId& by, const ParticipantId& who) {
    if (auto r = requireHost(by)) return r;
    if (!queue_.moveToFront(who)) return Refusal{ErrorCode::TargetNotFound, "Nobody with id " + who + " is waiting"};
    changed_ = true;
    queueChanged();
    return std::nullopt;
}

Outcome Room::kick(const ParticipantId& by, const ParticipantId& who, std::string reason) {
    if (auto r = requireHost(by)) return r;
    if (who == by) return Refusal{ErrorCode::SelfTarget, "Use leave to leave the room"};
    Member* m = find(who);
    if (!m) return notInRoom(who);
    listener_.emit(who, Kicked{by, std::move(reason)});
    removeMember(who, LeaveReason::Kicked);
    return std::nullopt;
}

Outcome Room::mute(const ParticipantId& by, const ParticipantId& who) {
    if (auto r = requireHost(by)) return r;
    Member* m = find(who);
    if (!m) return notInRoom(who);
    listener_.emit(who, MuteRequest{by, false});
    if (m->info.media.mic) {
        m->info.media.mic = false;
        changed_ = true;
        listener_.observe([&](RoomObserver& o) { o.mediaChanged(id_, who, m->info.media); });
        broadcast(MediaChanged{who, m->info.media}, m);
    }
    return std::nullopt;
}

Outcome Room::requestUnmute(const ParticipantId& by, const ParticipantId& who) {
    if (auto r = requireHost(by)) return r;
    Member* m = find(who);
    if (!m) return notInRoom(who);
    listener_.emit(who, MuteRequest{by, true});
    return std::nullopt;
}

Outcome Room::lock(const ParticipantId& by, bool locked) {
    if (auto r = requireHost(by)) return r;
    if (locked_ == locked) return std::nullopt;
    locked_ = locked;
    changed_ = true;
    if (locked_) {
        // A locked room's queue is closed: the people in it are told, not left waiting.
        auto waiting = std::move(queue_.entries());
        queue_.entries().clear();
        for (const auto& e : waiting) {
            listener_.emit(e.info.id, Declined{"locked"});
            listener_.released(e.info.id);
        }
        if (!waiting.empty()) queueChanged();
    }
    broadcastState();
    return std::nullopt;
}

Outcome Room::endSession(const ParticipantId& by) {
    if (auto r = requireHost(by)) return r;
    endAll(EndReason::HostEnded);
    return std::nullopt;
}

Outcome Room::transferHost(const ParticipantId& by, const ParticipantId& to) {
    if (auto r = requireHost(by)) return r;
    if (to == by) return std::nullopt;
    if (!find(to)) return notInRoom(to);
    setHost(to);
    queueChanged();
    return std::nullopt;
}

Outcome Room::setTimer(const ParticipantId& by, std::int64_t lengthMs) {
    if (auto r = requireHost(by)) return r;
    if (lengthMs > 0 || session_.running()) changed_ = true;
    if (lengthMs > 0) {
        session_.start(clock_.nowMs(), lengthMs);
    } else {
        session_.stop();
    }
    broadcastState();
    return std::nullopt;
}

Outcome Room::extendTimer(const ParticipantId& by, std::int64_t byMs) {
    if (auto r = requireHost(by)) return r;
    if (!session_.running()) return Refusal{ErrorCode::InvalidField, "There is no session timer to extend"};
    session_.extend(clock_.nowMs(), byMs);
    changed_ = true;
    broadcastState();
    return std::nullopt;
}

// --- time ------------------------------------------------------------------------------------

std::optional<std::int64_t> Room::nextDueMs() const {
    auto a = session_.nextDueMs();
    auto b = slot_.nextDueMs();
    if (a && b) return std::min(*a, *b);
    return a ? a : b;
}

void Room::tick() {
    const std::int64_t now = clock_.nowMs();
    auto slot = slot_.poll(now);
    for (auto mark : slot.warnings) {
        if (!slot.ended) broadcast(TimerWarning{TimerKind::Slot, mark});
    }
    if (slot.ended) {
        // The guest's time is up: they are told, and the next person in line comes in.
        auto guest = std::find_if(members_.begin(), members_.end(),
                                  [&](const Member& m) { return m.info.id != host_; });
        if (guest != members_.end()) {
            const ParticipantId id = guest->info.id;
            listener_.emit(id, SessionEnded{EndReason::SlotEnded});
            removeMember(id, LeaveReason::SlotEnded);
        }
    }
    auto session = session_.poll(now);
    for (auto mark : session.warnings) {
        if (!session.ended) broadcast(TimerWarning{TimerKind::Session, mark});
    }
    if (session.ended) endAll(EndReason::TimeUp);
}

}  // namespace parley::core

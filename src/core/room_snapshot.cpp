#include "core/room_snapshot.hpp"

#include <algorithm>
#include <set>

namespace parley::core {

std::string_view toString(SnapshotErrorCode code) {
    switch (code) {
        case SnapshotErrorCode::BadJson: return "bad-json";
        case SnapshotErrorCode::UnsupportedVersion: return "unsupported-version";
        case SnapshotErrorCode::MissingField: return "missing-field";
        case SnapshotErrorCode::InvalidField: return "invalid-field";
        case SnapshotErrorCode::Inconsistent: return "inconsistent";
        case SnapshotErrorCode::RoomExists: return "room-exists";
        case SnapshotErrorCode::SeatTaken: return "seat-taken";
    }
    return "invalid-field";
}

namespace {

SnapshotError inconsistent(std::string field, std::string message) {
    return {SnapshotErrorCode::Inconsistent, std::move(field), std::move(message)};
}

std::string entryAt(std::string_view list, std::size_t i) {
    return std::string(list) + "[" + std::to_string(i) + "]";
}

}  // namespace

std::optional<SnapshotError> validate(const RoomSnapshot& s) {
    if (s.id.empty()) return inconsistent("id", "A room has a name");
    if (s.seats == 0 || s.seats > kSnapshotMaxSeats) return inconsistent("seats", "Seats out of range");
    auto time = [](std::int64_t ms) { return ms >= 0 && ms <= kSnapshotMaxTimeMs; };
    auto optionalTime = [&](const std::optional<std::int64_t>& ms) { return !ms || time(*ms); };
    if (!time(s.capturedAtMs) || !time(s.sessionLengthMs) || !time(s.slotLengthMs) ||
        !optionalTime(s.sessionEndsAtMs) || !optionalTime(s.slotEndsAtMs)) {
        return inconsistent("", "Times and lengths are between 0 and 2^53 - 1 ms");
    }
    for (const auto* list : {&s.members, &s.waiting}) {
        for (const SeatSnapshot& seat : *list) {
            if (!time(seat.sinceMs)) return inconsistent("", "Times are between 0 and 2^53 - 1 ms");
        }
    }
    for (const ChatMessage& m : s.chat) {
        if (!time(m.atMs)) return inconsistent("", "Times are between 0 and 2^53 - 1 ms");
    }
    // An empty room is dropped, not kept; and with nobody inside, the first in line is let in
    // (and hosts), so a line never waits before an empty room.
    if (s.members.empty()) return inconsistent("members", "A room has somebody in it");
    const std::size_t seatLimit = s.admission == Admission::OneAtATime ? 2 : s.seats;
    if (s.members.size() > seatLimit) return inconsistent("members", "More people inside than seats");
    if (s.waiting.size() > kSnapshotMaxWaiting) return inconsistent("waiting", "The line is too long");
    // A locked room closes its line and lets nobody join it.
    if (s.locked && !s.waiting.empty()) return inconsistent("waiting", "A locked room has no line");
    if (s.slotEndsAtMs && s.admission != Admission::OneAtATime) {
        return inconsistent("slotEndsAtMs", "Only a one-at-a-time room has slots");
    }

    std::set<ParticipantId> ids;
    std::size_t hosts = 0;
    for (std::size_t i = 0; i < s.members.size(); ++i) {
        const SeatSnapshot& m = s.members[i];
        if (m.id.empty() || !ids.insert(m.id).second) return inconsistent(entryAt("members", i) + ".id", "Ids are unique");
        if (m.role == Role::Host) {
            ++hosts;
            if (m.id != s.host) return inconsistent(entryAt("members", i) + ".role", "Only the host has the host role");
        }
    }
    if (hosts != 1) return inconsistent("host", "The room has one host, and the host is inside");
    for (std::size_t i = 0; i < s.waiting.size(); ++i) {
        const SeatSnapshot& w = s.waiting[i];
        if (w.id.empty() || !ids.insert(w.id).second) return inconsistent(entryAt("waiting", i) + ".id", "Ids are unique");
        if (w.role != Role::Guest) return inconsistent(entryAt("waiting", i) + ".role", "People in line are guests");
    }

    std::set<ParticipantId> raised;
    for (std::size_t i = 0; i < s.hands.size(); ++i) {
        const ParticipantId& id = s.hands[i];
        const bool inside = std::any_of(s.members.begin(), s.members.end(),
                                        [&](const SeatSnapshot& m) { return m.id == id; });
        if (!inside || !raised.insert(id).second) {
            return inconsistent(entryAt("hands", i), "Hands are raised once each, by people inside");
        }
    }

    if (s.chat.size() > kSnapshotMaxChat) return inconsistent("chat", "More chat than a room keeps");
    std::uint64_t previous = 0;
    for (std::size_t i = 0; i < s.chat.size(); ++i) {
        if (s.chat[i].id <= previous) return inconsistent(entryAt("chat", i) + ".id", "Chat ids grow");
        previous = s.chat[i].id;
    }
    if (previous > s.lastChatId) return inconsistent("lastChatId", "The last chat id is the newest");

    if (s.recentStaysMs.size() > kSnapshotMaxStays) return inconsistent("recentStaysMs", "Too many stays");
    for (std::size_t i = 0; i < s.recentStaysMs.size(); ++i) {
        if (!time(s.recentStaysMs[i])) return inconsistent(entryAt("recentStaysMs", i), "A stay is 0 to 2^53 - 1 ms");
    }
    return std::nullopt;
}

}  // namespace parley::core

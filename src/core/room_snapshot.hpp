#pragma once
// A room's durable state: what another node needs to carry the room on after the node that held
// it died (issue 19), captured by Rooms::snapshot and rebuilt by Rooms::restore.
//
// Durable, because a returning person must find it as they left it: every seat (id, name, role,
// microphone/camera/screen state, when they came), the waiting line in its order, the host, the
// lock, the settings, the session and slot deadlines, the chat history, the raised hands in
// order, recent stays (the line's wait estimate), each seat's event count (so numbering goes on
// forward), and, as digests only, each seat's resume secret and the room's password.
//
// Not durable, because it cannot outlive the node or is rebuilt by the people themselves:
// sockets and who is connected (after a restore everyone is away until they resume), peer
// connections, ICE fragments and forwarded media (rebuilt: a restored seat resumes with a
// snapshot, which tells the others to rebuild their connections to it), unacknowledged events
// kept for replay (the snapshot resume replaces the replay), the signaling trace, and the
// per-address quotas and password-guessing throttles (per node).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chat_history.hpp"
#include "core/participant.hpp"
#include "core/room_settings.hpp"
#include "core/secret_digest.hpp"
#include "core/topology.hpp"
#include "core/wait_estimator.hpp"
#include "core/waiting_queue.hpp"

namespace parley::core {

struct SeatSnapshot {
    ParticipantId id;
    std::string name;
    MediaState media;
    Role role = Role::Guest;         // waiting people are guests
    std::int64_t sinceMs = 0;        // in the room since, or in line since (wall clock)
    SecretDigest resumeDigest;       // SHA-256 of the resume secret; never the secret
    std::uint64_t lastSeq = 0;       // the last event numbered for them

    bool operator==(const SeatSnapshot&) const = default;
};

struct RoomSnapshot {
    static constexpr std::int64_t kVersion = 1;

    RoomId id;
    std::int64_t capturedAtMs = 0;  // wall clock; nodes share wall time, not a steady clock
    Admission admission = Admission::Open;
    std::size_t seats = 0;          // as the room resolved them (never 0 here)
    std::int64_t sessionLengthMs = 0;
    std::int64_t slotLengthMs = 0;
    std::optional<PasswordHash> password;
    bool locked = false;
    Topology topology = Topology::Mesh;
    ParticipantId host;                     // empty only when nobody is admitted
    std::vector<SeatSnapshot> members;      // in the order they came in
    std::vector<SeatSnapshot> waiting;      // in line order
    std::optional<std::int64_t> sessionEndsAtMs;  // wall clock
    std::optional<std::int64_t> slotEndsAtMs;     // wall clock
    std::vector<ChatMessage> chat;          // oldest first
    std::uint64_t lastChatId = 0;           // the next message is lastChatId + 1
    std::vector<ParticipantId> hands;       // in the order they went up
    std::vector<std::int64_t> recentStaysMs;  // oldest first

    bool operator==(const RoomSnapshot&) const = default;
};

// Stable codes (their strings go to logs and tests): why a snapshot was not taken in.
enum class SnapshotErrorCode {
    BadJson,             // not JSON at all
    UnsupportedVersion,  // written by a newer (or unknown) format
    MissingField,
    InvalidField,        // wrong type, out of range, too long
    Inconsistent,        // each field fine, together impossible (a host who is not in the room...)
    RoomExists,          // restore: this node already has a room by that name
    SeatTaken,           // restore: a participant id is already seated on this node
};

std::string_view toString(SnapshotErrorCode code);

struct SnapshotError {
    SnapshotErrorCode code;
    std::string field;  // a path such as "members[2].role"; empty when it concerns the whole
    std::string message;
};

// Whether a snapshot describes a room that can exist: unique ids, one host who is a member,
// hands only of members, chat in order, sizes within the room's limits. Used by the decoder and
// by Rooms::restore, so a snapshot built in code is held to the same rules as one read.
std::optional<SnapshotError> validate(const RoomSnapshot& snapshot);

// Limits a valid snapshot keeps within (the live room keeps within them too).
inline constexpr std::size_t kSnapshotMaxWaiting = WaitingQueue::kCapacity;
inline constexpr std::size_t kSnapshotMaxChat = ChatHistory::kCapacity;
inline constexpr std::size_t kSnapshotMaxStays = WaitEstimator::kWindow;
inline constexpr std::size_t kSnapshotMaxSeats = 10'000;  // far above any --max-room-size
// Times and lengths in ms stay within what a JavaScript number holds exactly (2^53 - 1, some
// 285,000 years), so arithmetic on them (a deadline plus an extension) cannot overflow.
inline constexpr std::int64_t kSnapshotMaxTimeMs = 9'007'199'254'740'991;

}  // namespace parley::core

#pragma once
// What room logic tells a participant. The protocol layer turns these into frames.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/chat_history.hpp"
#include "core/participant.hpp"
#include "core/room_settings.hpp"

namespace parley::core {

// NegotiationFailed: the sender could not apply a description the target sent it.
enum class RelayKind { Offer, Answer, Candidate, NegotiationFailed };
enum class LeaveReason { Left, Disconnected, Kicked, SlotEnded };
enum class RelayOutcome { Delivered, TargetMissing };
enum class EndReason { TimeUp, HostEnded, SlotEnded };
enum class TimerKind { Session, Slot };

std::string_view toString(RelayKind kind);
std::string_view toString(LeaveReason reason);
std::string_view toString(RelayOutcome outcome);
std::string_view toString(EndReason reason);
std::string_view toString(TimerKind kind);
std::string_view toString(Role role);

struct QueueEntry {
    ParticipantId id;
    std::string name;
    std::int64_t sinceMs;
};

// Everything a participant needs when it enters a room (the `joined` message).
struct JoinAccepted {
    RoomId room;
    std::string resumeToken;  // secret: lets this person take their place back on a new socket
    ParticipantInfo you;
    std::vector<ParticipantInfo> others;  // in the order they joined
    ParticipantId host;
    RoomState state;
    std::vector<ChatMessage> chat;
    std::vector<ParticipantId> hands;
    std::vector<QueueEntry> queue;  // for the host only; empty for guests
};

// Where a waiting person stands (`waiting` reply and `queue-position` events).
struct Waiting {
    RoomId room;
    std::string resumeToken;
    ParticipantId you;
    std::size_t position;  // 1-based
    std::size_t of;
    std::optional<std::int64_t> estimatedWaitMs;
    Admission admission;
};

struct ParticipantJoined {
    ParticipantInfo participant;
};

struct ParticipantLeft {
    ParticipantId id;
    LeaveReason reason;
};

// payload is the JSON text of the relayed value (the sdp string or the candidate object; for a
// negotiation failure, the fields `"description":…,"reason":…` without braces), validated by
// the protocol layer and passed through untouched.
struct Relayed {
    ParticipantId from;
    RelayKind kind;
    std::string payload;
};

struct MediaChanged {
    ParticipantId from;
    MediaState media;
};

struct Admitted {
    JoinAccepted joined;
};

struct Declined {
    std::string reason;  // "declined" or "locked"
};

struct QueueChanged {  // to the host
    std::vector<QueueEntry> entries;
};

struct HostChanged {
    ParticipantId host;
};

struct Kicked {
    ParticipantId by;
    std::string reason;
};

struct MuteRequest {
    ParticipantId by;
    bool unmute;  // true: "please unmute"; false: "you were muted"
};

struct RoomStateChanged {
    RoomState state;
};

struct TimerWarning {
    TimerKind timer;
    std::int64_t remainingMs;
};

struct SessionEnded {
    EndReason reason;
};

struct ChatPosted {
    ChatMessage message;
};

struct HandsChanged {
    std::vector<ParticipantId> order;
};

// Someone's socket dropped (they may come back within the grace period) or came back.
// `rebuild`: they came back without their peer connections (a reloaded page), so everyone
// must replace the peer connection to them with a fresh one.
struct ConnectionChanged {
    ParticipantId id;
    bool connected;
    bool rebuild = false;
};

// An event from a server-side component beside the rooms (a forwarding server's offer, a track
// or layer change), sent through Rooms::send so it is numbered and kept for a resume like any
// other: its `type` and its other fields as JSON object members without braces
// (`"a":1,"b":"x"`; may be empty), produced and documented by that component.
struct ServiceEvent {
    std::string type;
    std::string fields;
};

using Event = std::variant<ParticipantJoined, ParticipantLeft, Relayed, MediaChanged, Waiting,
                           Admitted, Declined, QueueChanged, HostChanged, Kicked, MuteRequest,
                           RoomStateChanged, TimerWarning, SessionEnded, ChatPosted, HandsChanged,
                           ConnectionChanged, ServiceEvent>;

// One signaling step, for logs, metrics and (later) the per-room trace.
struct RelayTrace {
    RoomId room;
    ParticipantId from;
    ParticipantId to;
    RelayKind kind;
    std::size_t bytes;
    RelayOutcome outcome;
    std::int64_t atMs;
};

}  // namespace parley::core

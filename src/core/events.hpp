#pragma once
// What room logic tells a participant. The protocol layer turns these into frames.
#include <string>
#include <string_view>
#include <variant>

#include "core/participant.hpp"

namespace parley::core {

enum class RelayKind { Offer, Answer, Candidate };
enum class LeaveReason { Left, Disconnected };
enum class RelayOutcome { Delivered, TargetMissing };

std::string_view toString(RelayKind kind);
std::string_view toString(LeaveReason reason);
std::string_view toString(RelayOutcome outcome);

struct ParticipantJoined {
    ParticipantInfo participant;
};

struct ParticipantLeft {
    ParticipantId id;
    LeaveReason reason;
};

// payload is the JSON text of the relayed value (the sdp string or the candidate object),
// validated by the protocol layer and passed through untouched.
struct Relayed {
    ParticipantId from;
    RelayKind kind;
    std::string payload;
};

struct MediaChanged {
    ParticipantId from;
    MediaState media;
};

using Event = std::variant<ParticipantJoined, ParticipantLeft, Relayed, MediaChanged>;

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

#pragma once
// Client messages after decoding and validation (docs/protocol.md, "Client → server").
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "core/media_signaling.hpp"
#include "core/error_code.hpp"
#include "core/events.hpp"
#include "core/participant.hpp"
#include "core/room_settings.hpp"

namespace parley::protocol {

inline constexpr int kProtocolVersion = 1;
inline constexpr std::size_t kMaxFrameBytes = 65536;
inline constexpr std::size_t kMaxSdpBytes = 60000;
inline constexpr std::size_t kMaxFailureReasonBytes = 500;  // negotiation-failed's reason
inline constexpr std::size_t kMaxCandidateBytes = 2048;
inline constexpr std::size_t kMaxIdChars = 64;

inline constexpr std::size_t kMaxChatChars = 1000;
inline constexpr std::size_t kMaxReasonChars = 200;
inline constexpr std::int64_t kMaxTimerSeconds = 24 * 3600;
inline constexpr std::size_t kMaxPasswordBytes = 128;
inline constexpr std::size_t kMaxTokenBytes = 4096;

struct Join {
    std::string room;
    std::string name;
    core::MediaState media;
    core::RoomSettings settings;  // applied only when this join opens the room
    std::string password;
    std::string token;
};

// offer, answer or candidate for one participant; payload is the JSON text to pass through.
struct Relay {
    core::RelayKind kind;
    std::string to;
    std::string payload;
};

struct Media {
    core::MediaState media;
};

struct Leave {};

struct Chat {
    std::string text;
};

struct Hand {
    bool raised;
};

// Host controls that name one participant.
enum class HostActionKind { Admit, Decline, MoveToFront, Mute, RequestUnmute, TransferHost };
struct HostAction {
    HostActionKind kind;
    std::string id;
};

struct Kick {
    std::string id;
    std::string reason;
};

struct Lock {
    bool locked;
};

struct EndSession {};

struct SetTimer {
    std::int64_t seconds;  // 0 stops the timer
};

struct ExtendTimer {
    std::int64_t seconds;
};

struct Ping {
    std::string t;  // JSON text of the client's `t`, echoed untouched; empty when absent
    std::optional<std::uint64_t> ack;  // the last event seq the client has processed
};

struct TraceRequest {};
// Forwarded rooms: what the server sees of the participant's media and what it forwards them.
struct MediaReportRequest {};

// Forwarded rooms: the participant's offer on its connection to the server, and its answer to
// the server's offer numbered `version` (docs/protocol.md, "Forwarded rooms").
struct MediaOffer {
    std::string sdp;
    std::vector<core::MediaTrackSource> tracks;
};
struct MediaAnswer {
    std::uint64_t version;
    std::string sdp;
};

// Forwarded rooms: the others' videos the participant shows now; the rest are not sent to it.
inline constexpr std::size_t kMaxVisibleVideos = 200;
struct VisibleVideos {
    std::vector<core::VisibleVideo> videos;
};

struct Resume {
    std::string token;
    std::uint64_t lastSeq;  // ignored with `snapshot`
    bool snapshot = false;  // the client kept no state: send the whole picture, not a replay
    // The room the token was given in (optional): lets a node of a cluster that does not hold
    // the seat find, restore or send the client to the room. Empty when not sent.
    std::string room;
};

using Body = std::variant<Join, Relay, Media, Leave, Ping, Chat, Hand, HostAction, Kick, Lock,
                          EndSession, SetTimer, ExtendTimer, Resume, TraceRequest, MediaOffer, MediaAnswer,
                          VisibleVideos, MediaReportRequest>;

struct Message {
    std::string req;  // JSON text of the request id (a string or an integer); empty when absent
    Body body;
};

struct DecodeError {
    std::string req;  // as in Message, when it could be read
    core::ErrorCode code;
    std::string message;
    std::string field;  // for missing-field / invalid-field and the like; may be empty
};

}  // namespace parley::protocol

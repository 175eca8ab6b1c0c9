#pragma once
// The seam between signaling and a forwarding server: a participant's `media-offer` and
// `media-answer` (docs/protocol.md, "Forwarded rooms") go to whatever forwards media, which
// answers synchronously and sends its own offers as events. Plain types only, so the protocol
// layer calls it without knowing about SDP, sockets or threads.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/media_report.hpp"
#include "core/participant.hpp"
#include "core/room.hpp"

namespace parley::core {

struct MediaTrackSource {
    std::string mid;
    std::string source;  // "microphone", "camera", "screen"
};

// A video one participant shows on screen: whose, and which ("camera" or "screen").
struct VisibleVideo {
    ParticipantId participant;
    std::string source;
    bool operator==(const VisibleVideo&) const = default;
    auto operator<=>(const VisibleVideo&) const = default;
};

// A track the server sends a participant on their connection: in which m-section, whose, and
// which of theirs ("microphone", "camera", "screen").
struct ForwardedTrack {
    std::string mid;
    ParticipantId from;
    std::string source;
    bool operator==(const ForwardedTrack&) const = default;
};

// The server's answer to a participant's offer, with every track it sends them on that
// connection once the answer is applied: the offer's receive-only m-sections may carry the
// others' tracks at once, so the client learns whose they are with the answer.
struct MediaAnswer {
    std::string sdp;
    std::vector<ForwardedTrack> tracks;
};

class MediaSignaling {
public:
    virtual ~MediaSignaling() = default;
    // The participant's offer on its connection to the server; the server's answer.
    virtual std::variant<MediaAnswer, Refusal> offer(const RoomId& room, const ParticipantId& who,
                                                     std::string_view sdp,
                                                     const std::vector<MediaTrackSource>& tracks) = 0;
    // The participant's answer to the server's offer numbered `version`.
    virtual Outcome answer(const RoomId& room, const ParticipantId& who, std::uint64_t version,
                           std::string_view sdp) = 0;
    // The videos the participant shows now (`visible-videos`): the others' videos are not sent
    // to them until shown again. The participants named are in the room (the caller checked).
    virtual Outcome visibleVideos(const RoomId& room, const ParticipantId& who,
                                  const std::vector<VisibleVideo>& videos) = 0;
    // What the server sees of the room's media now (diagnostics: the admin trace and a
    // participant's `media-report`); refused with not-forwarded while the room is peer to peer.
    virtual std::variant<MediaReport, Refusal> mediaReport(const RoomId& room) const = 0;
};

}  // namespace parley::core

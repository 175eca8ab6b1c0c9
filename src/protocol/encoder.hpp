#pragma once
// Server replies and events → frame text (docs/protocol.md). Written by hand rather than through
// a DOM: relayed payloads are already JSON text and are spliced in untouched.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error_code.hpp"
#include "core/events.hpp"
#include "core/media_report.hpp"
#include "core/media_signaling.hpp"
#include "core/rooms.hpp"
#include "core/signaling_trace.hpp"

namespace parley::protocol {

void appendJsonString(std::string& out, std::string_view s);

struct JoinedInfo {
    std::string_view req;  // JSON text or empty
    std::string_view serverName;
    std::string_view iceServersJson;      // minted for the participant it goes to
    std::string_view iceTransportPolicy;  // "all" or "relay"
    std::size_t maxRoomSize;
    std::int64_t serverTimeMs;
};
// The `joined` reply (with req) or event (with seq, after waiting); exactly one of them is set.
std::string encodeJoined(const JoinedInfo& info, const core::JoinAccepted& accepted,
                         std::optional<std::uint64_t> seq = std::nullopt);
// `lastSeq`: the last event numbered for them (numbering goes on from there). `snapshotJson`,
// for a snapshot resume: the `joined` or `waiting` message a fresh join would get.
std::string encodeResumed(std::string_view req, std::string_view you, std::string_view room,
                          std::size_t replayed, std::uint64_t lastSeq, std::string_view serverName,
                          std::int64_t serverTimeMs, std::string_view snapshotJson = {});
// The `waiting` reply to a join that has to wait.
std::string encodeWaiting(std::string_view req, const core::Waiting& waiting);

// Events need the server's joined context (ICE servers, time) for an admission; other events
// ignore it.
std::string encodeEvent(std::uint64_t seq, const core::Event& event, const JoinedInfo& context);

// A room's signaling trace as JSON; with `only`, just the steps from or to that participant
// (what a participant may see of it).
// `media`, when given, is the room's media chain (encodeMediaChain), added as "media".
std::string encodeTrace(std::string_view req, const core::RoomId& room, const core::SignalingTrace& trace,
                        std::string_view only = {}, std::string_view media = {});

// A forwarded room's media as the server sees it (docs/protocol.md, "media-report"), as a JSON
// object; `nameOf` gives each participant's display name (empty: no longer in the room).
using NameOf = std::function<std::string(const core::ParticipantId&)>;
std::string encodeMediaChain(const core::MediaReport& report, const NameOf& nameOf);
// The reply to a participant's media-report: their part of the chain (core::reportFor).
std::string encodeMediaReport(std::string_view req, const core::RoomId& room, const core::MediaReport& report,
                              const NameOf& nameOf);

std::string encodeOk(std::string_view req);
// The server's answer to a participant's media-offer.
// The `room-elsewhere` error: the room lives on another node, which browsers reach at `url`.
std::string encodeRoomElsewhere(std::string_view req, std::string_view room, std::string_view url);
std::string encodeMediaAnswer(std::string_view req, const core::MediaAnswer& answer);
std::string encodePong(std::string_view req, std::string_view t, std::int64_t serverTimeMs);
// `retryAfterMs`, when given, says when asking again may succeed (too-many-attempts, ...).
std::string encodeError(std::string_view req, core::ErrorCode code, std::string_view message,
                        std::string_view field, std::optional<std::int64_t> retryAfterMs = std::nullopt);

}  // namespace parley::protocol

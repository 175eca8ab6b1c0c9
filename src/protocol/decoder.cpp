#include "protocol/decoder.hpp"

#include <boost/json.hpp>
#include <cstdint>

#include "protocol/validation.hpp"

namespace parley::protocol {

namespace json = boost::json;
using core::ErrorCode;

namespace {

// Thrown inside the decoder only, caught in decode(): keeps each field check one line.
struct Refused {
    ErrorCode code;
    std::string message;
    std::string field;
};

[[noreturn]] void refuse(ErrorCode code, std::string message, std::string field = {}) {
    throw Refused{code, std::move(message), std::move(field)};
}

const json::value& required(const json::object& o, std::string_view field) {
    const json::value* v = o.if_contains(field);
    if (!v) refuse(ErrorCode::MissingField, "Field '" + std::string(field) + "' is required",
                   std::string(field));
    return *v;
}

std::string_view requiredString(const json::object& o, std::string_view field, std::size_t maxBytes) {
    const json::value& v = required(o, field);
    if (!v.is_string()) {
        refuse(ErrorCode::InvalidField, "Field '" + std::string(field) + "' must be a string",
               std::string(field));
    }
    const json::string& s = v.get_string();
    if (s.size() > maxBytes) {
        refuse(ErrorCode::InvalidField,
               "Field '" + std::string(field) + "' is longer than " + std::to_string(maxBytes),
               std::string(field));
    }
    return s;
}

bool boolField(const json::object& o, std::string_view field, std::string_view path, bool needed) {
    const json::value* v = o.if_contains(field);
    if (!v) {
        if (needed) refuse(ErrorCode::MissingField, "Field '" + std::string(path) + "' is required",
                           std::string(path));
        return false;
    }
    if (!v->is_bool()) {
        refuse(ErrorCode::InvalidField, "Field '" + std::string(path) + "' must be true or false",
               std::string(path));
    }
    return v->get_bool();
}

core::MediaState mediaFields(const json::object& o, std::string_view prefix, bool needed) {
    auto path = [&](std::string_view f) { return std::string(prefix) + std::string(f); };
    core::MediaState m;
    m.mic = boolField(o, "mic", path("mic"), needed);
    m.cam = boolField(o, "cam", path("cam"), needed);
    m.screen = boolField(o, "screen", path("screen"), needed);
    if (const json::value* s = o.if_contains("screenStream"); s && !s->is_null()) {
        if (!s->is_string() || s->get_string().size() > kMaxIdChars) {
            refuse(ErrorCode::InvalidField,
                   "Field '" + path("screenStream") + "' must be a string of at most 64 characters",
                   path("screenStream"));
        }
        m.screenStream = s->get_string();
    }
    return m;
}

std::int64_t integerField(const json::object& o, std::string_view field, std::int64_t min, std::int64_t max,
                          std::optional<std::int64_t> fallback) {
    const json::value* v = o.if_contains(field);
    if (!v || v->is_null()) {
        if (fallback) return *fallback;
        refuse(ErrorCode::MissingField, "Field '" + std::string(field) + "' is required", std::string(field));
    }
    if (!v->is_int64() || v->get_int64() < min || v->get_int64() > max) {
        refuse(ErrorCode::InvalidField,
               "Field '" + std::string(field) + "' must be a whole number from " + std::to_string(min) +
                   " to " + std::to_string(max),
               std::string(field));
    }
    return v->get_int64();
}

core::RoomSettings roomSettings(const json::object& o) {
    core::RoomSettings s;
    if (const json::value* a = o.if_contains("admission"); a && !a->is_null()) {
        std::optional<core::Admission> admission;
        if (a->is_string()) admission = core::admissionFromString(a->get_string());
        if (!admission) {
            refuse(ErrorCode::InvalidField, "settings.admission is open, knock or one-at-a-time",
                   "settings.admission");
        }
        s.admission = *admission;
    }
    s.seats = static_cast<std::size_t>(integerField(o, "seats", 2, 1000, 0));
    s.sessionLengthMs = integerField(o, "sessionSeconds", 0, kMaxTimerSeconds, 0) * 1000;
    s.slotLengthMs = integerField(o, "slotSeconds", 0, kMaxTimerSeconds, 0) * 1000;
    if (const json::value* pw = o.if_contains("password"); pw && !pw->is_null()) {
        if (!pw->is_string() || pw->get_string().size() > kMaxPasswordBytes) {
            refuse(ErrorCode::InvalidField, "settings.password is a string of at most 128 bytes", "settings.password");
        }
        s.password = pw->get_string();
    }
    return s;
}

Join decodeJoin(const json::object& o) {
    const json::value& v = required(o, "v");
    if (!v.is_int64() && !v.is_uint64()) {
        refuse(ErrorCode::InvalidField, "Field 'v' must be an integer", "v");
    }
    if (!v.is_int64() || v.get_int64() != kProtocolVersion) {
        refuse(ErrorCode::UnsupportedVersion, "This server speaks protocol version 1", "v");
    }
    const json::value& roomValue = required(o, "room");
    if (!roomValue.is_string() || !isValidRoomId(roomValue.get_string())) {
        refuse(ErrorCode::InvalidRoom,
               "A room id is 3 to 64 characters: a-z, 0-9 and '-', not at either end", "room");
    }
    const json::value& nameValue = required(o, "name");
    std::optional<std::string> name;
    if (nameValue.is_string()) name = normalizeDisplayName(nameValue.get_string());
    if (!name) {
        refuse(ErrorCode::InvalidName,
               "A name is 1 to 64 characters with no control characters", "name");
    }
    Join join{std::string(roomValue.get_string()), std::move(*name), {}, {}, {}, {}};
    if (o.contains("password")) join.password = requiredString(o, "password", kMaxPasswordBytes);
    if (o.contains("token")) join.token = requiredString(o, "token", kMaxTokenBytes);
    if (const json::value* media = o.if_contains("media"); media && !media->is_null()) {
        if (!media->is_object()) refuse(ErrorCode::InvalidField, "Field 'media' must be an object", "media");
        join.media = mediaFields(media->get_object(), "media.", false);
    }
    if (const json::value* settings = o.if_contains("settings"); settings && !settings->is_null()) {
        if (!settings->is_object()) refuse(ErrorCode::InvalidField, "Field 'settings' must be an object", "settings");
        join.settings = roomSettings(settings->get_object());
    }
    return join;
}

std::string targetOf(const json::object& o) {
    return std::string(requiredString(o, "to", kMaxIdChars));
}

// "The description you sent me could not be applied": which one, and why (for people).
Relay decodeNegotiationFailed(const json::object& o) {
    std::string to = targetOf(o);
    const std::string_view description = requiredString(o, "description", 16);
    if (description != "offer" && description != "answer") {
        refuse(ErrorCode::InvalidField, "Field 'description' must be \"offer\" or \"answer\"", "description");
    }
    std::string_view reason;
    if (o.contains("reason")) reason = requiredString(o, "reason", kMaxFailureReasonBytes);
    std::string out = "\"description\":";
    out += json::serialize(json::string_view(description));
    out += ",\"reason\":";
    out += json::serialize(json::string_view(reason));
    return Relay{core::RelayKind::NegotiationFailed, std::move(to), std::move(out)};
}

Relay decodeDescription(const json::object& o, core::RelayKind kind) {
    std::string to = targetOf(o);
    std::string_view sdp = requiredString(o, "sdp", kMaxSdpBytes);
    return Relay{kind, std::move(to), json::serialize(json::string_view(sdp))};
}

Relay decodeCandidate(const json::object& o) {
    std::string to = targetOf(o);
    const json::value& c = required(o, "candidate");
    if (c.is_null()) return Relay{core::RelayKind::Candidate, std::move(to), "null"};
    if (!c.is_object()) {
        refuse(ErrorCode::InvalidField, "Field 'candidate' must be an object or null", "candidate");
    }
    const json::object& in = c.get_object();
    // Only the fields of RTCIceCandidateInit pass through, so nothing else rides along. Written
    // out directly (not as a new json::object): this runs for every candidate relayed.
    std::string out = "{\"candidate\":";
    out += json::serialize(json::string_view(requiredString(in, "candidate", kMaxCandidateBytes)));
    auto optional = [&](std::string_view field, bool (json::value::*ok)() const noexcept) {
        const json::value* v = in.if_contains(field);
        if (!v) return;
        if (!v->is_null() && !(v->*ok)()) {
            refuse(ErrorCode::InvalidField, "Field 'candidate." + std::string(field) + "' has the wrong type",
                   "candidate." + std::string(field));
        }
        out += ",\"";
        out += field;
        out += "\":";
        out += json::serialize(*v);
    };
    optional("sdpMid", &json::value::is_string);
    optional("sdpMLineIndex", &json::value::is_number);
    optional("usernameFragment", &json::value::is_string);
    if (const json::value* mid = in.if_contains("sdpMid"); mid && mid->is_string() &&
                                                          mid->get_string().size() > kMaxIdChars) {
        refuse(ErrorCode::InvalidField, "Field 'candidate.sdpMid' is too long", "candidate.sdpMid");
    }
    if (const json::value* uf = in.if_contains("usernameFragment"); uf && uf->is_string() &&
                                                                    uf->get_string().size() > 256) {
        refuse(ErrorCode::InvalidField, "Field 'candidate.usernameFragment' is too long",
               "candidate.usernameFragment");
    }
    out += '}';
    return Relay{core::RelayKind::Candidate, std::move(to), std::move(out)};
}

std::string requestIdOf(const json::object& o) {
    const json::value* req = o.if_contains("req");
    if (!req) return {};
    if (req->is_int64() || req->is_uint64()) return json::serialize(*req);
    if (req->is_string() && req->get_string().size() <= kMaxIdChars) return json::serialize(*req);
    refuse(ErrorCode::InvalidField, "Field 'req' must be an integer or a string of at most 64 characters",
           "req");
}

Chat decodeChat(const json::object& o) {
    std::string_view text = requiredString(o, "text", kMaxChatChars * 4);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.remove_suffix(1);
    if (text.empty() || codePointCount(text) > kMaxChatChars) {
        refuse(ErrorCode::InvalidField, "A chat message is 1 to 1000 characters", "text");
    }
    return Chat{std::string(text)};
}

HostAction hostAction(const json::object& o, HostActionKind kind) {
    return HostAction{kind, std::string(requiredString(o, "id", kMaxIdChars))};
}

MediaOffer decodeMediaOffer(const json::object& o) {
    MediaOffer offer{std::string(requiredString(o, "sdp", kMaxSdpBytes)), {}};
    const json::value* tracks = o.if_contains("tracks");
    if (!tracks) return offer;
    // A connection carries a microphone, a camera and a screen; a few more leave room for a
    // client that re-offers while replacing one, never hundreds.
    constexpr std::size_t kMaxTracks = 16;
    if (!tracks->is_array() || tracks->get_array().size() > kMaxTracks) {
        refuse(ErrorCode::InvalidField, "'tracks' is a list of at most 16 {mid, source}", "tracks");
    }
    for (const json::value& t : tracks->get_array()) {
        const json::object* entry = t.if_object();
        const json::value* mid = entry ? entry->if_contains("mid") : nullptr;
        const json::value* source = entry ? entry->if_contains("source") : nullptr;
        const bool valid = mid && mid->is_string() && !mid->get_string().empty() && mid->get_string().size() <= 32 &&
                           source && source->is_string() &&
                           (source->get_string() == "microphone" || source->get_string() == "camera" ||
                            source->get_string() == "screen");
        if (!valid) {
            refuse(ErrorCode::InvalidField,
                   "Each track is {mid: 1-32 characters, source: microphone, camera or screen}", "tracks");
        }
        offer.tracks.push_back({std::string(mid->get_string()), std::string(source->get_string())});
    }
    return offer;
}

VisibleVideos decodeVisibleVideos(const json::object& o) {
    const json::value& list = required(o, "videos");
    // Two videos (camera, screen) per person in the largest room leave no reason for more.
    if (!list.is_array() || list.get_array().size() > kMaxVisibleVideos) {
        refuse(ErrorCode::InvalidField, "'videos' is a list of at most 200 {participant, source}", "videos");
    }
    VisibleVideos out;
    for (const json::value& v : list.get_array()) {
        const json::object* entry = v.if_object();
        const json::value* participant = entry ? entry->if_contains("participant") : nullptr;
        const json::value* source = entry ? entry->if_contains("source") : nullptr;
        const bool valid = participant && participant->is_string() && !participant->get_string().empty() &&
                           participant->get_string().size() <= kMaxIdChars && source && source->is_string() &&
                           (source->get_string() == "camera" || source->get_string() == "screen");
        if (!valid) {
            refuse(ErrorCode::InvalidField,
                   "Each video is {participant: an id, source: camera or screen}", "videos");
        }
        out.videos.push_back({std::string(participant->get_string()), std::string(source->get_string())});
    }
    return out;
}

Body decodeBody(std::string_view type, const json::object& o) {
    if (type == "join") return decodeJoin(o);
    if (type == "offer") return decodeDescription(o, core::RelayKind::Offer);
    if (type == "answer") return decodeDescription(o, core::RelayKind::Answer);
    if (type == "candidate") return decodeCandidate(o);
    if (type == "negotiation-failed") return decodeNegotiationFailed(o);
    if (type == "media") return Media{mediaFields(o, "", true)};
    if (type == "leave") return Leave{};
    if (type == "chat") return decodeChat(o);
    if (type == "media-offer") return decodeMediaOffer(o);
    if (type == "visible-videos") return decodeVisibleVideos(o);
    if (type == "media-answer") {
        const auto version = static_cast<std::uint64_t>(integerField(o, "version", 1, INT64_MAX, std::nullopt));
        return MediaAnswer{version, std::string(requiredString(o, "sdp", kMaxSdpBytes))};
    }
    if (type == "hand") return Hand{boolField(o, "raised", "raised", true)};
    if (type == "admit") return hostAction(o, HostActionKind::Admit);
    if (type == "decline") return hostAction(o, HostActionKind::Decline);
    if (type == "move-to-front") return hostAction(o, HostActionKind::MoveToFront);
    if (type == "mute") return hostAction(o, HostActionKind::Mute);
    if (type == "request-unmute") return hostAction(o, HostActionKind::RequestUnmute);
    if (type == "transfer-host") return hostAction(o, HostActionKind::TransferHost);
    if (type == "kick") {
        Kick kick{std::string(requiredString(o, "id", kMaxIdChars)), {}};
        if (const json::value* r = o.if_contains("reason"); r && !r->is_null()) {
            if (!r->is_string() || codePointCount(r->get_string()) > kMaxReasonChars) {
                refuse(ErrorCode::InvalidField, "A reason is a string of at most 200 characters", "reason");
            }
            kick.reason = r->get_string();
        }
        return kick;
    }
    if (type == "lock") return Lock{boolField(o, "locked", "locked", true)};
    if (type == "end-session") return EndSession{};
    if (type == "trace") return TraceRequest{};
    if (type == "media-report") return MediaReportRequest{};
    if (type == "set-timer") return SetTimer{integerField(o, "seconds", 0, kMaxTimerSeconds, std::nullopt)};
    if (type == "extend-timer") return ExtendTimer{integerField(o, "seconds", 1, kMaxTimerSeconds, std::nullopt)};
    if (type == "ping") {
        const json::value* t = o.if_contains("t");
        Ping ping{t ? json::serialize(*t) : std::string(), std::nullopt};
        if (o.contains("ack")) ping.ack = static_cast<std::uint64_t>(integerField(o, "ack", 0, INT64_MAX, 0));
        return ping;
    }
    if (type == "resume") {
        std::string token(requiredString(o, "token", kMaxIdChars));
        // A snapshot resume (the client kept nothing) needs no lastSeq.
        const bool snapshot = boolField(o, "snapshot", "snapshot", false);
        const auto lastSeq = integerField(o, "lastSeq", 0, INT64_MAX, snapshot ? std::optional<std::int64_t>(0) : std::nullopt);
        std::string room;
        if (const json::value* r = o.if_contains("room")) {
            if (!r->is_string() || !isValidRoomId(r->get_string())) {
                refuse(ErrorCode::InvalidRoom, "A room id is 3 to 64 characters: a-z, 0-9 and '-', not at either end",
                       "room");
            }
            room = std::string(r->get_string());
        }
        return Resume{std::move(token), static_cast<std::uint64_t>(lastSeq), snapshot, std::move(room)};
    }
    refuse(ErrorCode::UnknownType, "Unknown message type '" + std::string(type.substr(0, 64)) + "'",
           "type");
}

}  // namespace

std::variant<Message, DecodeError> decode(std::string_view text) {
    // Frames are at most 64 KiB; a stack buffer serves most of the parse without the heap.
    unsigned char buffer[16384];
    json::monotonic_resource arena(buffer, sizeof buffer);
    json::parse_options options;
    options.max_depth = 16;
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec, &arena, options);
    if (ec) return DecodeError{{}, ErrorCode::BadJson, "The message is not valid JSON", {}};
    if (!doc.is_object()) {
        return DecodeError{{}, ErrorCode::BadMessage, "A message must be a JSON object", {}};
    }
    const json::object& o = doc.get_object();
    std::string req;
    try {
        req = requestIdOf(o);
        const json::value* type = o.if_contains("type");
        if (!type || !type->is_string()) {
            return DecodeError{req, ErrorCode::BadMessage, "A message needs a string field 'type'", "type"};
        }
        return Message{req, decodeBody(type->get_string(), o)};
    } catch (const Refused& r) {
        return DecodeError{req, r.code, r.message, r.field};
    }
}

}  // namespace parley::protocol

#include "protocol/encoder.hpp"

#include <type_traits>

namespace parley::protocol {

void appendJsonString(std::string& out, std::string_view s) {
    static constexpr char kHex[] = "0123456789abcdef";
    out.push_back('"');
    for (char ch : s) {
        auto c = static_cast<unsigned char>(ch);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    out += "\\u00";
                    out.push_back(kHex[c >> 4]);
                    out.push_back(kHex[c & 0xF]);
                } else {
                    out.push_back(ch);
                }
        }
    }
    out.push_back('"');
}

namespace {

void appendField(std::string& out, std::string_view name) {
    out.push_back(',');
    out.push_back('"');
    out += name;
    out += "\":";
}

void appendReq(std::string& out, std::string_view req) {
    if (req.empty()) return;
    appendField(out, "req");
    out += req;
}

void appendBool(std::string& out, bool b) { out += b ? "true" : "false"; }

void appendMediaFields(std::string& out, const core::MediaState& m) {
    appendField(out, "mic");
    appendBool(out, m.mic);
    appendField(out, "cam");
    appendBool(out, m.cam);
    appendField(out, "screen");
    appendBool(out, m.screen);
    if (!m.screenStream.empty()) {
        appendField(out, "screenStream");
        appendJsonString(out, m.screenStream);
    }
}

void appendParticipant(std::string& out, const core::ParticipantInfo& p) {
    out += "{\"id\":";
    appendJsonString(out, p.id);
    appendField(out, "name");
    appendJsonString(out, p.name);
    appendField(out, "media");
    out.push_back('{');
    std::string media;
    appendMediaFields(media, p.media);
    out.append(media, 1);  // drop the leading comma
    out += "}}";
}

std::string eventHead(std::string_view type, std::uint64_t seq) {
    std::string out;
    out.reserve(128);
    out += "{\"type\":\"";
    out += type;
    out += "\",\"seq\":";
    out += std::to_string(seq);
    return out;
}

}  // namespace

std::string encodeEvent(std::uint64_t seq, const core::Event& event) {
    return std::visit(
        [seq](const auto& e) -> std::string {
            using T = std::decay_t<decltype(e)>;
            if constexpr (std::is_same_v<T, core::ParticipantJoined>) {
                std::string out = eventHead("participant-joined", seq);
                appendField(out, "participant");
                appendParticipant(out, e.participant);
                out.push_back('}');
                return out;
            } else if constexpr (std::is_same_v<T, core::ParticipantLeft>) {
                std::string out = eventHead("participant-left", seq);
                appendField(out, "id");
                appendJsonString(out, e.id);
                appendField(out, "reason");
                appendJsonString(out, core::toString(e.reason));
                out.push_back('}');
                return out;
            } else if constexpr (std::is_same_v<T, core::Relayed>) {
                std::string out = eventHead(core::toString(e.kind), seq);
                out.reserve(out.size() + e.payload.size() + 64);
                appendField(out, "from");
                appendJsonString(out, e.from);
                appendField(out, e.kind == core::RelayKind::Candidate ? "candidate" : "sdp");
                out += e.payload;
                out.push_back('}');
                return out;
            } else {
                static_assert(std::is_same_v<T, core::MediaChanged>);
                std::string out = eventHead("media", seq);
                appendField(out, "from");
                appendJsonString(out, e.from);
                appendMediaFields(out, e.media);
                out.push_back('}');
                return out;
            }
        },
        event);
}

std::string encodeJoined(const JoinedInfo& info, const core::JoinAccepted& accepted) {
    std::string out = "{\"type\":\"joined\"";
    appendReq(out, info.req);
    out += ",\"v\":1";
    appendField(out, "server");
    appendJsonString(out, info.serverName);
    appendField(out, "room");
    appendJsonString(out, accepted.room);
    appendField(out, "you");
    appendParticipant(out, accepted.you);
    appendField(out, "participants");
    out.push_back('[');
    for (std::size_t i = 0; i < accepted.others.size(); ++i) {
        if (i) out.push_back(',');
        appendParticipant(out, accepted.others[i]);
    }
    out.push_back(']');
    appendField(out, "iceServers");
    out += info.iceServersJson;
    appendField(out, "maxRoomSize");
    out += std::to_string(info.maxRoomSize);
    appendField(out, "serverTime");
    out += std::to_string(info.serverTimeMs);
    out.push_back('}');
    return out;
}

std::string encodeOk(std::string_view req) {
    std::string out = "{\"type\":\"ok\"";
    appendReq(out, req);
    out.push_back('}');
    return out;
}

std::string encodePong(std::string_view req, std::string_view t, std::int64_t serverTimeMs) {
    std::string out = "{\"type\":\"pong\"";
    appendReq(out, req);
    if (!t.empty()) {
        appendField(out, "t");
        out += t;
    }
    appendField(out, "serverTime");
    out += std::to_string(serverTimeMs);
    out.push_back('}');
    return out;
}

std::string encodeError(std::string_view req, core::ErrorCode code, std::string_view message,
                        std::string_view field) {
    std::string out = "{\"type\":\"error\"";
    appendReq(out, req);
    appendField(out, "code");
    appendJsonString(out, core::toString(code));
    appendField(out, "message");
    appendJsonString(out, message);
    if (!field.empty()) {
        appendField(out, "field");
        appendJsonString(out, field);
    }
    out.push_back('}');
    return out;
}

}  // namespace parley::protocol

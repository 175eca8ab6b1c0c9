#include "protocol/encoder.hpp"

#include <cstdio>
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

// Appends `,"name":` — every field after the first.
void field(std::string& out, std::string_view name) {
    out.push_back(',');
    out.push_back('"');
    out += name;
    out += "\":";
}

void text(std::string& out, std::string_view name, std::string_view value) {
    field(out, name);
    appendJsonString(out, value);
}

void number(std::string& out, std::string_view name, std::int64_t value) {
    field(out, name);
    out += std::to_string(value);
}

void optionalNumber(std::string& out, std::string_view name, std::optional<std::int64_t> value) {
    field(out, name);
    out += value ? std::to_string(*value) : "null";
}

void boolean(std::string& out, std::string_view name, bool value) {
    field(out, name);
    out += value ? "true" : "false";
}

void appendReq(std::string& out, std::string_view req) {
    if (req.empty()) return;
    field(out, "req");
    out += req;
}

// Starts an object whose first field is "type".
std::string head(std::string_view type) {
    std::string out;
    out.reserve(128);
    out += "{\"type\":\"";
    out += type;
    out.push_back('"');
    return out;
}

std::string eventHead(std::string_view type, std::uint64_t seq) {
    std::string out = head(type);
    number(out, "seq", static_cast<std::int64_t>(seq));
    return out;
}

void mediaFields(std::string& out, const core::MediaState& m) {
    boolean(out, "mic", m.mic);
    boolean(out, "cam", m.cam);
    boolean(out, "screen", m.screen);
    if (!m.screenStream.empty()) text(out, "screenStream", m.screenStream);
}

void participant(std::string& out, const core::ParticipantInfo& p) {
    out += "{\"id\":";
    appendJsonString(out, p.id);
    text(out, "name", p.name);
    text(out, "role", core::toString(p.role));
    boolean(out, "connected", p.connected);
    field(out, "media");
    std::string media;
    mediaFields(media, p.media);
    out.push_back('{');
    out.append(media, 1);  // without the leading comma
    out += "}}";
}

template <class T, class F>
void array(std::string& out, std::string_view name, const T& items, F each) {
    field(out, name);
    out.push_back('[');
    bool first = true;
    for (const auto& item : items) {
        if (!first) out.push_back(',');
        first = false;
        each(item);
    }
    out.push_back(']');
}

void queueEntries(std::string& out, std::string_view name, const std::vector<core::QueueEntry>& entries) {
    array(out, name, entries, [&](const core::QueueEntry& e) {
        out += "{\"id\":";
        appendJsonString(out, e.id);
        text(out, "name", e.name);
        number(out, "since", e.sinceMs);
        out.push_back('}');
    });
}

void roomState(std::string& out, const core::RoomState& s) {
    field(out, "state");
    out += "{\"admission\":";
    appendJsonString(out, core::toString(s.admission));
    number(out, "seats", static_cast<std::int64_t>(s.seats));
    boolean(out, "locked", s.locked);
    optionalNumber(out, "sessionEndsAt", s.sessionEndsAtMs);
    optionalNumber(out, "slotEndsAt", s.slotEndsAtMs);
    number(out, "slotSeconds", s.slotLengthMs / 1000);
    text(out, "topology", core::toString(s.topology));
    out.push_back('}');
}

void chatMessage(std::string& out, const core::ChatMessage& m) {
    out += "{\"id\":";
    out += std::to_string(m.id);
    text(out, "from", m.from);
    text(out, "name", m.name);
    text(out, "text", m.text);
    number(out, "at", m.atMs);
    out.push_back('}');
}

void idList(std::string& out, std::string_view name, const std::vector<core::ParticipantId>& ids) {
    array(out, name, ids, [&](const core::ParticipantId& id) { appendJsonString(out, id); });
}

void waitingFields(std::string& out, const core::Waiting& w) {
    text(out, "room", w.room);
    if (!w.resumeToken.empty()) text(out, "resumeToken", w.resumeToken);
    text(out, "you", w.you);
    number(out, "position", static_cast<std::int64_t>(w.position));
    number(out, "of", static_cast<std::int64_t>(w.of));
    optionalNumber(out, "estimatedWaitMs", w.estimatedWaitMs);
    text(out, "admission", core::toString(w.admission));
}

}  // namespace

std::string encodeJoined(const JoinedInfo& info, const core::JoinAccepted& a,
                         std::optional<std::uint64_t> seq) {
    std::string out = head("joined");
    if (seq) number(out, "seq", static_cast<std::int64_t>(*seq));
    appendReq(out, info.req);
    number(out, "v", 1);
    text(out, "server", info.serverName);
    text(out, "room", a.room);
    if (!a.resumeToken.empty()) text(out, "resumeToken", a.resumeToken);
    field(out, "you");
    participant(out, a.you);
    array(out, "participants", a.others, [&](const core::ParticipantInfo& p) { participant(out, p); });
    text(out, "host", a.host);
    roomState(out, a.state);
    array(out, "chat", a.chat, [&](const core::ChatMessage& m) { chatMessage(out, m); });
    idList(out, "hands", a.hands);
    if (a.you.role == core::Role::Host) queueEntries(out, "queue", a.queue);
    field(out, "iceServers");
    out += info.iceServersJson;
    text(out, "iceTransportPolicy", info.iceTransportPolicy);
    number(out, "maxRoomSize", static_cast<std::int64_t>(info.maxRoomSize));
    number(out, "serverTime", info.serverTimeMs);
    out.push_back('}');
    return out;
}

std::string encodeResumed(std::string_view req, std::string_view you, std::string_view room,
                          std::size_t replayed, std::uint64_t lastSeq, std::string_view serverName,
                          std::int64_t serverTimeMs, std::string_view snapshotJson) {
    std::string out = head("resumed");
    appendReq(out, req);
    text(out, "you", you);
    text(out, "room", room);
    number(out, "replayed", static_cast<std::int64_t>(replayed));
    number(out, "lastSeq", static_cast<std::int64_t>(lastSeq));
    text(out, "server", serverName);
    number(out, "serverTime", serverTimeMs);
    if (!snapshotJson.empty()) {
        field(out, "snapshot");
        out += snapshotJson;
    }
    out.push_back('}');
    return out;
}

std::string encodeWaiting(std::string_view req, const core::Waiting& w) {
    std::string out = head("waiting");
    appendReq(out, req);
    waitingFields(out, w);
    out.push_back('}');
    return out;
}

std::string encodeEvent(std::uint64_t seq, const core::Event& event, const JoinedInfo& context) {
    return std::visit(
        [&](const auto& e) -> std::string {
            using T = std::decay_t<decltype(e)>;
            std::string out;
            if constexpr (std::is_same_v<T, core::ParticipantJoined>) {
                out = eventHead("participant-joined", seq);
                field(out, "participant");
                participant(out, e.participant);
            } else if constexpr (std::is_same_v<T, core::ParticipantLeft>) {
                out = eventHead("participant-left", seq);
                text(out, "id", e.id);
                text(out, "reason", core::toString(e.reason));
            } else if constexpr (std::is_same_v<T, core::Relayed>) {
                out = eventHead(core::toString(e.kind), seq);
                out.reserve(out.size() + e.payload.size() + 64);
                text(out, "from", e.from);
                if (e.kind == core::RelayKind::NegotiationFailed) {
                    out.push_back(',');  // the payload is fields: "description":…,"reason":…
                } else {
                    field(out, e.kind == core::RelayKind::Candidate ? "candidate" : "sdp");
                }
                out += e.payload;
            } else if constexpr (std::is_same_v<T, core::MediaChanged>) {
                out = eventHead("media", seq);
                text(out, "from", e.from);
                mediaFields(out, e.media);
            } else if constexpr (std::is_same_v<T, core::Waiting>) {
                out = eventHead("queue-position", seq);
                waitingFields(out, e);
            } else if constexpr (std::is_same_v<T, core::Admitted>) {
                JoinedInfo noReq = context;
                noReq.req = {};
                return encodeJoined(noReq, e.joined, seq);
            } else if constexpr (std::is_same_v<T, core::Declined>) {
                out = eventHead("declined", seq);
                text(out, "reason", e.reason);
            } else if constexpr (std::is_same_v<T, core::QueueChanged>) {
                out = eventHead("queue", seq);
                queueEntries(out, "entries", e.entries);
            } else if constexpr (std::is_same_v<T, core::HostChanged>) {
                out = eventHead("host-changed", seq);
                text(out, "host", e.host);
            } else if constexpr (std::is_same_v<T, core::Kicked>) {
                out = eventHead("kicked", seq);
                text(out, "by", e.by);
                text(out, "reason", e.reason);
            } else if constexpr (std::is_same_v<T, core::MuteRequest>) {
                out = eventHead(e.unmute ? "unmute-request" : "muted", seq);
                text(out, "by", e.by);
            } else if constexpr (std::is_same_v<T, core::RoomStateChanged>) {
                out = eventHead("room-state", seq);
                roomState(out, e.state);
            } else if constexpr (std::is_same_v<T, core::TimerWarning>) {
                out = eventHead("timer-warning", seq);
                text(out, "timer", core::toString(e.timer));
                number(out, "remainingMs", e.remainingMs);
            } else if constexpr (std::is_same_v<T, core::SessionEnded>) {
                out = eventHead("session-ended", seq);
                text(out, "reason", core::toString(e.reason));
            } else if constexpr (std::is_same_v<T, core::ChatPosted>) {
                out = eventHead("chat", seq);
                field(out, "message");
                chatMessage(out, e.message);
            } else if constexpr (std::is_same_v<T, core::HandsChanged>) {
                out = eventHead("hands", seq);
                idList(out, "order", e.order);
            } else if constexpr (std::is_same_v<T, core::ConnectionChanged>) {
                out = eventHead("participant-connection", seq);
                text(out, "id", e.id);
                boolean(out, "connected", e.connected);
                if (e.rebuild) boolean(out, "rebuild", true);
            } else {
                static_assert(std::is_same_v<T, core::ServiceEvent>);
                out = eventHead(e.type, seq);
                if (!e.fields.empty()) {
                    out.push_back(',');
                    out += e.fields;
                }
            }
            out.push_back('}');
            return out;
        },
        event);
}

std::string encodeTrace(std::string_view req, const core::RoomId& room, const core::SignalingTrace& trace,
                        std::string_view only, std::string_view media) {
    std::string out = head("trace");
    appendReq(out, req);
    text(out, "room", room);
    field(out, "steps");
    out.push_back('[');
    bool first = true;
    for (const core::TraceStep& step : trace.steps()) {
        // A step without `from` is about the whole room (a topology change): everyone sees it.
        if (!only.empty() && !step.from.empty() && step.from != only && step.to != only) continue;
        if (!first) out.push_back(',');
        first = false;
        out += "{\"at\":";
        out += std::to_string(step.atMs);
        text(out, "kind", core::toString(step.kind));
        if (!step.from.empty()) text(out, "from", step.from);
        if (!step.to.empty()) text(out, "to", step.to);
        if (!step.outcome.empty()) text(out, "outcome", step.outcome);
        if (step.bytes) number(out, "bytes", static_cast<std::int64_t>(step.bytes));
        out.push_back('}');
    }
    out.push_back(']');
    if (!media.empty()) {
        field(out, "media");
        out += media;
    }
    out.push_back('}');
    return out;
}

namespace {

// Measured values (loss, jitter, RTT) appear only when the server has them: absent, not zero.
void measured(std::string& out, std::string_view name, const std::optional<double>& value) {
    if (!value) return;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.2f", *value);
    field(out, name);
    out += buffer;
}

void counter(std::string& out, std::string_view name, std::uint64_t value) {
    field(out, name);
    out += std::to_string(value);
}

// `{"<key>":"<id>","name":"<name>"` — an object about someone, left open.
void openAbout(std::string& out, std::string_view key, const core::ParticipantId& id, const NameOf& nameOf) {
    out += "{\"";
    out += key;
    out += "\":";
    appendJsonString(out, id);
    text(out, "name", nameOf(id));
}

}  // namespace

std::string encodeMediaChain(const core::MediaReport& report, const NameOf& nameOf) {
    std::string out = "{\"intervalMs\":" + std::to_string(report.intervalMs);
    field(out, "participants");
    out.push_back('[');
    for (std::size_t i = 0; i < report.participants.size(); ++i) {
        const auto& p = report.participants[i];
        if (i) out.push_back(',');
        openAbout(out, "id", p.participant, nameOf);
        text(out, "transport", p.state);
        text(out, "remoteAddress", p.remoteAddress);
        text(out, "protocol", p.protocol);
        counter(out, "packetsIn", p.packetsIn);
        counter(out, "packetsOut", p.packetsOut);
        counter(out, "bytesIn", p.bytesIn);
        counter(out, "bytesOut", p.bytesOut);
        measured(out, "rttMs", p.rttMs);
        out.push_back('}');
    }
    out.push_back(']');
    field(out, "streams");
    out.push_back('[');
    for (std::size_t i = 0; i < report.streams.size(); ++i) {
        const auto& s = report.streams[i];
        if (i) out.push_back(',');
        openAbout(out, "publisher", s.publisher, nameOf);
        text(out, "source", s.source);
        text(out, "kind", s.kind);
        counter(out, "ssrc", s.ssrc);
        counter(out, "packets", s.packets);
        counter(out, "bytes", s.bytes);
        counter(out, "bitsPerSecond", s.bitsPerSecond);
        counter(out, "keyframeRequestsSent", s.keyframeRequestsSent);
        counter(out, "subscribers", s.subscribers);
        measured(out, "lossPercent", s.lossPercent);
        measured(out, "jitterMs", s.jitterMs);
        field(out, "subscriptions");
        out.push_back('[');
        for (std::size_t j = 0; j < s.subscriptions.size(); ++j) {
            const auto& sub = s.subscriptions[j];
            if (j) out.push_back(',');
            openAbout(out, "subscriber", sub.subscriber, nameOf);
            counter(out, "ssrc", sub.ssrc);
            counter(out, "packets", sub.packets);
            counter(out, "bytes", sub.bytes);
            counter(out, "bitsPerSecond", sub.bitsPerSecond);
            counter(out, "nacks", sub.nacksReceived);
            counter(out, "retransmitted", sub.retransmitted);
            counter(out, "plis", sub.plisReceived);
            counter(out, "firs", sub.firsReceived);
            measured(out, "lossPercent", sub.lossPercent);
            measured(out, "rttMs", sub.rttMs);
            out.push_back('}');
        }
        out += "]}";
    }
    out += "]}";
    return out;
}

std::string encodeMediaReport(std::string_view req, const core::RoomId& room, const core::MediaReport& report,
                              const NameOf& nameOf) {
    std::string out = head("media-report");
    appendReq(out, req);
    text(out, "room", room);
    field(out, "media");
    out += encodeMediaChain(report, nameOf);
    out.push_back('}');
    return out;
}

std::string encodeRoomElsewhere(std::string_view req, std::string_view room, std::string_view url) {
    std::string out = head("error");
    appendReq(out, req);
    text(out, "code", core::toString(core::ErrorCode::RoomElsewhere));
    text(out, "message", "This room is held by another server of this service: join it there");
    text(out, "room", room);
    text(out, "url", url);
    out.push_back('}');
    return out;
}

std::string encodeMediaAnswer(std::string_view req, const core::MediaAnswer& answer) {
    std::string out = head("media-answer");
    appendReq(out, req);
    text(out, "sdp", answer.sdp);
    field(out, "tracks");
    out.push_back('[');
    bool first = true;
    for (const auto& track : answer.tracks) {
        if (!first) out.push_back(',');
        first = false;
        out += "{\"mid\":";
        appendJsonString(out, track.mid);
        text(out, "from", track.from);
        text(out, "source", track.source);
        out.push_back('}');
    }
    out += "]}";
    return out;
}

std::string encodeOk(std::string_view req) {
    std::string out = head("ok");
    appendReq(out, req);
    out.push_back('}');
    return out;
}

std::string encodePong(std::string_view req, std::string_view t, std::int64_t serverTimeMs) {
    std::string out = head("pong");
    appendReq(out, req);
    if (!t.empty()) {
        field(out, "t");
        out += t;
    }
    number(out, "serverTime", serverTimeMs);
    out.push_back('}');
    return out;
}

std::string encodeError(std::string_view req, core::ErrorCode code, std::string_view message,
                        std::string_view fieldName, std::optional<std::int64_t> retryAfterMs) {
    std::string out = head("error");
    appendReq(out, req);
    text(out, "code", core::toString(code));
    text(out, "message", message);
    if (!fieldName.empty()) text(out, "field", fieldName);
    if (retryAfterMs) number(out, "retryAfterMs", *retryAfterMs);
    out.push_back('}');
    return out;
}

}  // namespace parley::protocol

#include "peer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <stdexcept>

namespace parley::itest {

namespace {

// Replies answer a request and carry no seq; everything else the server sends is an event
// with seq (protocol.md, "Events and sequence numbers"). `joined` is both: the reply to a join,
// and an event when someone waiting in line is let in.
const std::set<std::string, std::less<>> kReplyTypes = {"joined", "waiting", "resumed",     "ok",
                                                        "error",  "pong",    "media-answer", "trace",
                                                        "media-report"};

}  // namespace

json::object mediaJson(const Media& media) {
    return {{"mic", media.mic}, {"cam", media.cam}, {"screen", media.screen}};
}

std::string uniqueRoom(std::string_view prefix) {
    static std::atomic<int> counter{0};
    return std::string(prefix) + "-" + std::to_string(getpid()) + "-" + std::to_string(++counter);
}

const json::value& field(const json::object& message, std::string_view key) {
    if (auto it = message.find(key); it != message.end()) return it->value();
    throw std::runtime_error("no field '" + std::string(key) + "' in " + json::serialize(message));
}

std::string str(const json::object& message, std::string_view key) {
    const auto& value = field(message, key);
    if (!value.is_string()) {
        throw std::runtime_error("field '" + std::string(key) + "' is not a string in " +
                                 json::serialize(message));
    }
    return std::string(value.get_string());
}

Peer::Peer(std::uint16_t port, std::string_view from) : socket_(port, "/ws", from) {}
Peer::Peer(std::uint16_t port, std::string_view from, const WsClient::Headers& headers)
    : socket_(port, "/ws", from, headers) {}

void Peer::send(const json::object& message) { socket_.sendText(json::serialize(message)); }

json::object Peer::next(std::chrono::milliseconds limit) {
    const Incoming in = socket_.read(limit);
    if (in.kind != Incoming::Kind::Text) {
        throw std::runtime_error("expected a text frame, got " + in.describe());
    }
    boost::system::error_code ec;
    json::value value = json::parse(in.payload, ec);
    if (ec || !value.is_object()) throw std::runtime_error("server sent a non-object: " + in.payload);
    json::object message = std::move(value.as_object());
    checkSeq(message);
    return message;
}

void Peer::checkSeq(const json::object& message) {
    const auto* type = message.if_contains("type");
    if (!type || !type->is_string()) {
        ADD_FAILURE() << "server message without a string type: " << json::serialize(message);
        return;
    }
    const bool isReplyType = kReplyTypes.contains(type->get_string());
    const auto* seq = message.if_contains("seq");
    if (!seq) {
        EXPECT_TRUE(isReplyType) << "an event without seq: " << json::serialize(message);
        // A new participant (or one newly in line) counts its events from 1.
        if (type->get_string() == "joined" || type->get_string() == "waiting") lastSeq_ = 0;
        return;
    }
    EXPECT_TRUE(!isReplyType || type->get_string() == "joined")
        << "a reply carries seq: " << json::serialize(message);
    if (!seq->is_int64()) {
        ADD_FAILURE() << "seq is not an integer: " << json::serialize(message);
        return;
    }
    const auto value = static_cast<std::uint64_t>(seq->as_int64());
    EXPECT_EQ(value, lastSeq_ + 1) << "seq gap or repeat in " << json::serialize(message);
    lastSeq_ = value;
}

json::object Peer::expect(std::string_view type, std::chrono::milliseconds limit) {
    json::object message = next(limit);
    if (str(message, "type") != type) {
        throw std::runtime_error("expected '" + std::string(type) + "', got " + json::serialize(message));
    }
    return message;
}

json::object Peer::request(json::object message) {
    const std::int64_t req = nextReq_++;
    message["req"] = req;
    send(message);
    json::object reply = next();
    const auto* echoed = reply.if_contains("req");
    EXPECT_TRUE(echoed && *echoed == json::value(req))
        << "reply does not echo req " << req << ": " << json::serialize(reply);
    return reply;
}

json::object Peer::expectRefusal(json::object message, std::string_view code) {
    const std::string sent = json::serialize(message);
    json::object reply = request(std::move(message));
    if (str(reply, "type") != "error") {
        throw std::runtime_error("expected error '" + std::string(code) + "' for " + sent + ", got " +
                                 json::serialize(reply));
    }
    EXPECT_EQ(str(reply, "code"), code) << "for " << sent << " got " << json::serialize(reply);
    EXPECT_TRUE(reply.contains("message")) << json::serialize(reply);
    return reply;
}

json::object Peer::join(std::string_view room, std::string_view name, const Media& media) {
    json::object reply = request({{"type", "join"},
                                  {"v", 1},
                                  {"room", room},
                                  {"name", name},
                                  {"media", mediaJson(media)}});
    if (str(reply, "type") != "joined") {
        throw std::runtime_error("join " + std::string(room) + " refused: " + json::serialize(reply));
    }
    id_ = str(field(reply, "you").as_object(), "id");
    resumeToken_ = str(reply, "resumeToken");
    return reply;
}

json::object Peer::resume(std::string_view token, std::uint64_t lastSeq) {
    lastSeq_ = lastSeq;  // replayed events continue from here
    json::object reply =
        request({{"type", "resume"}, {"token", token}, {"lastSeq", static_cast<std::int64_t>(lastSeq)}});
    if (str(reply, "type") != "resumed") {
        throw std::runtime_error("resume refused: " + json::serialize(reply));
    }
    id_ = str(reply, "you");
    resumeToken_ = std::string(token);
    return reply;
}

json::object Peer::resumeSnapshot(std::string_view token) {
    json::object reply = request({{"type", "resume"}, {"token", token}, {"snapshot", true}});
    if (str(reply, "type") != "resumed") {
        throw std::runtime_error("snapshot resume refused: " + json::serialize(reply));
    }
    lastSeq_ = static_cast<std::uint64_t>(field(reply, "lastSeq").as_int64());  // events go on from here
    id_ = str(reply, "you");
    resumeToken_ = std::string(token);
    return reply;
}

json::object Peer::tryResume(json::object message) {
    const std::string token = str(message, "token");
    json::object reply = request(message);
    if (str(reply, "type") != "resumed") return reply;
    // A snapshot stands for every event up to the reply's lastSeq; a replay follows the client's.
    lastSeq_ = static_cast<std::uint64_t>(
        reply.contains("snapshot") ? field(reply, "lastSeq").as_int64() : field(message, "lastSeq").as_int64());
    id_ = str(reply, "you");
    resumeToken_ = token;
    return reply;
}

void Peer::expectNothingPending() {
    const std::int64_t req = nextReq_++;
    send({{"type", "ping"}, {"req", req}, {"t", req}});
    json::object reply = next();
    if (str(reply, "type") != "pong" || reply["req"] != json::value(req)) {
        throw std::runtime_error("expected only the pong for req " + std::to_string(req) + ", got " +
                                 json::serialize(reply));
    }
}

}  // namespace parley::itest

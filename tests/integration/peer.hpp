#pragma once
// A signaling participant as a test sees it: JSON in and out over one WebSocket, with the
// protocol's invariants (seq numbering, req echo) checked on every message it reads.
#include <boost/json.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "ws_client.hpp"

namespace parley::itest {

namespace json = boost::json;

struct Media {
    bool mic = false;
    bool cam = false;
    bool screen = false;
};

json::object mediaJson(const Media& media);

// A room id no other test of this process uses.
std::string uniqueRoom(std::string_view prefix);

class Peer {
public:
    // `from`: the local address to connect from (127.0.0.2 looks like another client).
    explicit Peer(std::uint16_t port, std::string_view from = "127.0.0.1");
    // With extra upgrade headers (X-Forwarded-For, Origin, Host).
    Peer(std::uint16_t port, std::string_view from, const WsClient::Headers& headers);

    // join with v=1; expects `joined` (not `waiting`) and remembers the participant id and
    // resume token. Throws otherwise.
    json::object join(std::string_view room, std::string_view name, const Media& media = {});
    // Takes a dropped participant's place on this connection; expects `resumed`.
    json::object resume(std::string_view token, std::uint64_t lastSeq);
    // A resume from a client that kept nothing (a reloaded page); expects `resumed` with a
    // snapshot and continues numbering from its lastSeq.
    json::object resumeSnapshot(std::string_view token);
    // Sends a resume as given (any fields) and returns the reply, whatever it is; if it is
    // `resumed`, this peer takes the place and counts events on from where the reply says.
    json::object tryResume(json::object message);
    // Sends `message` with a fresh integer req and returns the reply, checking it echoes req.
    json::object request(json::object message);
    // request() expecting an `error` with `code`; returns the error.
    json::object expectRefusal(json::object message, std::string_view code);

    void send(const json::object& message);
    void sendRaw(std::string_view text) { socket_.sendText(text); }

    // The next frame as a JSON object; throws on timeout, close or a non-object frame.
    json::object next(std::chrono::milliseconds limit = kReplyTimeout);
    // next(), which must have `type`.
    json::object expect(std::string_view type, std::chrono::milliseconds limit = kReplyTimeout);
    // A ping round trip whose pong must be the very next frame: proves nothing else was
    // queued for this peer (no stray event, no second reply) and the connection still works.
    void expectNothingPending();

    const std::string& id() const { return id_; }
    const std::string& resumeToken() const { return resumeToken_; }
    std::uint64_t lastSeq() const { return lastSeq_; }
    WsClient& socket() { return socket_; }

private:
    void checkSeq(const json::object& message);

    WsClient socket_;
    std::string id_;
    std::string resumeToken_;
    std::int64_t nextReq_ = 1;
    std::uint64_t lastSeq_ = 0;
};

// Convenience accessors that throw with the whole message when a field is missing.
const json::value& field(const json::object& message, std::string_view key);
std::string str(const json::object& message, std::string_view key);

}  // namespace parley::itest

#pragma once
// How one server family spells the same workload: parley's protocol v1 or Socket.IO v5 over
// Engine.IO v4 on a raw WebSocket. The connection logic is shared; only the words differ.
#include <memory>
#include <string>
#include <string_view>

#include "stamp.hpp"

namespace parley::bench {

struct Incoming {
    enum class Kind {
        Other,       // events the load does not act on (participant-joined, pong, ...)
        Open,        // Engine.IO handshake: answer with connectReply()
        Connected,   // ready to join; `id` may name this socket (Socket.IO)
        Joined,      // the join succeeded; `id` is this participant's id when the server sent one
        Relay,       // a relayed candidate carrying a stamp
        Ping,        // the server probes liveness: answer with pingReply()
        Error,       // the server refused something; `id` holds the frame for diagnosis
        Redirect,    // the room lives on another node (parley's room-elsewhere): `id` is its URL
        Retry,       // join again after `retryAfterMs` (parley's room-moving: its node is gone)
    };
    Kind kind = Kind::Other;
    std::string id;
    RelayStamp stamp;
    std::uint32_t retryAfterMs = 0;
    std::string resumeToken;  // Joined: what `resume` needs after the connection is lost
};

class Dialect {
public:
    virtual ~Dialect() = default;
    virtual std::string_view name() const = 0;
    virtual std::string_view path() const = 0;
    // True when the socket may join as soon as the WebSocket handshake completes.
    virtual bool readyOnHandshake() const = 0;
    virtual std::string connectReply() const { return {}; }
    virtual std::string pingReply() const { return {}; }
    // Empty when the server, not the client, drives liveness.
    virtual std::string keepalive() const { return {}; }
    virtual std::string join(std::string_view room, std::string_view name) const = 0;
    virtual void appendRelay(std::string& out, std::string_view to, const RelayStamp& stamp,
                             std::size_t padding) const = 0;
    virtual Incoming classify(std::string_view frame) const = 0;
};

std::unique_ptr<Dialect> makeParleyDialect();
std::unique_ptr<Dialect> makeSocketIoDialect();

}  // namespace parley::bench

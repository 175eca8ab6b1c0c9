#pragma once
// The open WebSocket sessions, by SessionId: where the Gateway's frames go. Like everything
// in the server it lives on the single io_context thread, so it needs no locks.
#include <chrono>
#include <functional>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "net/close_reason.hpp"
#include "protocol/gateway.hpp"

namespace parley::net {

using protocol::Frame;
using protocol::SessionId;

// What the registry needs from a WebSocket session.
class WebSocketPeer {
public:
    virtual ~WebSocketPeer() = default;
    // Queue a text frame; the session drops it if it is closing.
    virtual void deliver(Frame frame) = 0;
    // Start the close handshake (idempotent). `reason.text` is copied before this returns.
    virtual void close(CloseReason reason) = 0;
    // Cut the connection with no close handshake, as a network failure would (test hooks).
    virtual void drop() = 0;
    // Stop reading and writing, leaving the connection open: a network path that went dead
    // without a reset, as when a phone moves from Wi-Fi to LTE (test hooks).
    virtual void stall() {}
    // Time-based rules (idle timeout, a close handshake that never ends), checked a few times
    // a second for every session instead of one timer each. Sessions with their own timers
    // (Beast's, over TLS) ignore it.
    virtual void sweep(std::chrono::steady_clock::time_point now) { (void)now; }
};

class SessionRegistry final : public protocol::Outbound {
public:
    SessionId nextSessionId() { return ++lastSessionId_; }

    void add(SessionId id, std::weak_ptr<WebSocketPeer> peer);
    void remove(SessionId id);

    // protocol::Outbound: frames for a session that is already gone are dropped.
    void send(SessionId to, Frame frame) override;
    // protocol::Outbound: the Gateway retires a socket (e.g. 4002 when its participant resumed
    // elsewhere). Only starts the close handshake, so it never re-enters the Gateway.
    void close(SessionId session, std::uint16_t code, std::string_view reason) override;

    void closeAll(CloseReason reason);
    void sweep(std::chrono::steady_clock::time_point now);
    // Cuts a session's connection without a close handshake (the --test-hooks drop).
    void drop(SessionId session);
    void stall(SessionId session);
    std::size_t size() const { return peers_.size(); }

    // Calls `callback` once, as soon as no session is left (now, if none is).
    void whenEmpty(std::function<void()> callback);

private:
    SessionId lastSessionId_ = 0;
    std::unordered_map<SessionId, std::weak_ptr<WebSocketPeer>> peers_;
    std::function<void()> whenEmpty_;
};

}  // namespace parley::net

#pragma once
// The protocol endpoint of the server: decodes client frames, drives core::Rooms, and turns
// replies and events into frames for the transport. Transport-agnostic and single-threaded:
// the net layer calls it from one thread (or strand) only.
#include <memory>
#include <string>
#include <string_view>

#include "core/rooms.hpp"
#include "protocol/encoder.hpp"
#include "protocol/messages.hpp"

namespace parley::protocol {

using SessionId = core::SessionId;
using Frame = std::shared_ptr<const std::string>;

// Implemented by the transport: queue one text frame for a session. Broadcasts share the frame.
class Outbound {
public:
    virtual ~Outbound() = default;
    virtual void send(SessionId to, Frame frame) = 0;
};

struct GatewayConfig {
    std::string serverName = "parley/0.1.0";
    std::string iceServersJson = "[]";  // JSON array handed to clients as is
};

class Gateway final : private core::Rooms::Listener {
public:
    Gateway(core::RoomsConfig rooms, GatewayConfig config, const core::Clock& clock,
            core::IdSource& ids, Outbound& out);

    void onText(SessionId session, std::string_view text);
    void onBinary(SessionId session);
    // The socket is gone (closed, timed out, or dropped by the transport).
    void onDisconnect(SessionId session);

    // Timers (session length, slots): the transport calls tick() at or after nextDueMs()
    // (wall-clock ms, as Clock::nowMs), or simply a few times a second.
    void tick() { rooms_.tick(); }
    std::optional<std::int64_t> nextDueMs() const { return rooms_.nextDueMs(); }

    const core::Rooms& rooms() const { return rooms_; }

private:
    void onEvent(SessionId to, std::uint64_t seq, const core::Event& event) override;
    void onRelay(const core::RelayTrace& trace) override;
    void handle(SessionId session, const std::string& req, Message& message);
    JoinedInfo context() const;

    GatewayConfig config_;
    const core::Clock& clock_;
    Outbound& out_;
    core::Rooms rooms_;
};

}  // namespace parley::protocol

#pragma once
// The protocol endpoint of the server: decodes client frames, drives core::Rooms, and turns
// replies and events into frames for the transport. Transport-agnostic and single-threaded:
// the net layer calls it from one thread (or strand) only.
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "core/media_signaling.hpp"
#include "core/room_locator.hpp"
#include "core/flood_guard.hpp"
#include "core/rooms.hpp"
#include "protocol/encoder.hpp"
#include "protocol/ice_servers.hpp"
#include "protocol/messages.hpp"
#include "protocol/metrics.hpp"
#include "protocol/replay_logs.hpp"

#include <unordered_map>

namespace parley::protocol {

using SessionId = core::SessionId;
using Frame = std::shared_ptr<const std::string>;

// Implemented by the transport: queue one text frame for a session. Broadcasts share the frame.
class Outbound {
public:
    virtual ~Outbound() = default;
    virtual void send(SessionId to, Frame frame) = 0;
    // Close a socket that no longer speaks for anyone (its participant resumed elsewhere).
    // Must not call back into the Gateway synchronously.
    virtual void close(SessionId session, std::uint16_t code, std::string_view reason) {
        (void)session, (void)code, (void)reason;
    }
};

// Close codes the gateway asks for (docs/protocol.md, "Close codes").
inline constexpr std::uint16_t kCloseReplaced = 4002;
inline constexpr std::uint16_t kCloseFlooding = 4003;

struct GatewayConfig {
    std::string serverName = "parley/0.1.0";
    IceConfig ice;                      // STUN/TURN for browsers; TURN credentials minted per join
    std::string tokenSecret;            // HS256 secret for room tokens; empty: tokens unused
    bool requireToken = false;          // every join needs a valid token
    core::MessageRateLimit messageRate;  // per connection: rate-limited, then close 4003
    ReplayBudget replay;                 // bytes of unacknowledged frames kept for resumes
};

class Gateway final : private core::Rooms::Listener {
public:
    Gateway(core::RoomsConfig rooms, GatewayConfig config, const core::Clock& clock,
            core::IdSource& ids, Outbound& out);

    // A new connection from `address` (the client's IP address, as text): its seats and the
    // rooms it opens count against that address.
    void onOpen(SessionId session, std::string address);
    void onText(SessionId session, std::string_view text);
    void onBinary(SessionId session);
    // A ping or pong frame: it counts against the message rate like any message. True when the
    // transport should answer it (a ping's pong); false when it was over the rate (dropped,
    // unanswered) or the connection is being closed for flooding.
    bool onControl(SessionId session);
    // The socket is gone (closed, timed out, or dropped by the transport). The participant
    // keeps its place for the resume grace period.
    void onDisconnect(SessionId session);

    // Timers (session length, slots): the transport calls tick() at or after nextDueMs()
    // (wall-clock ms, as Clock::nowMs), or simply a few times a second.
    void tick() { rooms_.tick(); }
    std::optional<std::int64_t> nextDueMs() const { return rooms_.nextDueMs(); }

    const core::Rooms& rooms() const { return rooms_; }
    // Per-address limits across a cluster (core::Rooms::setUsageElsewhere).
    void setUsageElsewhere(core::UsageElsewhere elsewhere) { rooms_.setUsageElsewhere(std::move(elsewhere)); }

    // Seams for components beside the signaling (a forwarding server, the cluster): the rooms'
    // facts, once each (core/room_observer.hpp), and numbered events to one participant,
    // encoded, kept for its resume and delivered like every other event.
    void addObserver(core::RoomObserver& observer) { rooms_.addObserver(observer); }
    void removeObserver(core::RoomObserver& observer) { rooms_.removeObserver(observer); }
    bool sendEvent(const core::ParticipantId& to, const core::Event& event) { return rooms_.send(to, event); }
    // A room carried on from another node's snapshot (core::Rooms::restore): its people resume
    // here with the tokens they have, each with a snapshot `resumed`.
    std::optional<core::SnapshotError> restoreRoom(const core::RoomSnapshot& snapshot) {
        return rooms_.restore(snapshot);
    }
    // Who answers media-offer and media-answer (a forwarding server); without one, both get
    // not-forwarded. Must outlive the gateway or be reset first.
    void setMediaSignaling(core::MediaSignaling* signaling) { mediaSignaling_ = signaling; }
    // Where rooms live in a cluster: a join for a room not open here waits for its answer, and
    // is sent on (room-elsewhere) when the room is another node's. Without one (a single
    // node) every room is here. Must outlive the gateway or be reset first.
    void setRoomLocator(core::RoomLocator* locator) { locator_ = locator; }
    const Counters& counters() const { return counters_; }
    // Prometheus text for everything the gateway knows (the transport adds its own).
    void appendMetrics(std::string& out) const;
    // A room's whole trace for operators (admin endpoint); nullopt if no such room.
    std::optional<std::string> traceOf(const core::RoomId& room) const;

private:
    // media-offer and media-answer, to the forwarding server.
    template <class Conclude>
    void mediaReport(SessionId session, const std::string& req, Conclude& conclude);
    template <class Body, class Conclude>
    void mediaExchange(SessionId session, const std::string& req, Body& body, Conclude& conclude);
    void onEvent(std::optional<SessionId> session, const core::ParticipantId& to, std::uint64_t seq,
                 const core::Event& event) override;
    void onRelay(const core::RelayTrace& trace) override;
    void onGone(const core::ParticipantId& id) override { replay_.erase(id); }
    // Per connection: its flood guard and client address.
    struct Connection {
        core::FloodGuard guard;
        std::string address;
    };
    Connection& connection(SessionId session);
    const std::string& addressOf(SessionId session);
    void resume(SessionId session, const std::string& req, const Resume& resume);
    void handle(SessionId session, const std::string& req, Message& message);
    // What `joined` needs besides the room; its iceServers point into `iceServers`.
    JoinedInfo context(const core::ParticipantId& to, std::string& iceServers) const;
    // The flood guard's say on one more message from `session`: true to handle it. Otherwise
    // it has answered rate-limited (echoing `req`) or asked the transport to close the socket.
    bool admit(SessionId session, const std::string& req);
    core::FloodGuard::Verdict rate(SessionId session);
    // The resumed reply with a snapshot (a reloaded page, or a replay that could not be exact:
    // `fallback`).
    void sendSnapshot(SessionId session, const std::string& req, const core::Resumed& resumed,
                      bool fallback);
    // Joins (or queues) the session and sends the reply.
    void join(SessionId session, const std::string& req, Join& body, const core::Credentials& credentials);
    // The locator's answer for a join that waited for it.
    // room-elsewhere or room-moving, as the locator said, for a join or a resume.
    void notHere(SessionId session, const std::string& req, const core::RoomId& room, const core::RoomLocation& where);
    void located(SessionId session, const std::string& req, Join& body, const core::Credentials& credentials,
                 const core::RoomLocation& where);
    // Verifies a join's token (if any) and fills what it grants.
    core::Outcome checkToken(Join& join, core::Credentials& credentials) const;

    GatewayConfig config_;
    const core::Clock& clock_;
    Outbound& out_;
    ReplayLogs replay_;
    std::unordered_map<SessionId, Connection> connections_;
    Counters counters_;
    core::MediaSignaling* mediaSignaling_ = nullptr;
    core::RoomLocator* locator_ = nullptr;
    std::set<SessionId> locating_;  // sessions whose join waits for the locator
    core::Rooms rooms_;
};

}  // namespace parley::protocol

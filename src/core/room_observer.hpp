#pragma once
// Facts about the rooms, each reported once (events go to every recipient; a fact goes once to
// each observer): for components that follow the rooms' life rather than carry their
// messages — a forwarding server (whose media to route to whom), the cluster (a room's durable
// state), metrics. Several observers may watch at once (Rooms::addObserver). Observers must not
// call back into Rooms from these calls.
#include "core/events.hpp"
#include "core/participant.hpp"
#include "core/topology.hpp"

namespace parley::core {

class RoomObserver {
public:
    virtual ~RoomObserver() = default;
    virtual void roomOpened(const RoomId& room) { (void)room; }
    // Someone is in the room now (entered at once, let in from the line, or by a host token).
    virtual void admitted(const RoomId& room, const ParticipantInfo& who) { (void)room, (void)who; }
    virtual void left(const RoomId& room, const ParticipantId& id, LeaveReason reason) {
        (void)room, (void)id, (void)reason;
    }
    // Microphone, camera or screen on or off, by the person or by the host (mute).
    virtual void mediaChanged(const RoomId& room, const ParticipantId& id, const MediaState& media) {
        (void)room, (void)id, (void)media;
    }
    virtual void roleChanged(const RoomId& room, const ParticipantId& id, Role role) {
        (void)room, (void)id, (void)role;
    }
    // Their signaling connection dropped (they keep their place for the grace period) or came
    // back; `rebuild`: without their peer connections (a reloaded page).
    virtual void connectionChanged(const RoomId& room, const ParticipantId& id, bool connected, bool rebuild) {
        (void)room, (void)id, (void)connected, (void)rebuild;
    }
    // The room moved between peer to peer and forwarded (it starts as the policy says for one
    // person; this reports changes after that).
    virtual void topologyChanged(const RoomId& room, Topology topology) { (void)room, (void)topology; }
    // The meeting ended for everyone in it (host, session timer); `left` follows for none of them.
    virtual void ended(const RoomId& room, EndReason reason) { (void)room, (void)reason; }
    virtual void roomClosed(const RoomId& room) { (void)room; }
    // Something durable about the room changed (room_snapshot.hpp says what is): once per
    // command that changed it, after the command, while the room still exists (a command that
    // empties the room reports roomClosed instead). A cluster writes Rooms::snapshot(room) on
    // this; connections coming and going, relays and pure reads do not report it. Reading
    // Rooms::snapshot(room) from this call is safe (the command is over; it changes nothing).
    virtual void roomChanged(const RoomId& room) { (void)room; }
};

}  // namespace parley::core

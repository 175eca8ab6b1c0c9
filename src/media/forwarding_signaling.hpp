#pragma once
// The server's side of negotiation in forwarded rooms, on the signaling thread: it answers each
// participant's `media-offer` (what they publish, on the one connection they have to the
// server), offers them everyone else's tracks (`media-offer` events, again whenever someone
// starts or stops a track, comes or goes), applies their `media-answer`s, and tells the media
// plane what to forward to whom. The server yields in glare: a participant's offer is answered
// even while the server's own waits, and the server offers again afterwards.
//
// It follows the rooms as an observer (who left, which rooms are forwarded) and sends its
// events through `send`, so they are numbered and replayed like every other event.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/events.hpp"
#include "core/media_signaling.hpp"
#include "core/room_observer.hpp"
#include "core/topology.hpp"
#include "media/ice_credentials.hpp"
#include "media/media_plane.hpp"
#include "media/sdp.hpp"
#include "media/sdp_negotiator.hpp"

namespace parley::media {

class ForwardingSignaling final : public core::RoomObserver, public core::MediaSignaling {
public:
    using Send = std::function<bool(const core::ParticipantId&, const core::Event&)>;
    // Runs a task after the current message has been handled (on the signaling thread), so a
    // server offer never overtakes the reply to the participant's own offer.
    using Defer = std::function<void(std::function<void()>)>;

    ForwardingSignaling(MediaPlane& plane, core::TopologyPolicy policy, Send send, Defer defer);

    std::variant<std::string, core::Refusal> offer(const core::RoomId& room, const core::ParticipantId& who,
                                                   std::string_view sdp,
                                                   const std::vector<core::MediaTrackSource>& tracks) override;
    core::Outcome answer(const core::RoomId& room, const core::ParticipantId& who, std::uint64_t version,
                         std::string_view sdp) override;
    std::variant<core::MediaReport, core::Refusal> mediaReport(const core::RoomId& room) const override;

    void roomOpened(const core::RoomId& room) override;
    void topologyChanged(const core::RoomId& room, core::Topology topology) override;
    void left(const core::RoomId& room, const core::ParticipantId& id, core::LeaveReason reason) override;
    void ended(const core::RoomId& room, core::EndReason reason) override;
    void roomClosed(const core::RoomId& room) override;

    // For diagnostics and tests: what the server sends a participant, as of their last answer.
    std::size_t sendingTo(const core::ParticipantId& who) const;

private:
    struct Published {
        std::string mid;
        std::string source;
        SdpMediaKind kind = SdpMediaKind::Audio;
        PublishedStream stream;
    };
    struct Sent {
        std::string from;
        std::string source;
        std::uint32_t sourceSsrc = 0;
        OutgoingTrack track;  // mid, the outgoing SSRC, msid
        std::uint8_t payloadType = 0;
    };
    struct Peer {
        core::RoomId room;
        IceCredentials serverIce;
        std::uint16_t port = 0;
        // The browser's ICE ufrag the transport was opened for; empty while there is none (a
        // browser that sends nothing offers no m-section, and its ICE starts with its answer).
        std::string remoteUfrag;
        std::uint64_t sessionVersion = 0;
        SessionDescription server;   // the server's side of the last completed exchange
        SessionDescription browser;  // the browser's side of it
        std::vector<Published> published;
        std::vector<Sent> sending;  // as of the last completed exchange
        // The server's offer waiting for its answer.
        std::uint64_t offerVersion = 0;
        std::optional<SessionDescription> pendingOffer;
        std::vector<Sent> pendingSending;
        bool offerAgain = false;     // something changed while an offer was out
        bool offerScheduled = false;  // offerTo() is deferred already
    };

    ServerTransportParams paramsFor(Peer& peer);
    std::vector<Published> publishedIn(const SessionDescription& offer,
                                       const std::vector<core::MediaTrackSource>& tracks,
                                       const core::ParticipantId& who) const;
    std::vector<Sent> wantedBy(const core::ParticipantId& who, const Peer& peer);
    void scheduleOffer(const core::ParticipantId& who);
    void offerTo(const core::ParticipantId& who);
    // After a new transport replaced the old one (an ICE restart): the media plane dropped
    // what went through the old one, so it is set up again.
    void restore(const core::ParticipantId& who);
    void offerToOthers(const core::RoomId& room, const core::ParticipantId& except);
    void applySending(Peer& peer, const core::ParticipantId& who, std::vector<Sent> now);
    void forget(const core::ParticipantId& who);
    // Opens (or, after an ICE restart, replaces) the participant's transport when `description`
    // (their offer or answer) names other ICE credentials than the transport has. False when it
    // has none to use.
    bool ensureTransport(const core::ParticipantId& who, Peer& peer, const SessionDescription& description);
    std::uint32_t outgoingSsrc(const core::ParticipantId& subscriber, std::uint32_t sourceSsrc);

    MediaPlane& plane_;
    core::TopologyPolicy policy_;
    Send send_;
    Defer defer_;
    std::unordered_map<core::RoomId, core::Topology> rooms_;
    std::map<core::ParticipantId, Peer> peers_;
    // One outgoing SSRC per (subscriber, published stream), stable while both stay.
    std::map<std::pair<core::ParticipantId, std::uint32_t>, std::uint32_t> ssrcs_;
    std::uint32_t nextSsrc_ = 0x10000;
};

}  // namespace parley::media

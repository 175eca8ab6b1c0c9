#pragma once
// The server's side of negotiation in forwarded rooms, on the signaling thread: it answers each
// participant's `media-offer` (what they publish, on the one connection they have to the
// server), offers them everyone else's tracks (`media-offer` events, again whenever someone
// starts or stops a track, comes or goes), applies their `media-answer`s, and tells the media
// plane what to forward to whom. The server yields in glare: a participant's offer is answered
// even while the server's own waits, and the server offers again afterwards.
//
// It follows the rooms as an observer (who left, which rooms are forwarded) and sends its
// events through `send`, so they are numbered and replayed like every other event: among them
// `active-speaker`, when the media plane reports a new one (MediaPlaneListener).
//
// Each participant may say which videos they show (`visible-videos`); the others' videos are
// paused for them (RoomRouter::setPaused) until shown. Until they say, everything is sent.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
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

class ForwardingSignaling final : public core::RoomObserver,
                                  public core::MediaSignaling,
                                  public MediaPlaneListener {
public:
    using Send = std::function<bool(const core::ParticipantId&, const core::Event&)>;
    // Runs a task after the current message has been handled (on the signaling thread), so a
    // server offer never overtakes the reply to the participant's own offer.
    using Defer = std::function<void(std::function<void()>)>;

    ForwardingSignaling(MediaPlane& plane, core::TopologyPolicy policy, Send send, Defer defer);

    std::variant<core::MediaAnswer, core::Refusal> offer(const core::RoomId& room, const core::ParticipantId& who,
                                                   std::string_view sdp,
                                                   const std::vector<core::MediaTrackSource>& tracks) override;
    core::Outcome answer(const core::RoomId& room, const core::ParticipantId& who, std::uint64_t version,
                         std::string_view sdp) override;
    core::Outcome visibleVideos(const core::RoomId& room, const core::ParticipantId& who,
                                const std::vector<core::VisibleVideo>& videos) override;

    void activeSpeakerChanged(const std::string& room, const std::string& participant) override;
    void transportClosed(const std::string& room, const std::string& participant,
                         const CertificateFingerprint& remoteFingerprint) override;
    std::variant<core::MediaReport, core::Refusal> mediaReport(const core::RoomId& room) const override;

    void roomOpened(const core::RoomId& room) override;
    void topologyChanged(const core::RoomId& room, core::Topology topology) override;
    void admitted(const core::RoomId& room, const core::ParticipantInfo& who) override;
    void mediaChanged(const core::RoomId& room, const core::ParticipantId& id, const core::MediaState& media) override;
    void left(const core::RoomId& room, const core::ParticipantId& id, core::LeaveReason reason) override;
    void ended(const core::RoomId& room, core::EndReason reason) override;
    void roomClosed(const core::RoomId& room) override;

    // For diagnostics and tests: what the server sends a participant, as of their last answer.
    std::size_t sendingTo(const core::ParticipantId& who) const;
    // How many of what the server sends them are paused (videos they do not show).
    std::size_t pausedFor(const core::ParticipantId& who) const;

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
        OutgoingTrack track;  // mid, the outgoing SSRC (and RTX SSRC for video), msid
        std::uint8_t payloadType = 0;
        // The RTX payload type offered for the codec; 0 once the browser's answer left rtx out.
        std::uint8_t rtxPayloadType = 0;
        bool paused = false;  // as the media plane was last told
    };
    struct Peer {
        core::RoomId room;
        IceCredentials serverIce;
        std::uint16_t port = 0;
        // The browser's ICE ufrag the transport was opened for; empty while there is none (a
        // browser that sends nothing offers no m-section, and its ICE starts with its answer).
        std::string remoteUfrag;
        // The browser's DTLS certificate the transport was opened for: the same one in an offer
        // with new ICE credentials is an ICE restart of the same connection, a new one is a
        // new connection (a reloaded page).
        std::optional<CertificateFingerprint> remoteFingerprint;
        // The media plane dropped that connection's transport (it closed by itself: consent
        // lost, DTLS over). The browser keeps its DTLS session through an ICE restart, so only a
        // new connection (another certificate) can carry media again: offers and answers on
        // the old one are refused with media-connection-lost until it comes.
        bool transportLost = false;
        std::uint64_t sessionVersion = 0;
        SessionDescription server;   // the server's side of the last completed exchange
        SessionDescription browser;  // the browser's side of it
        std::vector<Published> published;
        std::vector<Sent> sending;  // as of the last completed exchange
        // The server's offer waiting for its answer.
        std::uint64_t offerVersion = 0;
        std::optional<SessionDescription> pendingOffer;
        std::vector<Sent> pendingSending;
        // Sections the browser made only to receive (offered recvonly): its first offer may
        // carry some for the people already there, so their tracks come with the answer
        // instead of a second negotiation; free ones are reused like the server's own.
        std::set<std::string> receiveSlots;
        bool offerAgain = false;     // something changed while an offer was out
        bool offerScheduled = false;  // offerTo() is deferred already
    };

    ServerTransportParams paramsFor(Peer& peer);
    std::vector<Published> publishedIn(const SessionDescription& offer,
                                       const std::vector<core::MediaTrackSource>& tracks,
                                       const core::ParticipantId& who) const;
    std::vector<Sent> wantedBy(const core::ParticipantId& who, const Peer& peer);
    // What the server does not send `who` yet, placed in the free receive-only sections of
    // their offer (same kind, in section order); what does not fit is offered afterwards.
    std::vector<Sent> intoReceiveSlots(const core::ParticipantId& who, Peer& peer, const SessionDescription& offer);
    void scheduleOffer(const core::ParticipantId& who);
    void offerTo(const core::ParticipantId& who);
    // After a new transport replaced the old one (a new connection): the media plane dropped
    // what went through the old one, so it is set up again.
    void restore(const core::ParticipantId& who);
    void offerToOthers(const core::RoomId& room, const core::ParticipantId& except);
    void applySending(Peer& peer, const core::ParticipantId& who, std::vector<Sent> now);
    void forget(const core::ParticipantId& who);
    // Whether `who` shows the video `s` (always true for audio, and before they said).
    bool shown(const core::ParticipantId& who, const Sent& s) const;
    Subscription subscriptionOf(const core::ParticipantId& who, Sent& s) const;
    // Tells the media plane of every change in what `who` shows.
    void applyVisibility(const core::ParticipantId& who, Peer& peer);
    void sendActiveSpeaker(const core::ParticipantId& to, const std::string& speaker);
    // Opens (or, after an ICE restart, replaces) the participant's transport when `description`
    // (their offer or answer) names other ICE credentials than the transport has. False when it
    // has none to use.
    bool ensureTransport(const core::ParticipantId& who, Peer& peer, const SessionDescription& description);
    // Publishes a stream on the media plane, held back while its publisher's microphone is off.
    void publish(const core::RoomId& room, const core::ParticipantId& who, const Published& p);
    bool heldBack(const core::ParticipantId& who, const Published& p) const;
    std::uint32_t outgoingSsrc(const core::ParticipantId& subscriber, std::uint32_t sourceSsrc, bool rtx = false);

    MediaPlane& plane_;
    core::TopologyPolicy policy_;
    Send send_;
    Defer defer_;
    std::unordered_map<core::RoomId, core::Topology> rooms_;
    std::map<core::ParticipantId, Peer> peers_;
    // One outgoing SSRC per (subscriber, published stream), stable while both stay; and one
    // for its RTX stream (video).
    std::map<std::pair<core::ParticipantId, std::uint32_t>, std::uint32_t> ssrcs_;
    std::map<std::pair<core::ParticipantId, std::uint32_t>, std::uint32_t> rtxSsrcs_;
    std::uint32_t nextSsrc_ = 0x10000;
    // Whose microphone is off (by them or by a host's mute), as the rooms report it: their
    // microphone streams are not forwarded, whatever their client sends.
    std::map<core::ParticipantId, core::RoomId> micOff_;  // and their room
    // What each participant shows, once they said (kept apart from peers_: they may say so
    // before their connection to the server exists).
    struct Shows {
        core::RoomId room;
        std::set<core::VisibleVideo> videos;
    };
    std::map<core::ParticipantId, Shows> visible_;
    std::unordered_map<core::RoomId, std::string> speakers_;  // the last active speaker reported
};

}  // namespace parley::media

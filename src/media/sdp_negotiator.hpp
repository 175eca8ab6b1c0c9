#pragma once
// What the SFU writes in SDP: its answer to a browser's offer, and its own (re-)offers that add
// the other participants' tracks. The server is ICE-lite, uses one BUNDLE transport with
// rtcp-mux, is always the DTLS server (a=setup:passive in answers; the browser, ICE controlling,
// is the DTLS client), and forwards Opus and VP8 (+RTX) only.
//
// Data channels (m=application) are REJECTED (port 0): the SFU terminates no SCTP; room chat and
// signalling travel over Parley's WebSocket.
#include "media/sdp.hpp"

#include <cstdint>
#include <set>
#include <string>
#include <vector>

namespace parley::media {

// The server side of one browser's peer connection.
struct ServerTransportParams {
    std::string iceUfrag;
    std::string icePwd;
    std::string fingerprintSha256;        // "AB:CD:...", of the server's DTLS certificate
    std::vector<std::string> addresses;  // IPv4 literals the media socket is reachable on
    std::uint16_t port = 0;               // the media UDP port (one socket for every peer)
    // Also a passive TCP host candidate per address on the same port (ICE-TCP, RFC 6544), ranked
    // below every UDP one so UDP wins wherever it works.
    bool tcp = false;
    std::string sessionId = "1";          // o= session id: fixed for the peer connection
    std::uint64_t sessionVersion = 1;     // o= version: the caller increases it for every new description
};

// A track the server sends to this browser (another participant's mic, camera or screen).
struct OutgoingTrack {
    SdpMediaKind kind = SdpMediaKind::Audio;
    std::string mid;          // empty: makeSubscriberOffer picks one (see there)
    std::uint32_t ssrc = 0;
    std::uint32_t rtxSsrc = 0;  // video only; 0 = no RTX stream
    std::string streamId;     // a=msid stream: one per participant, so the browser groups A+V
    std::string trackId;      // a=msid track: stable for the track's lifetime
    std::string cname;        // RTCP CNAME, one per participant
    bool operator==(const OutgoingTrack&) const = default;
};

// Header extensions the server understands (RFC 8285 URIs).
namespace extmap_uri {
inline constexpr const char* kMid = "urn:ietf:params:rtp-hdrext:sdes:mid";
inline constexpr const char* kRid = "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id";
inline constexpr const char* kRepairedRid = "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id";
inline constexpr const char* kAbsSendTime = "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time";
inline constexpr const char* kTransportWideCc =
    "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
inline constexpr const char* kAudioLevel = "urn:ietf:params:rtp-hdrext:ssrc-audio-level";
}  // namespace extmap_uri

// The codec the server forwards in a section: Opus 48000/2 for audio, VP8 for video; null for
// anything else (or a section without it).
const SdpCodec* forwardedCodec(const SdpMediaSection& section);
// The RTX codec (RFC 4588, 90 kHz) whose apt= is `payloadType` in a section; null when none.
const SdpCodec* rtxCodecFor(const SdpMediaSection& section, int payloadType);

struct NegotiationResult {
    std::optional<SessionDescription> description;
    std::string error;  // why no description could be made; empty on success
    // The tracks as placed (mid filled in). makeSubscriberOffer only.
    std::vector<OutgoingTrack> tracks;

    bool ok() const { return description.has_value(); }
};

// The server's answer to a browser's offer (first offer or a re-offer). Each offered m-section
// is accepted with Opus (audio) or VP8+RTX (video) using the browser's payload types and
// extmap ids, or rejected (port 0). `sending` lists tracks the server sends, matched by mid to
// sections the browser offered to receive on (recvonly/sendrecv). Directions mirror the offer:
// the server receives what the browser sends and sends only where a track is given.
// Fails (error) when the offer has no ICE credentials or DTLS fingerprint, lacks mids, or
// demands a=setup:passive (the server cannot be the DTLS client).
NegotiationResult answerPublisherOffer(const SessionDescription& offer, const ServerTransportParams& params,
                                       const std::vector<OutgoingTrack>& sending = {});

// A server-made (re-)offer on the same peer connection. `current` is the description of the
// last completed exchange as the SERVER wrote it (its answer, or its previous offer); every
// m-section of it is kept, in order (JSEP forbids removing or reordering). `browser` is the
// browser's latest description (offer or answer): its payload types and extmap ids are reused so
// the whole BUNDLE agrees. For each track in `tracks`:
//   - a section whose mid equals track.mid, or that already carries track.trackId, is reused;
//   - else an inactive server-sending section of the same kind is recycled (same mid): one the
//     server made, or one of `receiveSlots` (sections the browser made only to receive);
//   - else a new sendonly section is appended with mid "s<N>" (next free N).
// Server-made mids start with "s" so they never collide with the browser's own numeric mids
// when it later adds a transceiver (a screen share). Sections whose track is not in `tracks`
// stop sending: server-made ones become inactive (port kept, so the browser's transceiver stays
// alive and the slot can be recycled), the browser's publishing ones go back to recvonly.
// Sections rejected (port 0) in `current` or in `browser` stay rejected and are never reused. The browser's own publishing sections are kept
// as negotiated. a=setup:actpass in every section (JSEP offers).
NegotiationResult makeSubscriberOffer(const SessionDescription& current, const SessionDescription& browser,
                                      const std::vector<OutgoingTrack>& tracks, const ServerTransportParams& params,
                                      const std::set<std::string>& receiveSlots = {});

}  // namespace parley::media

#pragma once
// SDP (RFC 8866) as browsers speak it for WebRTC (JSEP, Unified Plan, BUNDLE).
//
// parseSdp() turns the text into a SessionDescription whose fields are the ones the SFU acts on
// (ICE, DTLS, codecs, header extensions, SSRCs, simulcast). Everything else is kept as raw lines
// so that serializeSdp(parseSdp(x)) loses nothing a browser said. serializeSdp() writes the
// fields in one fixed order (not the order they were read in), so output is deterministic and
// parse(serialize(d)) == d for every d that parseSdp produced.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace parley::media {

enum class SdpDirection { SendRecv, SendOnly, RecvOnly, Inactive };
enum class SdpMediaKind { Audio, Video, Application, Other };
// a=setup (RFC 4145 / 5763): who is the DTLS client.
enum class SdpSetup { ActPass, Active, Passive, HoldConn };

std::string_view toString(SdpDirection direction);
std::string_view toString(SdpSetup setup);
// The direction a peer answers with: sendonly <-> recvonly, the others unchanged.
SdpDirection reversed(SdpDirection direction);

struct SdpOrigin {
    std::string username = "-";
    std::string sessionId = "0";  // kept as text: browsers use up to 20 digits
    std::uint64_t sessionVersion = 0;
    std::string netType = "IN";
    std::string addressType = "IP4";
    std::string address = "127.0.0.1";
    bool operator==(const SdpOrigin&) const = default;
};

struct SdpFingerprint {
    std::string algorithm;  // "sha-256"
    std::string value;      // "AB:CD:..." as written
    bool operator==(const SdpFingerprint&) const = default;
};

struct SdpGroup {
    std::string semantics;  // "BUNDLE"
    std::vector<std::string> ids;
    bool operator==(const SdpGroup&) const = default;
};

struct SdpMsidSemantic {
    std::string semantics;  // "WMS"
    std::vector<std::string> ids;
    bool operator==(const SdpMsidSemantic&) const = default;
};

// a=extmap (RFC 8285).
struct SdpExtmap {
    int id = 0;  // 1..255 (1..14 fit the one-byte header form)
    std::optional<SdpDirection> direction;
    std::string uri;
    std::string attributes;  // anything after the URI, as written
    bool operator==(const SdpExtmap&) const = default;
};

struct SdpRtcpFeedback {
    std::string type;       // "nack", "ccm", "goog-remb", "transport-cc"
    std::string parameter;  // "pli" for "nack pli", "fir" for "ccm fir", else empty
    bool operator==(const SdpRtcpFeedback&) const = default;
};

// One payload type of an RTP m-section, gathered from its a=rtpmap, a=fmtp and a=rtcp-fb lines.
struct SdpCodec {
    int payloadType = 0;
    bool hasRtpmap = false;  // static payload types may come without one
    std::string name;        // "opus", "VP8", "rtx" (case as written)
    std::uint32_t clockRate = 0;
    int channels = 0;  // 0 when the rtpmap gives none
    std::optional<std::string> fmtp;  // the a=fmtp value as written
    std::vector<SdpRtcpFeedback> feedback;
    bool operator==(const SdpCodec&) const = default;

    // One "key=value" of the fmtp (";"-separated); nullopt when absent.
    std::optional<std::string> fmtpParameter(std::string_view key) const;
    // Whether an a=rtcp-fb line offers this feedback ("nack" + "pli", "transport-cc" + "").
    bool hasFeedback(std::string_view type, std::string_view parameter = {}) const;
};

struct SdpSsrcAttribute {
    std::string name;   // "cname", "msid"
    std::string value;  // empty for a bare attribute
    bool operator==(const SdpSsrcAttribute&) const = default;
};

struct SdpSsrc {
    std::uint32_t ssrc = 0;
    std::vector<SdpSsrcAttribute> attributes;  // in the order written
    bool operator==(const SdpSsrc&) const = default;

    std::optional<std::string> attribute(std::string_view name) const;
};

struct SdpSsrcGroup {
    std::string semantics;  // "FID" (RTX), "SIM", "FEC-FR"
    std::vector<std::uint32_t> ssrcs;
    bool operator==(const SdpSsrcGroup&) const = default;
};

struct SdpMsid {
    std::string streamId;
    std::string trackId;  // may be empty (RFC 8830 makes it optional)
    bool operator==(const SdpMsid&) const = default;
};

// a=rid (RFC 8851).
struct SdpRid {
    std::string id;
    bool send = true;        // "send" or "recv"
    std::string parameters;  // "pt=96;max-width=640" as written, may be empty
    bool operator==(const SdpRid&) const = default;
};

// a=simulcast (RFC 8853): each entry is one simulcast stream, written as its rid alternatives
// ("q", "a,b", "~q" for a paused one), kept as text.
struct SdpSimulcast {
    std::vector<std::string> send;
    std::vector<std::string> recv;
    bool operator==(const SdpSimulcast&) const = default;
};

// a=candidate (RFC 8839).
struct SdpCandidate {
    std::string foundation;
    std::uint32_t component = 1;
    std::string transport;  // "udp", "tcp" (case as written)
    std::uint32_t priority = 0;
    std::string address;  // an IP literal or an mDNS name
    std::uint16_t port = 0;
    std::string type;        // "host", "srflx", "prflx", "relay"
    std::string extensions;  // "raddr ... rport ... generation 0 ..." as written
    bool operator==(const SdpCandidate&) const = default;
};

struct SdpMediaSection {
    SdpMediaKind kind = SdpMediaKind::Audio;
    std::string media;  // the m= media token: "audio", "video", "application", ...
    std::uint16_t port = 9;
    std::optional<std::uint32_t> portCount;  // "m=audio 9/2": rare, kept
    std::string protocol = "UDP/TLS/RTP/SAVPF";
    std::vector<std::string> formats;  // payload types (or "webrtc-datachannel"), in order
    std::optional<std::string> connection;  // c= value: "IN IP4 0.0.0.0"
    std::vector<std::string> otherLines;    // other non-a= lines (b=, i=, k=) as "b=AS:30"

    std::string mid;  // empty when the section has none
    SdpDirection direction = SdpDirection::SendRecv;
    std::optional<std::string> iceUfrag;
    std::optional<std::string> icePwd;
    std::optional<std::string> iceOptions;
    std::optional<SdpFingerprint> fingerprint;
    std::optional<SdpSetup> setup;
    std::optional<std::string> rtcp;  // a=rtcp value as written
    bool rtcpMux = false;
    bool rtcpRsize = false;
    // RFC 9143: port 0 with a=bundle-only is a live section sharing the BUNDLE transport
    // (Firefox re-offers write it), not a rejected one.
    bool bundleOnly = false;
    bool extmapAllowMixed = false;  // Firefox writes it per section
    std::vector<SdpExtmap> extmaps;
    std::vector<SdpCodec> codecs;  // in the order of `formats`
    std::vector<SdpMsid> msids;
    std::vector<SdpSsrcGroup> ssrcGroups;
    std::vector<SdpSsrc> ssrcs;
    std::vector<SdpRid> rids;
    std::optional<SdpSimulcast> simulcast;
    std::vector<SdpCandidate> candidates;
    bool endOfCandidates = false;
    std::vector<std::string> otherAttributes;  // "sctp-port:5000", "rtcp-xr:rcvr-rtt=all"
    bool operator==(const SdpMediaSection&) const = default;

    bool rejected() const { return port == 0 && !bundleOnly; }
    const SdpCodec* codec(int payloadType) const;
    const SdpExtmap* extmap(std::string_view uri) const;
};

struct SessionDescription {
    SdpOrigin origin;
    std::string sessionName = "-";
    std::vector<std::string> timing{"0 0"};  // t= values
    std::optional<std::string> connection;
    std::vector<std::string> otherLines;  // other session-level non-a= lines

    std::vector<SdpGroup> groups;
    bool iceLite = false;
    std::optional<std::string> iceUfrag;
    std::optional<std::string> icePwd;
    std::optional<std::string> iceOptions;
    std::optional<SdpFingerprint> fingerprint;
    std::optional<SdpSetup> setup;
    std::optional<SdpMsidSemantic> msidSemantic;
    bool extmapAllowMixed = false;
    std::vector<SdpExtmap> extmaps;  // session-level extmaps (rare)
    std::vector<std::string> otherAttributes;
    std::vector<SdpMediaSection> media;
    bool operator==(const SessionDescription&) const = default;

    const SdpGroup* bundleGroup() const;
    const SdpMediaSection* section(std::string_view mid) const;
    // Session-level values apply to a section that has none of its own (RFC 8866 5.x, JSEP).
    std::optional<std::string> iceUfragOf(const SdpMediaSection& m) const;
    std::optional<std::string> icePwdOf(const SdpMediaSection& m) const;
    std::optional<SdpFingerprint> fingerprintOf(const SdpMediaSection& m) const;
    std::optional<SdpSetup> setupOf(const SdpMediaSection& m) const;
};

struct SdpParseResult {
    std::optional<SessionDescription> description;
    std::string error;    // why it was refused; empty on success
    std::size_t line = 0;  // 1-based line of the error, 0 for the whole text

    bool ok() const { return description.has_value(); }
};

// Lines end in CRLF (a bare LF is accepted too). Never throws.
SdpParseResult parseSdp(std::string_view text);

// CRLF line endings; the same description always gives the same bytes.
std::string serializeSdp(const SessionDescription& description);

}  // namespace parley::media

#pragma once
// Typed values of the RTP header extensions Chromium and Firefox negotiate for Opus and VP8.
//
// Extension ids are negotiated per session in SDP (a=extmap), so these take the element's value
// (RtpPacket::extension(id)) rather than a packet and a URI. Each parser returns nullopt when the
// value has the wrong length or content, so a bad element is ignored like an absent one.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "media/rtp_packet.hpp"

namespace parley::media {

// urn:ietf:params:rtp-hdrext:sdes:mid, ...:rtp-stream-id, ...:repaired-rtp-stream-id
// (RFC 8843, RFC 8852): an SDES item's text. Trailing NUL bytes (a sender padding the element to
// a fixed size) are dropped; what is left must be 1..255 visible ASCII characters. The view
// points into the packet.
std::optional<std::string_view> parseSdesTextExtension(std::span<const std::uint8_t> value);
inline std::optional<std::string_view> parseMid(std::span<const std::uint8_t> v) { return parseSdesTextExtension(v); }
inline std::optional<std::string_view> parseRid(std::span<const std::uint8_t> v) { return parseSdesTextExtension(v); }
inline std::optional<std::string_view> parseRepairedRid(std::span<const std::uint8_t> v) {
    return parseSdesTextExtension(v);
}

// http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time: the send time in seconds as a
// 24-bit 6.18 fixed-point number (wraps every 64 s).
std::optional<std::uint32_t> parseAbsSendTime(std::span<const std::uint8_t> value);
// The 24-bit value for a time in microseconds (any epoch: only the low 64 s survive).
std::uint32_t absSendTimeFromMicros(std::int64_t micros);
// The 24-bit value in microseconds, 0 .. 64 s.
std::int64_t absSendTimeToMicros(std::uint32_t absSendTime);

// http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01: a 16-bit
// sequence number shared by every stream of the transport.
std::optional<std::uint16_t> parseTransportSequenceNumber(std::span<const std::uint8_t> value);

// urn:ietf:params:rtp-hdrext:ssrc-audio-level (RFC 6464).
struct AudioLevel {
    bool voiceActivity = false;
    std::uint8_t level = 127;  // -dBov: 0 is the loudest, 127 silence
};
std::optional<AudioLevel> parseAudioLevel(std::span<const std::uint8_t> value);

// In-place writers for the forwarder's per-subscriber stamping: false when the packet has no
// element with that id of the right size (the builder of the packet reserved none).
bool writeTransportSequenceNumber(RtpPacket& packet, std::uint8_t id, std::uint16_t seq);
bool writeAbsSendTime(RtpPacket& packet, std::uint8_t id, std::uint32_t absSendTime);

}  // namespace parley::media

#pragma once
// RTP retransmission payload format (RFC 4588), session-multiplexed: the retransmission of a
// packet travels on its own SSRC and payload type with the original sequence number (OSN)
// prepended to the original payload. The SFU answers a subscriber's NACK with RTX where the
// subscriber negotiated it, and turns a publisher's RTX back into the original packet.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "media/rtp_packet.hpp"

namespace parley::media {

struct RtxPayload {
    std::uint16_t originalSequenceNumber = 0;
    std::span<const std::uint8_t> originalPayload;
};

// nullopt when the payload is shorter than the OSN: Chromium sends padding-only packets on the
// RTX stream to probe bandwidth, and those carry nothing to restore.
std::optional<RtxPayload> parseRtxPayload(const RtpPacket& rtx);

// The retransmission of `original` on the RTX stream: the header (CSRCs and extensions kept) with
// the RTX payload type, SSRC and sequence number, then the OSN and the original payload; the
// original's RTP padding is dropped.
std::vector<std::uint8_t> buildRtxPacket(const RtpPacket& original, std::uint8_t rtxPayloadType,
                                         std::uint32_t rtxSsrc, std::uint16_t rtxSequenceNumber);

// The original packet back from its retransmission: the RTX header with the original payload
// type, SSRC and the OSN as the sequence number. nullopt as parseRtxPayload.
std::optional<std::vector<std::uint8_t>> restoreFromRtx(const RtpPacket& rtx, std::uint8_t originalPayloadType,
                                                        std::uint32_t originalSsrc);

}  // namespace parley::media

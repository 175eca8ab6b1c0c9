#pragma once
// RTCP packets the SFU sends: reports to publishers and subscribers, and the feedback it
// forwards or originates (NACK, PLI, FIR, REMB). Each builder returns whole RTCP packets; a
// compound packet is their concatenation (RFC 3550 wants an SR or RR first and an SDES with a
// CNAME in it unless rtcp-rsize was negotiated, which both browsers do).
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "media/rtcp_packet.hpp"

namespace parley::media {

// An SR; report blocks past the 31 one packet holds follow in RR packets from the same sender.
std::vector<std::uint8_t> buildSenderReport(const RtcpSenderReport& sr);
// An RR (none with no report blocks is valid: "I receive nothing yet"); over 31 blocks, several.
std::vector<std::uint8_t> buildReceiverReport(const RtcpReceiverReport& rr);
// One SDES chunk with a CNAME item (truncated to 255 bytes).
std::vector<std::uint8_t> buildSdesCname(std::uint32_t ssrc, std::string_view cname);
std::vector<std::uint8_t> buildBye(std::span<const std::uint32_t> ssrcs);  // at most 31 used

// Generic NACK for these sequence numbers. Numbers within 16 after a PID share its pair, counted
// modulo 2^16 so 65535 and 0 do too. Any order is correct; ascending (wrap-aware) order packs
// tightest. Duplicates are dropped. Empty input gives an empty vector (no packet). A packet holds
// 65533 pairs: numbers that would need more (only ever from a scrambled list) are left out.
std::vector<std::uint8_t> buildNack(std::uint32_t senderSsrc, std::uint32_t mediaSsrc,
                                    std::span<const std::uint16_t> lostSequenceNumbers);
std::vector<std::uint8_t> buildPli(std::uint32_t senderSsrc, std::uint32_t mediaSsrc);
std::vector<std::uint8_t> buildFir(std::uint32_t senderSsrc, std::span<const RtcpFirEntry> entries);
// REMB with the smallest exponent that holds the bitrate (rounded down); at most 255 SSRCs.
std::vector<std::uint8_t> buildRemb(std::uint32_t senderSsrc, std::uint64_t bitrateBps,
                                    std::span<const std::uint32_t> ssrcs);

// NTP time (RFC 3550 4) for microseconds since the Unix epoch (earlier times give 1970), and its middle 32 bits as
// reports quote it in LSR.
std::uint64_t ntpFromUnixMicros(std::int64_t unixMicros);
inline std::uint32_t compactNtp(std::uint64_t ntp) { return static_cast<std::uint32_t>(ntp >> 16); }

}  // namespace parley::media

#pragma once
// Compound RTCP (RFC 3550 section 6, rtcp-mux) parsed into typed items: the reports, the
// feedback (RFC 4585, RFC 5104) and REMB that Chromium and Firefox send, and the bits of SDES
// and BYE a forwarder needs.
//
// A datagram whose packets do not tile it exactly (a length field past the end, a bad version,
// a bad padding count) is refused whole, because nothing after the bad header can be located.
// Inside a well-framed datagram, a packet of an unknown type is skipped and a known packet with a
// malformed body is skipped and counted, as browsers add types and the rest is still good.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace parley::media {

namespace rtcp {
constexpr std::uint8_t kSenderReport = 200;
constexpr std::uint8_t kReceiverReport = 201;
constexpr std::uint8_t kSourceDescription = 202;
constexpr std::uint8_t kBye = 203;
constexpr std::uint8_t kRtpFeedback = 205;       // RTPFB
constexpr std::uint8_t kPayloadFeedback = 206;   // PSFB
constexpr std::uint8_t kFmtNack = 1;             // RTPFB
constexpr std::uint8_t kFmtTransportCc = 15;     // RTPFB
constexpr std::uint8_t kFmtPli = 1;              // PSFB
constexpr std::uint8_t kFmtFir = 4;              // PSFB
constexpr std::uint8_t kFmtAfb = 15;             // PSFB, REMB among others
}  // namespace rtcp

struct RtcpReportBlock {
    std::uint32_t ssrc = 0;
    std::uint8_t fractionLost = 0;         // of 256
    std::int32_t cumulativeLost = 0;       // 24-bit signed on the wire (duplicates make it negative)
    std::uint32_t extendedHighestSeq = 0;  // cycles << 16 | highest sequence number
    std::uint32_t jitter = 0;              // RTP timestamp units
    std::uint32_t lastSr = 0;              // middle 32 bits of the last SR's NTP time
    std::uint32_t delaySinceLastSr = 0;    // 1/65536 s
    bool operator==(const RtcpReportBlock&) const = default;
};

struct RtcpSenderReport {
    std::uint32_t senderSsrc = 0;
    std::uint64_t ntpTimestamp = 0;  // 32.32 seconds since 1900
    std::uint32_t rtpTimestamp = 0;
    std::uint32_t packetCount = 0;
    std::uint32_t octetCount = 0;
    std::vector<RtcpReportBlock> reports;
    bool operator==(const RtcpSenderReport&) const = default;
};

struct RtcpReceiverReport {
    std::uint32_t senderSsrc = 0;
    std::vector<RtcpReportBlock> reports;
    bool operator==(const RtcpReceiverReport&) const = default;
};

// One SDES chunk; only the CNAME item is kept (empty when the chunk has none).
struct RtcpSdesChunk {
    std::uint32_t ssrc = 0;
    std::string cname;
    bool operator==(const RtcpSdesChunk&) const = default;
};
struct RtcpSdes {
    std::vector<RtcpSdesChunk> chunks;
};

struct RtcpBye {
    std::vector<std::uint32_t> ssrcs;
    std::string reason;
};

// Generic NACK (RFC 4585 6.2.1) with every PID/BLP pair expanded, in packet order.
struct RtcpNack {
    std::uint32_t senderSsrc = 0;
    std::uint32_t mediaSsrc = 0;
    std::vector<std::uint16_t> lostSequenceNumbers;
};

// Transport-wide congestion control feedback: identified, and kept whole (header included) for
// parseTransportCcFeedback (transport_cc_feedback.hpp).
struct RtcpTransportCc {
    std::uint32_t senderSsrc = 0;
    std::uint32_t mediaSsrc = 0;
    std::vector<std::uint8_t> packet;
};

struct RtcpPli {
    std::uint32_t senderSsrc = 0;
    std::uint32_t mediaSsrc = 0;
};

struct RtcpFirEntry {
    std::uint32_t ssrc = 0;
    std::uint8_t sequenceNumber = 0;  // a new number is a new request; a repeat is the same one
    bool operator==(const RtcpFirEntry&) const = default;
};
struct RtcpFir {
    std::uint32_t senderSsrc = 0;
    std::vector<RtcpFirEntry> entries;
};

// draft-alvestrand-rmcat-remb-03: the receiver's estimate for the listed SSRCs.
struct RtcpRemb {
    std::uint32_t senderSsrc = 0;
    std::uint64_t bitrateBps = 0;  // mantissa << exponent (up to 2^18 × 2^63 saturates to UINT64_MAX)
    std::vector<std::uint32_t> ssrcs;
};

using RtcpItem = std::variant<RtcpSenderReport, RtcpReceiverReport, RtcpSdes, RtcpBye, RtcpNack, RtcpTransportCc,
                              RtcpPli, RtcpFir, RtcpRemb>;

struct RtcpCompound {
    std::vector<RtcpItem> items;
    std::size_t unknown = 0;    // well-framed packets of types not read here (XR, APP, other AFB, ...)
    std::size_t malformed = 0;  // known types whose body did not match their header
};

std::optional<RtcpCompound> parseRtcpCompound(std::span<const std::uint8_t> datagram);

// True when the datagram's second byte is an RTCP packet type (RFC 5761 section 4: 192..223)
// — how rtcp-mux tells RTCP from RTP on the same port.
bool looksLikeRtcp(std::span<const std::uint8_t> datagram);

}  // namespace parley::media

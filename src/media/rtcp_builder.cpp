#include "media/rtcp_builder.hpp"

#include <algorithm>

#include "media/byte_io.hpp"

namespace parley::media {

namespace {

constexpr std::size_t kMaxReportBlocks = 31;
// The 16-bit length field counts the two SSRC words and one word a pair, minus one.
constexpr std::size_t kMaxNackPairs = 0xFFFF - 2;
constexpr std::uint32_t kSecondsFrom1900To1970 = 2'208'988'800u;

// Writes a common header whose length is patched by finishRtcp once the body is written.
std::size_t startRtcp(ByteWriter& w, bool padding, std::size_t countOrFmt, std::uint8_t type) {
    const std::size_t start = w.size();
    w.u8(static_cast<std::uint8_t>(0x80 | (padding ? 0x20 : 0) | (countOrFmt & 0x1f)));
    w.u8(type);
    w.u16(0);
    return start;
}

void finishRtcp(ByteWriter& w, std::size_t start) {
    w.patchU16(start + 2, static_cast<std::uint16_t>((w.size() - start) / 4 - 1));
}

void writeReportBlock(ByteWriter& w, const RtcpReportBlock& b) {
    w.u32(b.ssrc);
    w.u8(b.fractionLost);
    const std::int32_t lost = std::clamp<std::int32_t>(b.cumulativeLost, -(1 << 23), (1 << 23) - 1);
    w.u24(static_cast<std::uint32_t>(lost) & 0xffffff);
    w.u32(b.extendedHighestSeq);
    w.u32(b.jitter);
    w.u32(b.lastSr);
    w.u32(b.delaySinceLastSr);
}

// RR packets for the blocks from `from` on, 31 a packet.
void writeReceiverReports(ByteWriter& w, std::uint32_t sender, std::span<const RtcpReportBlock> blocks) {
    do {
        const std::size_t n = std::min(blocks.size(), kMaxReportBlocks);
        const std::size_t start = startRtcp(w, false, n, rtcp::kReceiverReport);
        w.u32(sender);
        for (std::size_t i = 0; i < n; ++i) writeReportBlock(w, blocks[i]);
        finishRtcp(w, start);
        blocks = blocks.subspan(n);
    } while (!blocks.empty());
}

}  // namespace

std::vector<std::uint8_t> buildSenderReport(const RtcpSenderReport& sr) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    const std::span<const RtcpReportBlock> blocks(sr.reports);
    const std::size_t n = std::min(blocks.size(), kMaxReportBlocks);
    const std::size_t start = startRtcp(w, false, n, rtcp::kSenderReport);
    w.u32(sr.senderSsrc);
    w.u64(sr.ntpTimestamp);
    w.u32(sr.rtpTimestamp);
    w.u32(sr.packetCount);
    w.u32(sr.octetCount);
    for (std::size_t i = 0; i < n; ++i) writeReportBlock(w, blocks[i]);
    finishRtcp(w, start);
    if (blocks.size() > n) writeReceiverReports(w, sr.senderSsrc, blocks.subspan(n));
    return out;
}

std::vector<std::uint8_t> buildReceiverReport(const RtcpReceiverReport& rr) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    writeReceiverReports(w, rr.senderSsrc, rr.reports);
    return out;
}

std::vector<std::uint8_t> buildSdesCname(std::uint32_t ssrc, std::string_view cname) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    const std::size_t start = startRtcp(w, false, 1, rtcp::kSourceDescription);
    w.u32(ssrc);
    const std::size_t length = std::min<std::size_t>(cname.size(), 255);
    w.u8(1);  // CNAME
    w.u8(static_cast<std::uint8_t>(length));
    w.bytes({reinterpret_cast<const std::uint8_t*>(cname.data()), length});
    // The end item, then nulls to the boundary: at least one null byte always follows the items.
    w.zeros(4 - (w.size() - start) % 4);
    finishRtcp(w, start);
    return out;
}

std::vector<std::uint8_t> buildBye(std::span<const std::uint32_t> ssrcs) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    const std::size_t n = std::min(ssrcs.size(), kMaxReportBlocks);
    const std::size_t start = startRtcp(w, false, n, rtcp::kBye);
    for (std::size_t i = 0; i < n; ++i) w.u32(ssrcs[i]);
    finishRtcp(w, start);
    return out;
}

std::vector<std::uint8_t> buildNack(std::uint32_t senderSsrc, std::uint32_t mediaSsrc,
                                    std::span<const std::uint16_t> lostSequenceNumbers) {
    std::vector<std::uint8_t> out;
    if (lostSequenceNumbers.empty()) return out;
    // Each number goes into the pair being built when it lies 1..16 after its PID, else starts
    // a new pair; `seen` keeps a number from being reported twice when the input repeats it or
    // comes out of order. Linear in the input, whatever a peer's NACK list looked like.
    std::vector<bool> seen(1u << 16);
    std::vector<std::pair<std::uint16_t, std::uint16_t>> pairs;
    for (std::uint16_t seq : lostSequenceNumbers) {
        if (seen[seq]) continue;
        seen[seq] = true;
        if (!pairs.empty()) {
            auto& [pid, blp] = pairs.back();
            const std::uint16_t distance = static_cast<std::uint16_t>(seq - pid);
            if (distance >= 1 && distance <= 16) {
                blp = static_cast<std::uint16_t>(blp | (1u << (distance - 1)));
                continue;
            }
        }
        if (pairs.size() < kMaxNackPairs) pairs.emplace_back(seq, 0);
    }
    ByteWriter w(out);
    const std::size_t start = startRtcp(w, false, rtcp::kFmtNack, rtcp::kRtpFeedback);
    w.u32(senderSsrc);
    w.u32(mediaSsrc);
    for (const auto& [pid, blp] : pairs) {
        w.u16(pid);
        w.u16(blp);
    }
    finishRtcp(w, start);
    return out;
}

std::vector<std::uint8_t> buildPli(std::uint32_t senderSsrc, std::uint32_t mediaSsrc) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    const std::size_t start = startRtcp(w, false, rtcp::kFmtPli, rtcp::kPayloadFeedback);
    w.u32(senderSsrc);
    w.u32(mediaSsrc);
    finishRtcp(w, start);
    return out;
}

std::vector<std::uint8_t> buildFir(std::uint32_t senderSsrc, std::span<const RtcpFirEntry> entries) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    const std::size_t start = startRtcp(w, false, rtcp::kFmtFir, rtcp::kPayloadFeedback);
    w.u32(senderSsrc);
    w.u32(0);  // RFC 5104 4.3.1: the media source SSRC is unused; the entries name the sources
    for (const auto& e : entries) {
        w.u32(e.ssrc);
        w.u8(e.sequenceNumber);
        w.zeros(3);
    }
    finishRtcp(w, start);
    return out;
}

std::vector<std::uint8_t> buildRemb(std::uint32_t senderSsrc, std::uint64_t bitrateBps,
                                    std::span<const std::uint32_t> ssrcs) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    const std::size_t n = std::min<std::size_t>(ssrcs.size(), 255);
    unsigned exponent = 0;
    while ((bitrateBps >> exponent) > 0x3ffff) ++exponent;
    const auto mantissa = static_cast<std::uint32_t>(bitrateBps >> exponent);
    const std::size_t start = startRtcp(w, false, rtcp::kFmtAfb, rtcp::kPayloadFeedback);
    w.u32(senderSsrc);
    w.u32(0);
    w.u8('R');
    w.u8('E');
    w.u8('M');
    w.u8('B');
    w.u8(static_cast<std::uint8_t>(n));
    w.u24((exponent << 18) | mantissa);
    for (std::size_t i = 0; i < n; ++i) w.u32(ssrcs[i]);
    finishRtcp(w, start);
    return out;
}

std::uint64_t ntpFromUnixMicros(std::int64_t unixMicros) {
    unixMicros = std::max<std::int64_t>(unixMicros, 0);
    const std::int64_t seconds = unixMicros / 1'000'000;
    const std::int64_t micros = unixMicros % 1'000'000;
    const std::uint64_t fraction = (static_cast<std::uint64_t>(micros) << 32) / 1'000'000;
    return (static_cast<std::uint64_t>(seconds + kSecondsFrom1900To1970) << 32) | fraction;
}

}  // namespace parley::media

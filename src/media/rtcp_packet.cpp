#include "media/rtcp_packet.hpp"

#include "media/byte_io.hpp"

namespace parley::media {

namespace {

constexpr std::size_t kRtcpCommonHeader = 4;
constexpr std::size_t kReportBlockSize = 24;
constexpr std::uint8_t kSdesEnd = 0;
constexpr std::uint8_t kSdesCname = 1;

RtcpReportBlock readReportBlock(ByteReader& r) {
    RtcpReportBlock b;
    b.ssrc = r.u32();
    b.fractionLost = r.u8();
    const std::uint32_t lost = r.u24();
    // Sign-extend the 24-bit field.
    b.cumulativeLost = static_cast<std::int32_t>(lost << 8) >> 8;
    b.extendedHighestSeq = r.u32();
    b.jitter = r.u32();
    b.lastSr = r.u32();
    b.delaySinceLastSr = r.u32();
    return b;
}

bool readReportBlocks(ByteReader& r, std::size_t count, std::vector<RtcpReportBlock>& out) {
    if (r.remaining() < count * kReportBlockSize) return false;
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i) out.push_back(readReportBlock(r));
    return r.ok();
}

std::optional<RtcpItem> readSenderReport(ByteReader& r, std::size_t count) {
    RtcpSenderReport sr;
    sr.senderSsrc = r.u32();
    sr.ntpTimestamp = r.u64();
    sr.rtpTimestamp = r.u32();
    sr.packetCount = r.u32();
    sr.octetCount = r.u32();
    if (!r.ok() || !readReportBlocks(r, count, sr.reports)) return std::nullopt;
    return sr;
}

std::optional<RtcpItem> readReceiverReport(ByteReader& r, std::size_t count) {
    RtcpReceiverReport rr;
    rr.senderSsrc = r.u32();
    if (!r.ok() || !readReportBlocks(r, count, rr.reports)) return std::nullopt;
    return rr;
}

std::optional<RtcpItem> readSdes(ByteReader& r, std::size_t count) {
    RtcpSdes sdes;
    for (std::size_t i = 0; i < count; ++i) {
        const std::size_t chunkStart = r.position();
        RtcpSdesChunk chunk;
        chunk.ssrc = r.u32();
        for (;;) {
            const std::uint8_t type = r.u8();
            if (!r.ok()) return std::nullopt;
            if (type == kSdesEnd) break;
            const std::uint8_t length = r.u8();
            const auto text = r.bytes(length);
            if (!r.ok()) return std::nullopt;
            if (type == kSdesCname) chunk.cname.assign(text.begin(), text.end());
        }
        // The end item is followed by nulls up to the next 32-bit boundary of the chunk.
        r.skip((4 - (r.position() - chunkStart) % 4) % 4);
        if (!r.ok()) return std::nullopt;
        sdes.chunks.push_back(std::move(chunk));
    }
    return sdes;
}

std::optional<RtcpItem> readBye(ByteReader& r, std::size_t count) {
    RtcpBye bye;
    for (std::size_t i = 0; i < count; ++i) bye.ssrcs.push_back(r.u32());
    if (!r.ok()) return std::nullopt;
    if (r.remaining() > 0) {
        const auto reason = r.bytes(r.u8());
        if (!r.ok()) return std::nullopt;
        bye.reason.assign(reason.begin(), reason.end());
    }
    return bye;
}

std::optional<RtcpItem> readNack(ByteReader& r, std::uint32_t sender, std::uint32_t media) {
    // At least one PID/BLP pair, and nothing but pairs.
    if (r.remaining() == 0 || r.remaining() % 4 != 0) return std::nullopt;
    RtcpNack nack{sender, media, {}};
    while (r.remaining() > 0) {
        const std::uint16_t pid = r.u16();
        const std::uint16_t blp = r.u16();
        nack.lostSequenceNumbers.push_back(pid);
        for (unsigned bit = 0; bit < 16; ++bit) {
            if ((blp >> bit) & 1u) nack.lostSequenceNumbers.push_back(static_cast<std::uint16_t>(pid + bit + 1));
        }
    }
    return nack;
}

std::optional<RtcpItem> readFir(ByteReader& r, std::uint32_t sender) {
    if (r.remaining() == 0 || r.remaining() % 8 != 0) return std::nullopt;
    RtcpFir fir{sender, {}};
    while (r.remaining() > 0) {
        RtcpFirEntry entry;
        entry.ssrc = r.u32();
        entry.sequenceNumber = r.u8();
        r.skip(3);
        fir.entries.push_back(entry);
    }
    return fir;
}

// nullopt with isRemb false: some other application-layer feedback (unknown, not malformed).
std::optional<RtcpItem> readAfb(ByteReader& r, std::uint32_t sender, bool& isRemb) {
    const auto id = r.bytes(4);
    isRemb = r.ok() && id[0] == 'R' && id[1] == 'E' && id[2] == 'M' && id[3] == 'B';
    if (!isRemb) return std::nullopt;
    RtcpRemb remb;
    remb.senderSsrc = sender;
    const std::size_t ssrcCount = r.u8();
    const std::uint32_t expMantissa = r.u24();
    const unsigned exponent = expMantissa >> 18;
    const std::uint64_t mantissa = expMantissa & 0x3ffff;
    // 18 bits shifted by up to 63: saturate rather than lose the high bits.
    if (mantissa != 0 && exponent > 0 && (mantissa >> (64 - exponent)) != 0) {
        remb.bitrateBps = UINT64_MAX;
    } else {
        remb.bitrateBps = mantissa << exponent;
    }
    for (std::size_t i = 0; i < ssrcCount; ++i) remb.ssrcs.push_back(r.u32());
    if (!r.ok()) return std::nullopt;
    return remb;
}

}  // namespace

bool looksLikeRtcp(std::span<const std::uint8_t> datagram) {
    return datagram.size() >= 2 && datagram[1] >= 192 && datagram[1] <= 223;
}

std::optional<RtcpCompound> parseRtcpCompound(std::span<const std::uint8_t> datagram) {
    if (datagram.empty()) return std::nullopt;
    RtcpCompound compound;
    std::size_t at = 0;
    while (at < datagram.size()) {
        ByteReader header(datagram.subspan(at));
        const std::uint8_t first = header.u8();
        const std::uint8_t type = header.u8();
        const std::size_t size = (std::size_t{header.u16()} + 1) * 4;
        if (!header.ok() || (first >> 6) != 2 || size > datagram.size() - at) return std::nullopt;
        const auto packet = datagram.subspan(at, size);
        at += size;
        auto body = packet.subspan(kRtcpCommonHeader);
        if ((first & 0x20) != 0) {
            const std::size_t padding = packet.back();
            if (padding == 0 || padding > body.size()) return std::nullopt;
            body = body.first(body.size() - padding);
        }
        const std::size_t count = first & 0x1f;  // report count, source count or FMT
        ByteReader r(body);
        std::optional<RtcpItem> item;
        bool known = true;
        switch (type) {
            case rtcp::kSenderReport: item = readSenderReport(r, count); break;
            case rtcp::kReceiverReport: item = readReceiverReport(r, count); break;
            case rtcp::kSourceDescription: item = readSdes(r, count); break;
            case rtcp::kBye: item = readBye(r, count); break;
            case rtcp::kRtpFeedback:
            case rtcp::kPayloadFeedback: {
                const std::uint32_t sender = r.u32();
                const std::uint32_t media = r.u32();
                if (!r.ok()) break;
                if (type == rtcp::kRtpFeedback && count == rtcp::kFmtNack) {
                    item = readNack(r, sender, media);
                } else if (type == rtcp::kRtpFeedback && count == rtcp::kFmtTransportCc) {
                    item = RtcpTransportCc{sender, media, std::vector<std::uint8_t>(packet.begin(), packet.end())};
                } else if (type == rtcp::kPayloadFeedback && count == rtcp::kFmtPli) {
                    item = RtcpPli{sender, media};
                } else if (type == rtcp::kPayloadFeedback && count == rtcp::kFmtFir) {
                    item = readFir(r, sender);
                } else if (type == rtcp::kPayloadFeedback && count == rtcp::kFmtAfb) {
                    bool isRemb = false;
                    item = readAfb(r, sender, isRemb);
                    known = isRemb;
                } else {
                    known = false;
                }
                break;
            }
            default: known = false; break;
        }
        if (item) {
            compound.items.push_back(std::move(*item));
        } else if (known) {
            ++compound.malformed;
        } else {
            ++compound.unknown;
        }
    }
    return compound;
}

}  // namespace parley::media

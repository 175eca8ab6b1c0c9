#include "media/transport_cc_feedback.hpp"

#include <algorithm>

#include "media/byte_io.hpp"
#include "media/rtcp_packet.hpp"

namespace parley::media {

namespace {

constexpr std::int64_t kReferenceTimeUnitUs = 64'000;
constexpr std::int64_t kDeltaUnitUs = 250;
constexpr std::int64_t kTicksPerReferenceUnit = kReferenceTimeUnitUs / kDeltaUnitUs;  // 256
constexpr std::uint32_t kReferenceTimeMask = 0xFFFFFF;
// Common header, both SSRCs, base sequence number, status count, reference time, fb count.
constexpr std::size_t kFeedbackFixedSize = 20;
constexpr std::size_t kMaxStatusCount = 0xFFFF;
constexpr std::size_t kMaxRunLength = 0x1FFF;
constexpr std::uint8_t kNotReceived = 0;
constexpr std::uint8_t kSmallDelta = 1;
constexpr std::uint8_t kLargeDelta = 2;
// Late packets can be folded into a new report while their neighbours are this recent...
constexpr std::int64_t kLateHistoryUs = 500'000;
// ...and the history never holds more than this many arrivals (a peer flooding us, or nobody
// calling buildFeedback).
constexpr std::size_t kMaxHistory = 1 << 14;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
    const std::int64_t q = a / b;
    return (a % b != 0 && a < 0) ? q - 1 : q;
}

void writeChunks(ByteWriter& w, const std::vector<std::uint8_t>& symbols) {
    const std::size_t n = symbols.size();
    std::size_t i = 0;
    while (i < n) {
        std::size_t run = 1;
        while (i + run < n && run < kMaxRunLength && symbols[i + run] == symbols[i]) ++run;
        const std::size_t window = std::min<std::size_t>(14, n - i);
        const bool largeAhead =
            std::any_of(symbols.begin() + i, symbols.begin() + i + window, [](auto s) { return s == kLargeDelta; });
        // Every chunk but the last covers at least 7 statuses, which the builder's size bound
        // (2 bytes per 7 statuses) relies on.
        if (run >= 14 || i + run == n || (largeAhead && run >= 7)) {
            w.u16(static_cast<std::uint16_t>((symbols[i] << 13) | run));
            i += run;
        } else if (!largeAhead) {
            std::uint16_t chunk = 0x8000;
            for (std::size_t k = 0; k < window; ++k) chunk |= static_cast<std::uint16_t>(symbols[i + k] << (13 - k));
            w.u16(chunk);
            i += window;
        } else {
            const std::size_t count = std::min<std::size_t>(7, n - i);
            std::uint16_t chunk = 0xC000;
            for (std::size_t k = 0; k < count; ++k) {
                chunk |= static_cast<std::uint16_t>(symbols[i + k] << (12 - 2 * k));
            }
            w.u16(chunk);
            i += count;
        }
    }
}

}  // namespace

std::optional<TransportCcFeedback> parseTransportCcFeedback(std::span<const std::uint8_t> rtcpPacket) {
    ByteReader header(rtcpPacket);
    const std::uint8_t first = header.u8();
    const std::uint8_t type = header.u8();
    const std::size_t size = (std::size_t{header.u16()} + 1) * 4;
    if (!header.ok() || (first >> 6) != 2 || (first & 0x1f) != rtcp::kFmtTransportCc ||
        type != rtcp::kRtpFeedback || size != rtcpPacket.size()) {
        return std::nullopt;
    }
    auto body = rtcpPacket.subspan(4);
    if ((first & 0x20) != 0) {
        const std::size_t padding = rtcpPacket.back();
        if (padding == 0 || padding > body.size()) return std::nullopt;
        body = body.first(body.size() - padding);
    }
    ByteReader r(body);
    TransportCcFeedback fb;
    fb.senderSsrc = r.u32();
    fb.mediaSsrc = r.u32();
    fb.baseSequenceNumber = r.u16();
    const std::size_t statusCount = r.u16();
    fb.referenceTime = r.u24();
    fb.feedbackPacketCount = r.u8();
    if (!r.ok() || statusCount == 0) return std::nullopt;

    std::vector<std::uint8_t> symbols;
    symbols.reserve(statusCount);
    while (symbols.size() < statusCount) {
        const std::uint16_t chunk = r.u16();
        if (!r.ok()) return std::nullopt;
        const std::size_t wanted = statusCount - symbols.size();
        if ((chunk & 0x8000) == 0) {
            const auto symbol = static_cast<std::uint8_t>((chunk >> 13) & 3);
            if (symbol == 3) return std::nullopt;
            symbols.insert(symbols.end(), std::min<std::size_t>(chunk & kMaxRunLength, wanted), symbol);
        } else if ((chunk & 0x4000) == 0) {
            for (std::size_t k = 0; k < 14 && k < wanted; ++k) symbols.push_back((chunk >> (13 - k)) & 1);
        } else {
            for (std::size_t k = 0; k < 7 && k < wanted; ++k) {
                const auto symbol = static_cast<std::uint8_t>((chunk >> (12 - 2 * k)) & 3);
                if (symbol == 3) return std::nullopt;
                symbols.push_back(symbol);
            }
        }
    }

    fb.packets.reserve(statusCount);
    std::int64_t ticks = std::int64_t{fb.referenceTime} * kTicksPerReferenceUnit;
    for (std::size_t i = 0; i < statusCount; ++i) {
        TransportCcPacketResult result;
        result.sequenceNumber = static_cast<std::uint16_t>(fb.baseSequenceNumber + i);
        if (symbols[i] != kNotReceived) {
            ticks += symbols[i] == kSmallDelta ? std::int64_t{r.u8()} : std::int64_t{static_cast<std::int16_t>(r.u16())};
            result.received = true;
            result.arrivalUs = ticks * kDeltaUnitUs;
        }
        fb.packets.push_back(result);
    }
    if (!r.ok() || r.remaining() > 3) return std::nullopt;
    return fb;
}

TransportCcFeedbackBuilder::TransportCcFeedbackBuilder(std::uint32_t senderSsrc, std::uint32_t mediaSsrc,
                                                       std::size_t maxPacketSize)
    : senderSsrc_(senderSsrc), mediaSsrc_(mediaSsrc), maxPacketSize_(std::max<std::size_t>(maxPacketSize, 64)) {}

void TransportCcFeedbackBuilder::onPacketReceived(std::uint16_t transportSequenceNumber, std::int64_t arrivalUs) {
    std::int64_t seq = transportSequenceNumber;
    if (highestSeq_) {
        const auto step = static_cast<std::int16_t>(transportSequenceNumber - static_cast<std::uint16_t>(*highestSeq_));
        seq = *highestSeq_ + step;
    }
    if (seq < historyStart_ || arrivals_.contains(seq)) return;
    if (!highestSeq_ || seq > *highestSeq_) highestSeq_ = seq;
    if (nextToReport_ && seq < *nextToReport_) nextToReport_ = seq;
    arrivals_.emplace(seq, arrivalUs);
    while (arrivals_.size() > kMaxHistory) {
        const std::int64_t dropped = arrivals_.begin()->first;
        arrivals_.erase(arrivals_.begin());
        historyStart_ = dropped + 1;
        if (nextToReport_ && *nextToReport_ < historyStart_) nextToReport_ = historyStart_;
    }
}

std::vector<std::vector<std::uint8_t>> TransportCcFeedbackBuilder::buildFeedback(std::int64_t nowUs) {
    std::vector<std::vector<std::uint8_t>> out;
    if (arrivals_.empty()) return out;
    std::int64_t start = nextToReport_ ? *nextToReport_ : arrivals_.begin()->first;
    // The most statuses a packet can hold before its first arrival: the chunks for them
    // (2 bytes per 7) plus one delta, padding and the fixed part within the size bound.
    const auto maxLeading = static_cast<std::int64_t>(
        std::min<std::size_t>(kMaxStatusCount, 7 * ((maxPacketSize_ - kFeedbackFixedSize - 4) / 2)));
    auto it = arrivals_.lower_bound(start);
    while (it != arrivals_.end()) {
        // Losses too many to report before this arrival are left out; the sender times them out.
        if (it->first - start + 1 > maxLeading) start = it->first - maxLeading + 1;
        const std::int64_t referenceTime = floorDiv(it->second, kReferenceTimeUnitUs);
        std::int64_t lastTicks = referenceTime * kTicksPerReferenceUnit;
        std::vector<std::uint8_t> symbols;
        std::vector<std::int32_t> deltas;
        std::size_t deltaBytes = 0;
        std::int64_t last = start;
        for (; it != arrivals_.end(); ++it) {
            const std::int64_t seq = it->first;
            const std::int64_t ticks = floorDiv(it->second, kDeltaUnitUs);
            const std::int64_t delta = ticks - lastTicks;
            const bool small = delta >= 0 && delta <= 0xFF;
            const bool fits = delta >= INT16_MIN && delta <= INT16_MAX;
            const auto count = static_cast<std::size_t>(seq - start + 1);
            const std::size_t bound = kFeedbackFixedSize + 2 * ((count + 6) / 7) + deltaBytes + (small ? 1 : 2) + 3;
            // The first arrival always fits: its delta is under 64 ms and the leading losses
            // were capped above.
            if (!symbols.empty() && (!fits || count > kMaxStatusCount || bound > maxPacketSize_)) break;
            symbols.resize(count - 1, kNotReceived);
            symbols.push_back(small ? kSmallDelta : kLargeDelta);
            deltas.push_back(static_cast<std::int32_t>(delta));
            deltaBytes += small ? 1 : 2;
            lastTicks = ticks;
            last = seq;
        }
        out.push_back(encodePacket(start, referenceTime, symbols, deltas));
        start = last + 1;
    }
    nextToReport_ = start;
    prune(nowUs);
    return out;
}

std::vector<std::uint8_t> TransportCcFeedbackBuilder::encodePacket(std::int64_t baseSeq, std::int64_t referenceTime,
                                                                   const std::vector<std::uint8_t>& symbols,
                                                                   const std::vector<std::int32_t>& deltas) {
    std::vector<std::uint8_t> out;
    ByteWriter w(out);
    w.u8(0x80 | rtcp::kFmtTransportCc);
    w.u8(rtcp::kRtpFeedback);
    w.u16(0);
    w.u32(senderSsrc_);
    w.u32(mediaSsrc_);
    w.u16(static_cast<std::uint16_t>(baseSeq));
    w.u16(static_cast<std::uint16_t>(symbols.size()));
    w.u24(static_cast<std::uint32_t>(referenceTime) & kReferenceTimeMask);
    w.u8(feedbackPacketCount_++);
    writeChunks(w, symbols);
    for (std::int32_t delta : deltas) {
        if (delta >= 0 && delta <= 0xFF) {
            w.u8(static_cast<std::uint8_t>(delta));
        } else {
            w.u16(static_cast<std::uint16_t>(static_cast<std::int16_t>(delta)));
        }
    }
    // RTCP padding (RFC 3550 6.4.1): the last byte counts it, and the P bit says so.
    const std::size_t padding = (4 - w.size() % 4) % 4;
    if (padding != 0) {
        w.zeros(padding - 1);
        w.u8(static_cast<std::uint8_t>(padding));
        out[0] |= 0x20;
    }
    w.patchU16(2, static_cast<std::uint16_t>(w.size() / 4 - 1));
    return out;
}

void TransportCcFeedbackBuilder::prune(std::int64_t nowUs) {
    while (!arrivals_.empty()) {
        const auto& [seq, arrivalUs] = *arrivals_.begin();
        if (!nextToReport_ || seq >= *nextToReport_ || arrivalUs >= nowUs - kLateHistoryUs) break;
        historyStart_ = seq + 1;
        arrivals_.erase(arrivals_.begin());
    }
}

}  // namespace parley::media

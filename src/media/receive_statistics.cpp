#include "media/receive_statistics.hpp"

#include <algorithm>
#include <cstdlib>

namespace parley::media {

ReceiveStatistics::ReceiveStatistics(std::uint32_t clockRateHz) : clockRateHz_(clockRateHz == 0 ? 1 : clockRateHz) {}

void ReceiveStatistics::onPacket(std::uint16_t seq, std::uint32_t rtpTimestamp, std::int64_t arrivalUs,
                                 std::size_t size, bool retransmission) {
    ++packets_;
    bytes_ += size;
    if (retransmission) ++retransmissions_;
    const std::int64_t extended = seqs_.unwrap(seq);
    if (!started_) {
        started_ = true;
        base_ = highest_ = extended;
    } else if (extended - highest_ > kMaxDropout) {
        // A restarted sender: counting the jump as lost would report thousands of losses.
        base_ = highest_ = extended;
        received_ = expectedPrior_ = receivedPrior_ = 0;
        lastTransit_.reset();
    } else if (extended > highest_) {
        highest_ = extended;
    }
    ++received_;
    if (retransmission) return;
    // Transit time in RTP units: arrival on the stream's clock minus the packet's timestamp. Only
    // differences matter, so the 32-bit timestamp is unwrapped against the arrival clock.
    const std::int64_t arrival = arrivalUs * static_cast<std::int64_t>(clockRateHz_) / 1'000'000;
    const auto transit = static_cast<std::int32_t>(static_cast<std::uint32_t>(arrival) - rtpTimestamp);
    if (lastTransit_) {
        const std::int64_t d = std::abs(static_cast<std::int64_t>(static_cast<std::int32_t>(
            static_cast<std::uint32_t>(transit) - static_cast<std::uint32_t>(*lastTransit_))));
        // J += (|D| - J) / 16, kept scaled by 16 (RFC 3550 A.8).
        jitterQ4_ += d - ((jitterQ4_ + 8) >> 4);
    }
    lastTransit_ = transit;
}

void ReceiveStatistics::onSenderReport(std::uint64_t ntpTimestamp, std::int64_t nowMs) {
    lastSr_ = static_cast<std::uint32_t>(ntpTimestamp >> 16);
    lastSrAtMs_ = nowMs;
}

RtcpReportBlock ReceiveStatistics::report(std::uint32_t ssrc, std::int64_t nowMs) {
    RtcpReportBlock block;
    block.ssrc = ssrc;
    if (!started_) return block;
    const std::int64_t expectedInterval = expected() - expectedPrior_;
    const std::int64_t receivedInterval = received_ - receivedPrior_;
    const std::int64_t lostInterval = expectedInterval - receivedInterval;
    expectedPrior_ = expected();
    receivedPrior_ = received_;
    fractionLost_ = expectedInterval <= 0 || lostInterval <= 0
                        ? 0
                        : static_cast<std::uint8_t>(std::min<std::int64_t>((lostInterval << 8) / expectedInterval, 255));
    block.fractionLost = fractionLost_;
    block.cumulativeLost = static_cast<std::int32_t>(
        std::clamp<std::int64_t>(expected() - received_, -(1 << 23), (1 << 23) - 1));
    block.extendedHighestSeq = static_cast<std::uint32_t>(highest_);
    block.jitter = static_cast<std::uint32_t>(jitterQ4_ >> 4);
    if (lastSr_ != 0) {
        block.lastSr = lastSr_;
        // DLSR in 1/65536 s.
        block.delaySinceLastSr = static_cast<std::uint32_t>(std::max<std::int64_t>(nowMs - lastSrAtMs_, 0) * 65536 / 1000);
    }
    return block;
}

ReceiveStats ReceiveStatistics::stats() const {
    ReceiveStats s;
    s.packets = packets_;
    s.bytes = bytes_;
    s.retransmissions = retransmissions_;
    if (started_) {
        s.lost = expected() - received_;
        s.extendedHighestSeq = static_cast<std::uint32_t>(highest_);
    }
    s.fractionLost = fractionLost_;
    s.jitter = static_cast<std::uint32_t>(jitterQ4_ >> 4);
    s.jitterMs = static_cast<double>(jitterQ4_) / 16.0 * 1000.0 / clockRateHz_;
    return s;
}

}  // namespace parley::media

#include "media/sequence_rewriter.hpp"

#include <algorithm>
#include <cstdlib>

namespace parley::media {

SequenceRewriter::SequenceRewriter(SequenceRewriterConfig config)
    : config_(config), history_(sequenceRingSlots(config.historySize, 32768)) {}

void SequenceRewriter::pause() { paused_ = true; }

bool SequenceRewriter::isLate(std::uint32_t sourceSsrc, std::uint16_t seq) const {
    if (!started_) return false;
    if (sourceSsrc == source_) {
        // Only a packet that would not resync anyway can be late; a far one is a restart.
        const std::int64_t extended = incoming_.peek(seq);
        const std::int64_t jump = extended - incoming_.newest();
        return !paused_ && jump >= -config_.maxJump && (extended < epochStart_ || extended < foldedBelow_);
    }
    return previousSource_ == sourceSsrc && serialDelta(previousNewestSeq_, seq, 16) <= 0;
}

void SequenceRewriter::resync(std::uint32_t sourceSsrc, std::uint16_t seq, std::uint32_t timestamp,
                              std::int64_t nowMs) {
    std::int64_t outgoing = 0;
    std::uint32_t outgoingTimestamp = 0;
    if (!started_) {
        // 2^16 up front keeps extended outgoing seqs positive whatever the caller's first seq.
        outgoing = (std::int64_t{1} << 16) + config_.firstSeq.value_or(seq);
        outgoingTimestamp = config_.firstTimestamp.value_or(timestamp);
    } else {
        if (sourceSsrc != source_) {
            previousSource_ = source_;
            previousNewestSeq_ = static_cast<std::uint16_t>(serialMask(incoming_.newest(), 16));
        }
        outgoing = highestOutgoing_ + 1;
        // At least one tick, so the new source's first frame never shares a timestamp with the
        // last frame sent (the receiver would take them for one frame).
        const std::int64_t elapsedMs = std::max<std::int64_t>(0, nowMs - highestArrivalMs_);
        const std::int64_t ticks =
            std::max<std::int64_t>(1, elapsedMs * static_cast<std::int64_t>(config_.clockRateHz) / 1000);
        outgoingTimestamp = highestTimestamp_ + static_cast<std::uint32_t>(ticks);
    }
    started_ = true;
    paused_ = false;
    source_ = sourceSsrc;
    incoming_.reset();
    epochStart_ = incoming_.unwrap(seq);
    seqOffset_ = outgoing - epochStart_;
    skipped_.clear();
    foldedBelow_ = epochStart_;
    timestampOffset_ = outgoingTimestamp - timestamp;
}

std::optional<RewrittenHeader> SequenceRewriter::rewrite(std::uint32_t sourceSsrc, std::uint16_t seq,
                                                         std::uint32_t timestamp, std::int64_t nowMs) {
    if (isLate(sourceSsrc, seq)) return std::nullopt;

    bool resynced = false;
    if (!started_ || paused_ || sourceSsrc != source_ ||
        std::abs(incoming_.peek(seq) - incoming_.newest()) > config_.maxJump) {
        resync(sourceSsrc, seq, timestamp, nowMs);
        resynced = true;
    }

    const std::int64_t extended = incoming_.unwrap(seq);
    const auto skippedBelow = std::lower_bound(skipped_.begin(), skipped_.end(), extended);
    if (skippedBelow != skipped_.end() && *skippedBelow == extended) return std::nullopt;
    const std::int64_t outgoing = extended + seqOffset_ - (skippedBelow - skipped_.begin());
    const std::uint32_t outgoingTimestamp = timestamp + timestampOffset_;
    if (resynced || outgoing > highestOutgoing_) {
        highestOutgoing_ = outgoing;
        highestTimestamp_ = outgoingTimestamp;
        highestArrivalMs_ = nowMs;
    }

    HistoryEntry& entry = history_[static_cast<std::size_t>(outgoing) & (history_.size() - 1)];
    entry.outgoing = outgoing;
    entry.packet = {sourceSsrc, seq, outgoingTimestamp};

    return RewrittenHeader{static_cast<std::uint16_t>(serialMask(outgoing, 16)), outgoingTimestamp, resynced};
}

bool SequenceRewriter::skip(std::uint32_t sourceSsrc, std::uint16_t seq) {
    if (!started_ || paused_ || sourceSsrc != source_) return false;
    const std::int64_t extended = incoming_.peek(seq);
    if (extended <= incoming_.newest() || extended - incoming_.newest() > config_.maxJump) return false;
    incoming_.unwrap(seq);
    skipped_.push_back(extended);
    if (skipped_.size() > history_.size()) {
        foldedBelow_ = skipped_.front() + 1;
        --seqOffset_;
        skipped_.pop_front();
    }
    return true;
}

std::optional<ForwardedPacket> SequenceRewriter::incomingFor(std::uint16_t outgoingSeq) const {
    if (!started_) return std::nullopt;
    const std::int64_t extended =
        highestOutgoing_ + serialDelta(serialMask(highestOutgoing_, 16), outgoingSeq, 16);
    if (extended > highestOutgoing_ ||
        highestOutgoing_ - extended >= static_cast<std::int64_t>(history_.size())) {
        return std::nullopt;
    }
    const HistoryEntry& entry = history_[static_cast<std::size_t>(extended) & (history_.size() - 1)];
    if (entry.outgoing != extended) return std::nullopt;
    return entry.packet;
}

std::optional<std::uint32_t> SequenceRewriter::outgoingTimestamp(std::uint32_t sourceSsrc,
                                                                 std::uint32_t incomingTimestamp) const {
    if (!started_ || sourceSsrc != source_) return std::nullopt;
    return incomingTimestamp + timestampOffset_;
}

}  // namespace parley::media

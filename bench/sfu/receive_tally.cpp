#include "receive_tally.hpp"

#include "workload.hpp"

namespace parley::bench::sfu {

bool ReceiveTally::onPayload(std::span<const std::uint8_t> payload, std::int64_t nowNs, LatencySinks& sinks) {
    const auto stamp = readStamp(payload);
    if (!stamp) {
        ++unstamped_;
        return false;
    }
    ++received_;
    const bool audio = trackOf(stamp->stream) == kAudioTrack;
    if (!firstAnyNs_) firstAnyNs_ = nowNs;
    if (!audio && !firstVideoNs_) firstVideoNs_ = nowNs;
    if (!window_.contains(stamp->sendNs)) return true;
    if (stamp->stream >= seen_.size()) seen_.resize(stamp->stream + 1);
    auto& seen = seen_[stamp->stream];
    if (stamp->index >= seen.size()) seen.resize(std::size_t(stamp->index) + 1 + seen.size() / 2, false);
    if (seen[stamp->index]) {
        ++duplicates_;
        return true;
    }
    seen[stamp->index] = true;
    ++inWindow_;
    const std::uint64_t latency = nowNs > std::int64_t(stamp->sendNs) ? std::uint64_t(nowNs) - stamp->sendNs : 0;
    if (latency > maxLatencyNs_) maxLatencyNs_ = latency;
    sinks.all.record(latency);
    (audio ? sinks.audio : sinks.video).record(latency);
    return true;
}

void SequenceTally::onHeader(std::uint32_t ssrc, std::uint16_t seq, std::int64_t nowNs) {
    if (!window_.contains(std::uint64_t(nowNs))) return;
    Stream* s = nullptr;
    for (auto& candidate : streams_) {
        if (candidate.ssrc == ssrc) s = &candidate;
    }
    if (!s) {
        streams_.push_back({ssrc, seq, seq, seq, {}, 0});
        s = &streams_.back();
    }
    // Extend by the shortest distance from the last one seen (reordering and wrap-around).
    const std::int64_t extended = s->highest + std::int16_t(std::uint16_t(seq - std::uint16_t(s->highest)));
    if (extended < s->first) return;  // older than the window's first packet: not counted
    const std::size_t offset = std::size_t(extended - s->first);
    if (offset >= s->seen.size()) s->seen.resize(offset + 1 + s->seen.size() / 2, false);
    if (s->seen[offset]) return;
    s->seen[offset] = true;
    ++s->count;
    if (extended > s->highest) s->highest = extended;
}

std::uint64_t SequenceTally::received() const {
    std::uint64_t n = 0;
    for (const auto& s : streams_) n += s.count;
    return n;
}

std::uint64_t SequenceTally::expected() const {
    std::uint64_t n = 0;
    for (const auto& s : streams_) n += std::uint64_t(s.highest - s.first + 1);
    return n;
}

}  // namespace parley::bench::sfu

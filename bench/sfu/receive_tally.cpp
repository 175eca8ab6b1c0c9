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

}  // namespace parley::bench::sfu

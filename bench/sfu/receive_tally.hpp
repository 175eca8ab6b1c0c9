#pragma once
// What one subscriber received, as the benchmark counts it: packets are matched to what was
// sent by their stamp (stream and index), not by RTP sequence numbers (which a server
// rewrites), so a loss is a stamp that never arrived and a duplicate is one that arrived twice.
// Only packets *sent* inside the measurement window count, so packets still in flight when it
// closes are waited for (the drain), not taken for lost. Pure: times come in.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "histogram.hpp"
#include "stamp.hpp"

namespace parley::bench::sfu {

struct Window {
    std::int64_t startNs = 0, endNs = 0;  // send times, [start, end)
    bool contains(std::uint64_t sendNs) const {
        return std::int64_t(sendNs) >= startNs && std::int64_t(sendNs) < endNs;
    }
};

// Latency histograms shared by every subscriber (one per kind of track).
struct LatencySinks {
    LatencyHistogram all, audio, video;
};

// A subscriber that does not decrypt counts by RTP header instead: per SSRC, the packets that
// arrived inside the window and the span of (extended) sequence numbers they cover, as RFC 3550
// counts loss. A stall or a missing track shows as a span short of what the publisher sent.
class SequenceTally {
public:
    void setWindow(Window window) { window_ = window; }
    void onHeader(std::uint32_t ssrc, std::uint16_t seq, std::int64_t nowNs);
    std::uint64_t received() const;
    std::uint64_t expected() const;  // sum over SSRCs of the span covered
    std::size_t streams() const { return streams_.size(); }

private:
    struct Stream {
        std::uint32_t ssrc = 0;
        std::int64_t first = 0, highest = 0;  // extended sequence numbers
        std::uint16_t last = 0;
        std::vector<bool> seen;  // from `first`
        std::uint64_t count = 0;
    };
    Window window_;
    std::vector<Stream> streams_;
};

class ReceiveTally {
public:
    // When the subscriber asked for the tracks (the subscribe request left).
    void subscribed(std::int64_t nowNs) { subscribedNs_ = nowNs; }
    void setWindow(Window window) { window_ = window; }

    // A packet arrived that is not decrypted (only its first arrival is noted).
    void arrived(bool video, std::int64_t nowNs) {
        if (!firstAnyNs_) firstAnyNs_ = nowNs;
        if (video && !firstVideoNs_) firstVideoNs_ = nowNs;
    }
    // A decrypted RTP payload arrived at `nowNs`. Returns false when it carries no stamp.
    bool onPayload(std::span<const std::uint8_t> payload, std::int64_t nowNs, LatencySinks& sinks);

    std::uint64_t receivedInWindow() const { return inWindow_; }
    std::uint64_t duplicates() const { return duplicates_; }
    std::uint64_t received() const { return received_; }
    std::uint64_t unstamped() const { return unstamped_; }
    // Of the packets sent in the window (`sent` of them on these streams), the share missing.
    double lossPercent(std::uint64_t sent) const {
        return sent == 0 ? 0.0 : 100.0 * double(sent - std::min(sent, inWindow_)) / double(sent);
    }
    // Subscribe -> first RTP packet, and -> first video packet (which may wait for a keyframe).
    std::optional<std::int64_t> firstPacketNs() const { return elapsed(firstAnyNs_); }
    std::optional<std::int64_t> firstVideoNs() const { return elapsed(firstVideoNs_); }
    std::uint64_t maxLatencyNs() const { return maxLatencyNs_; }

private:
    std::optional<std::int64_t> elapsed(std::optional<std::int64_t> at) const {
        if (!at || !subscribedNs_) return std::nullopt;
        return *at - *subscribedNs_;
    }

    std::optional<std::int64_t> subscribedNs_;
    std::optional<std::int64_t> firstAnyNs_, firstVideoNs_;
    Window window_;
    std::vector<std::vector<bool>> seen_;  // [stream][index], for packets in the window
    std::uint64_t inWindow_ = 0, duplicates_ = 0, received_ = 0, unstamped_ = 0, maxLatencyNs_ = 0;
};

}  // namespace parley::bench::sfu
